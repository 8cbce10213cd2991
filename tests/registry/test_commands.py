"""generate_registrations, registry_export and the demo set."""

import csv
import datetime
import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from schakel.registry.contract import EXPECTED_COLUMNS
from schakel.registry.demo import DEMO_ROWS, seed_demo_registry
from schakel.registry.models import Melding
from schakel.registry.rows import validate_row
from schakel.registry.synthetic import generate_rows

from .factories import row, store, write_csv

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 30)


def test_generated_rows_are_valid_and_realistic():
    rows = list(generate_rows(rows=3000, seed=7, first_year=2017, last_year=2025, today=TODAY))
    assert len(rows) == 3000
    assert len({r["melding_id"] for r in rows}) == 3000
    for values in rows:
        _checked, errors = validate_row(values, today=TODAY)
        assert errors == [], (values, errors)
    per_person = Counter(r["persoon_sleutel"] for r in rows)
    assert 1.05 < len(rows) / len(per_person) < 1.3  # several meldingen per person, as published
    years = {}
    for values in rows:
        years.setdefault(values["persoon_sleutel"], set()).add(values["melddatum"][:4])
    assert sum(1 for y in years.values() if len(y) > 1) > 50  # people return in later years
    melders = Counter(r["melder"] for r in rows)
    assert melders["politie"] > melders["fairwork"] > melders["kmar"] > 0
    assert Counter(r["uitbuitingsvormen"] for r in rows)["arbeidsuitbuiting"] > 400


def test_the_same_seed_gives_the_same_file():
    first = list(generate_rows(rows=200, seed=3, first_year=2020, last_year=2024, today=TODAY))
    second = list(generate_rows(rows=200, seed=3, first_year=2020, last_year=2024, today=TODAY))
    other = list(generate_rows(rows=200, seed=4, first_year=2020, last_year=2024, today=TODAY))
    assert first == second and first != other


def test_generate_command_writes_a_csv_that_imports(tmp_path):
    path = tmp_path / "gen.csv"
    call_command(
        "generate_registrations", "--rows", "250", "--seed", "5", "--output", str(path),
        stderr=io.StringIO(),
    )  # fmt: skip
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        assert tuple(next(reader)) == EXPECTED_COLUMNS
        assert sum(1 for _ in reader) == 250
    call_command("registry_import", str(path), "--quiet", stdout=io.StringIO())
    assert Melding.objects.count() == 250


def test_generate_command_refuses_bad_options():
    with pytest.raises(CommandError) as raised:
        call_command("generate_registrations", "--rows", "-1")
    assert raised.value.returncode == 2
    with pytest.raises(CommandError):
        call_command("generate_registrations", "--rows", "1", "--first-year", "2025",
                     "--last-year", "2020")  # fmt: skip


def test_export_round_trip(tmp_path):
    store(row(melddatum="2022-02-02"), row(melddatum="2024-04-04", leeftijd=""))
    path = tmp_path / "out.csv"
    call_command("registry_export", "--output", str(path))
    exported = path.read_bytes()
    Melding.objects.all().delete()
    call_command("registry_import", str(path), "--quiet", stdout=io.StringIO())
    assert Melding.objects.count() == 2
    again = tmp_path / "again.csv"
    call_command("registry_export", "--output", str(again))
    assert again.read_bytes() == exported
    only = tmp_path / "2024.csv"
    call_command("registry_export", "--from", "2024", "--to", "2024", "--output", str(only))
    assert len(only.read_text().splitlines()) == 2


def test_export_to_standard_output(capsys):
    store(row())
    call_command("registry_export")
    assert capsys.readouterr().out.startswith("melding_id,melddatum,")


def test_the_demo_set_loads_once():
    report = seed_demo_registry()
    assert report.created == DEMO_ROWS
    assert seed_demo_registry().created == 0
    assert Melding.objects.count() == DEMO_ROWS


@override_settings(SCHAKEL_DEMO_ALLOWED=False)
def test_the_demo_set_is_refused_in_production():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        seed_demo_registry()


def test_write_csv_helper(tmp_path):
    assert write_csv(tmp_path / "x.csv", [row()]).read_bytes().startswith(b"melding_id")


def test_seed_command():
    out = io.StringIO()
    call_command("seed_demo_registry", stdout=out)
    assert "600 nieuwe meldingen" in out.getvalue()


def test_labels_follow_the_language():
    from django.utils import translation

    from schakel.registry.contract import contract

    with translation.override("en"):
        assert contract().label("melders", "overig") == "Other reporter"
        assert contract().label("nationaliteit", "NL") == "Netherlands"
    with translation.override("nl"):
        assert contract().label("nationaliteit", "NL") == "Nederland"
