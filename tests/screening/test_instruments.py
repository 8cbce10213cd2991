"""Instrument files: the shipped ones are valid; a broken one fails with file, path and rule."""

import copy
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from schakel.screening import checks, selectors
from schakel.screening.guidance import guidance_problems
from schakel.screening.instruments import (
    INSTRUMENTS_DIR,
    InstrumentError,
    check_files,
    load_file,
    loading,
    parse_definition,
    problems_in,
)
from schakel.screening.models import InstrumentVersion

SHIPPED = {
    "signalen-uitbuiting",
    "aanwijzingen-lvb",
    "quickscan-ouders",
    "gespreksleidraad-online",
    "zelfcheck-jongeren",
}

MINIMAL = {
    "id": "proef",
    "version": 1,
    "title": "Proef",
    "description": "Een proefinstrument.",
    "audience": ["professional"],
    "language_level": "B1",
    "kind": "scored",
    "status": "indicative",
    "owner": "Test",
    "disclaimer": "Geen test.",
    "storage": "allowed",
    "step_plan": "meldcode",
    "scales": [
        {
            "id": "sexual",
            "label": "Seksueel",
            "kind": "form",
            "form": "sexual",
            "thresholds": {"low": 1, "elevated": 2, "high": 3},
        }
    ],
    "areas": [
        {
            "id": "a",
            "title": "A",
            "items": [
                {"id": "q1", "text": "Vraag 1?", "type": "yes_no_unknown", "score": {"sexual": 2}},
                {"id": "q2", "text": "Vraag 2?", "type": "yes_no_unknown"},
                {"id": "q3", "text": "Notitie", "type": "text"},
            ],
        }
    ],
    "red_flags": [
        {"id": "rf", "when": {"item": "q2", "equals": "yes"}, "title": "Rood", "text": "Nu."}
    ],
    "advice_blocks": [{"id": "b", "section": "info", "title": "B", "text": "Tekst."}],
    "advice_rules": [
        {"id": "r", "when": {"scale": "sexual", "level_at_least": "low"}, "blocks": ["b"]}
    ],
}


def test_the_shipped_instruments_and_guidance_are_valid():
    loaded, problems = check_files()
    assert problems == []
    assert guidance_problems() == []
    assert {instrument.id for instrument, _name in loaded} == SHIPPED


def test_the_shipped_instruments_say_what_the_issue_asks():
    loaded = {instrument.id: instrument for instrument, _name in check_files()[0]}
    assert all(i.status == "indicative" for i in loaded.values())
    signals = loaded["signalen-uitbuiting"]
    assert len(signals.areas) >= 11
    assert {s.form for s in signals.scales} == {"sexual", "criminal", "labour"}
    assert set(signals.audience) == {"professional", "teacher"}
    assert {f.id for f in signals.red_flags} >= {"seksueel_geweld_recent", "direct_gevaar"}
    lvb = loaded["aanwijzingen-lvb"]
    assert [s.kind for s in lvb.scales] == ["lvb"]
    assert "geen diagnose" in lvb.disclaimer
    assert loaded["quickscan-ouders"].audience == ("parent",)
    guide = loaded["gespreksleidraad-online"]
    assert guide.kind == "guide" and not guide.scales
    assert all(not item.scored for item in guide.items.values())
    assert any(item.type == "text" for item in guide.items.values())
    selfcheck = loaded["zelfcheck-jongeren"]
    assert selfcheck.title == "Is dit nog oké?"
    assert selfcheck.storage == "never" and selfcheck.audience == ("young_person",)
    assert selfcheck.step_plan == "young_person"


def test_the_minimal_definition_is_valid():
    assert problems_in(MINIMAL, "proef.yaml") == []


def _set(path, value):
    def mutate(data):
        target = data
        for key in path[:-1]:
            target = target[key]
        if value is DELETE:
            del target[path[-1]]
        else:
            target[path[-1]] = value

    return mutate


DELETE = object()
ITEM0 = ["areas", 0, "items", 0]

BROKEN = [
    ("missing title", _set(["title"], DELETE), "(root)", "required"),
    ("version is text", _set(["version"], "one"), "version", "type"),
    ("unknown answer type", _set([*ITEM0, "type"], "yes_no"), "areas/0/items/0/type", "enum"),
    (
        "unknown property",
        _set(["areas", 0, "colour"], "red"),
        "areas/0",
        "additionalProperties",
    ),
    (
        "duplicate item id",
        _set(["areas", 0, "items", 1, "id"], "q1"),
        "areas/0/items/1/id",
        "unique-id",
    ),
    (
        "score on an unknown scale",
        _set([*ITEM0, "score"], {"nope": 1}),
        "areas/0/items/0/score/nope",
        "known-scale",
    ),
    (
        "thresholds that do not rise",
        _set(["scales", 0, "thresholds"], {"low": 3, "elevated": 2, "high": 4}),
        "scales/0/thresholds",
        "thresholds-ascending",
    ),
    (
        "scored free text",
        _set(["areas", 0, "items", 2, "score"], {"sexual": 1}),
        "areas/0/items/2/score",
        "text-never-scored",
    ),
    (
        "red flag on an unknown item",
        _set(["red_flags", 0, "when"], {"item": "q9", "equals": "yes"}),
        "red_flags/0/when/item",
        "known-item",
    ),
    (
        "red flag with an impossible answer",
        _set(["red_flags", 0, "when"], {"item": "q2", "equals": "ja"}),
        "red_flags/0/when/equals",
        "known-value",
    ),
    (
        "red flag that looks at a scale",
        _set(["red_flags", 0, "when"], {"scale": "sexual", "level_at_least": "high"}),
        "red_flags/0/when",
        "red-flag-looks-at-answers",
    ),
    (
        "rule with an unknown block",
        _set(["advice_rules", 0, "blocks"], ["nope"]),
        "advice_rules/0/blocks/0",
        "known-block",
    ),
    (
        "rule with an unknown level",
        _set(["advice_rules", 0, "when"], {"scale": "sexual", "level_at_least": "hoog"}),
        "advice_rules/0/when/level_at_least",
        "known-level",
    ),
    (
        "condition of an unknown kind",
        _set(["advice_rules", 0, "when"], {"weather": "sunny"}),
        "advice_rules/0/when",
        "condition-shape",
    ),
    (
        "choice without options",
        _set([*ITEM0, "type"], "single"),
        "areas/0/items/0",
        "choice-needs-options",
    ),
    ("a guide with scales", _set(["kind"], "guide"), "scales", "guide-has-no-scales"),
    (
        "112 as a wegwijzer key",
        _set(["red_flags", 0, "contacts"], ["112"]),
        "red_flags/0/contacts/0",
        "no-112-contact",
    ),
    (
        "a scored protective factor",
        _set([*ITEM0, "protective"], True),
        "areas/0/items/0/score",
        "protective-not-scored",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "path", "rule"), [case[1:] for case in BROKEN], ids=[case[0] for case in BROKEN]
)
def test_a_broken_definition_names_path_and_rule(mutate, path, rule):
    data = copy.deepcopy(MINIMAL)
    mutate(data)
    problems = problems_in(data, "proef.yaml")
    assert (path, rule) in [(p.path, p.rule) for p in problems], problems
    assert all(p.file == "proef.yaml" for p in problems)
    with pytest.raises(InstrumentError) as error:
        parse_definition(data, "proef.yaml")
    assert f"proef.yaml: {path}: [{rule}]" in str(error.value)


def test_every_problem_is_reported_not_only_the_first():
    data = copy.deepcopy(MINIMAL)
    data["areas"][0]["items"][0]["score"] = {"nope": 1}
    data["advice_rules"][0]["blocks"] = ["nope"]
    data["red_flags"][0]["when"] = {"item": "q9", "equals": "yes"}
    rules = {p.rule for p in problems_in(data, "proef.yaml")}
    assert rules >= {"known-scale", "known-block", "known-item"}


def _write(folder: Path, name: str, data) -> Path:
    path = folder / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True))
    return path


def test_a_yaml_syntax_error_names_the_line(tmp_path):
    path = _write(tmp_path, "kapot.yaml", "id: proef\nversion: [1\ntitle: x\n")
    with pytest.raises(InstrumentError) as error:
        load_file(path)
    (problem,) = error.value.problems
    assert problem.rule == "yaml-syntax"
    assert problem.path.startswith("line ")
    assert problem.file.endswith("kapot.yaml")


def test_check_instruments_lists_file_path_and_rule_of_every_error(tmp_path):
    broken = copy.deepcopy(MINIMAL)
    broken["areas"][0]["items"][0]["type"] = "yes_no"
    broken["advice_rules"][0]["blocks"] = ["nope"]
    _write(tmp_path, "broken.yaml", broken)
    _write(tmp_path, "good.yaml", {**MINIMAL, "id": "goed"})
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("check_instruments", str(tmp_path), stdout=out, stderr=err)
    assert "broken.yaml: areas/0/items/0/type: [enum]" in err.getvalue()
    assert "ok" in out.getvalue() and "goed v1" in out.getvalue()


def test_check_instruments_passes_on_the_shipped_files():
    out = StringIO()
    call_command("check_instruments", stdout=out)
    assert "5 instrument file(s) are valid." in out.getvalue()


def test_the_same_id_and_version_in_two_files_is_refused(tmp_path):
    _write(tmp_path, "een.yaml", MINIMAL)
    _write(tmp_path, "twee.yaml", {**MINIMAL, "title": "Anders"})
    _instruments, problems = check_files([tmp_path])
    assert [(p.path, p.rule) for p in problems] == [("version", "unique-version")]


def test_the_system_check_reports_a_broken_shipped_file(tmp_path, monkeypatch):
    broken = copy.deepcopy(MINIMAL)
    del broken["disclaimer"]
    _write(tmp_path, "proef.yaml", broken)
    monkeypatch.setattr(loading, "INSTRUMENTS_DIR", tmp_path)
    errors = checks.instrument_files_are_valid(None)
    assert [e.id for e in errors] == ["schakel.screening.E001"]
    assert "proef.yaml: (root): [required]" in errors[0].msg


@pytest.mark.django_db
def test_load_instruments_is_idempotent():
    out = StringIO()
    call_command("load_instruments", stdout=out)
    assert "5 new version(s)" in out.getvalue()
    out = StringIO()
    call_command("load_instruments", stdout=out)
    assert "0 new version(s), 5 unchanged" in out.getvalue()
    assert InstrumentVersion.objects.count() == 5


@pytest.mark.django_db
def test_a_published_version_never_changes(tmp_path):
    _write(tmp_path, "proef.yaml", MINIMAL)
    call_command("load_instruments", str(tmp_path), stdout=StringIO())
    _write(tmp_path, "proef.yaml", {**MINIMAL, "title": "Stiekem anders"})
    with pytest.raises(CommandError, match="versie 1 is al gepubliceerd"):
        call_command("load_instruments", str(tmp_path), stdout=StringIO())
    assert InstrumentVersion.objects.get(key="proef").title == "Proef"


@pytest.mark.django_db
def test_loading_is_all_or_nothing(tmp_path):
    _write(tmp_path, "good.yaml", MINIMAL)
    broken = copy.deepcopy(MINIMAL)
    broken["id"] = "kapot"
    broken["scales"][0]["thresholds"]["high"] = 0
    _write(tmp_path, "kapot.yaml", broken)
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("load_instruments", str(tmp_path), stdout=StringIO(), stderr=err)
    assert "kapot.yaml: scales/0/thresholds/high: [exclusiveMinimum]" in err.getvalue()
    assert not InstrumentVersion.objects.exists()


@pytest.mark.django_db
def test_an_owner_loads_a_licensed_instrument_without_code_changes(tmp_path):
    licensed = {
        **copy.deepcopy(MINIMAL),
        "id": "licentie-instrument",
        "title": "Gelicenseerd instrument",
        "status": "validated",
        "owner": "Eigenaar B.V.",
        "licence": "Alleen voor organisaties met een licentie.",
    }
    _write(tmp_path, "licentie.yaml", licensed)
    call_command("load_instruments", str(tmp_path), stdout=StringIO())
    instrument = selectors.instrument_get(key="licentie-instrument")
    assert instrument.status == "validated"
    assert instrument.licence.startswith("Alleen")


def test_the_shipped_files_live_in_the_app():
    assert INSTRUMENTS_DIR.is_dir()
    assert len(list(INSTRUMENTS_DIR.rglob("*.yaml"))) == 5
