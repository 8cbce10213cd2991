"""The seed file, import and export as YAML and CSV: validation with line-precise errors, all or
nothing, idempotent loading that keeps edits made in Schakel."""

from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from schakel.directory import records
from schakel.directory.models import DirectoryChange, Offer, Provider
from schakel.directory.selectors import directory_export
from schakel.directory.services import (
    directory_import,
    directory_seed_load,
    offer_update,
)

from .factories import FunctionalAdminFactory

pytestmark = pytest.mark.django_db


def test_seed_file_loads_every_entry_and_is_idempotent(geography):
    first = directory_seed_load()
    assert (first.created, first.updated) == (71 + 34, 0)
    second = directory_seed_load()
    assert (second.created, second.updated, second.unchanged) == (0, 0, 105)
    assert Provider.objects.count() == 71 and Offer.objects.count() == 34
    assert DirectoryChange.objects.filter(action="created").count() == 105


SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def test_seed_contacts_are_exactly_as_printed(wegwijzer):
    """Every phone number and e-mail address in the data file occurs literally in a seed."""
    if not SEEDS.is_dir():
        pytest.skip(f"the seed texts are not at {SEEDS}")
    seeds = "".join(path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt")))
    checked = 0
    for model in (Provider, Offer):
        for obj in model.objects.all():
            for value in (obj.phone, obj.email):
                if value:
                    assert value in seeds, (obj.key, value)
                    checked += 1
    assert checked > 20


def test_seed_load_keeps_edits_made_in_schakel(wegwijzer):
    admin = FunctionalAdminFactory()
    asja = Offer.objects.get(key="asja")
    offer_update(actor=admin, offer=asja, expected_version=asja.version, age_max=24)
    result = directory_seed_load()
    assert result.kept_local == 1
    assert Offer.objects.get(key="asja").age_max == 24


def _yaml(providers=(), offers=()):
    return yaml.safe_dump(
        {"format": records.FORMAT, "providers": list(providers), "offers": list(offers)},
        sort_keys=False,
        allow_unicode=True,
    )


def test_yaml_errors_name_the_line_and_field_and_change_nothing(geography):
    text = """format: schakel-wegwijzer/1
providers:
- key: zorg_noord
  name: Zorg Noord
  email: geen-adres
offers:
- key: opvang_noord
  provider: zorg_noord
  name: Opvang Noord
  services: [shelter, knuffelen]
  age_min: 20
  age_max: 12
  municipalities: [GM0080, GM9999]
  scope: regional
- key: opvang_noord
  name: Dubbel
  services: [treatment]
- key: los
  provider: bestaat_niet
  name: Los
  services: [treatment]
"""
    with pytest.raises(records.ImportFailed) as failed:
        directory_import(actor=None, records=records.read_yaml(text))
    found = [(e.line, e.field) for e in failed.value.errors]
    assert found == [
        (5, "email"),
        (10, "services"),
        (12, "age_max"),
        (13, "municipalities"),
        (15, "key"),
        (19, "provider"),
    ]
    messages = [str(e) for e in failed.value.errors]
    assert "line 10 (offer opvang_noord): services: onbekende waarde(n) knuffelen" in messages[1]
    assert "GM9999" in messages[3]
    assert "sleutel komt al voor op regel 7" in messages[4]
    assert Provider.objects.count() == 0 and Offer.objects.count() == 0


def test_yaml_syntax_error_has_a_line(geography):
    with pytest.raises(records.ImportFailed) as failed:
        records.read_yaml("providers:\n- key: a\n  name: [unclosed\n")
    assert failed.value.errors[0].line in (3, 4)


def test_csv_errors_name_the_line(geography):
    text = (
        "record,key,name,services,provider,age_min,phone\n"
        "provider,zorg_zuid,Zorg Zuid,,,,\n"
        "offer,behandeling_zuid,Behandeling Zuid,treatment,zorg_zuid,twaalf,\n"
        "offer,lijn_zuid,Lijn Zuid,hotline,zorg_zuid,,bel ons\n"
        "provider,,Zonder sleutel,,,,\n"
    )
    with pytest.raises(records.ImportFailed) as failed:
        directory_import(actor=None, records=records.read_csv(text))
    assert [(e.line, e.field) for e in failed.value.errors] == [
        (3, "age_min"),
        (4, "phone"),
        (5, "key"),
    ]
    assert Provider.objects.count() == 0


def test_csv_unknown_column_and_record_kind(geography):
    with pytest.raises(records.ImportFailed, match="onbekende kolom"):
        records.read_csv("record,key,name,kleur\n")
    with pytest.raises(records.ImportFailed) as failed:
        records.read_csv("record,key,name\naanbod,x,X\n")
    assert failed.value.errors[0].line == 2


def test_export_and_import_round_trip_in_both_formats(wegwijzer):
    admin = FunctionalAdminFactory()
    providers, offers = directory_export()
    for text, reader in (
        (records.write_yaml(providers, offers), records.read_yaml),
        (records.write_csv(providers, offers), records.read_csv),
    ):
        result = directory_import(actor=admin, records=reader(text), dry_run=True)
        assert (result.created, result.updated) == (0, 0), result
        assert result.unchanged == 105


def test_import_updates_creates_records_history_and_deactivates_missing(wegwijzer):
    admin = FunctionalAdminFactory()
    text = _yaml(
        providers=[{"key": "koraal", "name": "Koraal", "phone": "046 – 477 52 52"}],
        offers=[
            {
                "key": "nieuw_aanbod",
                "provider": "koraal",
                "name": "Nieuw aanbod",
                "services": ["ambulant"],
                "places": 4,
                "free_places": 1,
            }
        ],
    )
    result = directory_import(actor=admin, records=records.read_yaml(text), deactivate_missing=True)
    assert result.created == 1
    assert result.deactivated == 104
    new = Offer.objects.get(key="nieuw_aanbod")
    assert (new.places, new.free_places, new.capacity_updated_by) == (4, 1, admin)
    assert new.capacity_updated_at is not None
    assert not Offer.objects.get(key="asja").is_active
    assert DirectoryChange.objects.filter(key="asja", action="deactivated").exists()


def test_dry_run_changes_nothing(wegwijzer):
    text = _yaml(offers=[{"key": "x", "name": "X", "services": ["training"]}])
    result = directory_import(actor=None, records=records.read_yaml(text), dry_run=True)
    assert result.created == 1
    assert not Offer.objects.filter(key="x").exists()


def test_import_needs_the_permission(wegwijzer):
    from django.core.exceptions import PermissionDenied

    from tests.accounts.factories import MembershipFactory

    with pytest.raises(PermissionDenied):
        directory_import(actor=MembershipFactory(), records=[])


def test_commands(wegwijzer, tmp_path):
    yaml_file = tmp_path / "wegwijzer.yaml"
    csv_file = tmp_path / "wegwijzer.csv"
    call_command("export_directory", output=str(yaml_file), stderr=StringIO())
    call_command("export_directory", format="csv", output=str(csv_file), stderr=StringIO())
    out = StringIO()
    call_command("import_directory", str(csv_file), stdout=out)
    assert "0 created, 0 updated, 105 unchanged" in out.getvalue()
    out = StringIO()
    call_command("import_directory", str(yaml_file), dry_run=True, stdout=out)
    assert out.getvalue().startswith("Dry run")

    bad = tmp_path / "bad.csv"
    bad.write_text("record,key,name,services\noffer,x,X,knuffelen\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("import_directory", str(bad))
    assert "bad.csv line 2 (offer x): services:" in str(error.value)
    assert "nothing was imported" in str(error.value)

    out = StringIO()
    call_command("load_directory", stdout=out)
    assert "105 unchanged" in out.getvalue()
