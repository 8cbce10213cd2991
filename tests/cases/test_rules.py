"""The rules file: validated at start-up; a broken file is refused with a clear message."""

from pathlib import Path

import pytest
import yaml

from schakel.cases import checks, rules
from schakel.cases.rules import RULES_FILE, RulesError, parse_rules


@pytest.fixture
def data():
    return yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))


def write(tmp_path: Path, data) -> Path:
    path = tmp_path / "case_rules.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_the_shipped_file_is_valid():
    parsed = parse_rules(RULES_FILE)
    assert [s.key for s in parsed.stages] == ["17y6m", "17y11m"]
    assert parsed.follow_up_months == (3, 6, 12)
    assert parsed.reflection_max_months == 3
    assert len(parsed.aftercare_domains) == 9
    assert parsed.lvb_tips and parsed.non_punishment_text


def test_texts_follow_the_language():
    from django.utils import translation

    parsed = parse_rules(RULES_FILE)
    with translation.override("en"):
        assert parsed.aftercare_domains[0].label == "Housing"
    with translation.override("nl"):
        assert parsed.aftercare_domains[0].label == "Wonen"


@pytest.mark.parametrize(
    "breaks",
    [
        lambda d: d.pop("transition"),
        lambda d: d["aftercare"].update(follow_up_months=[12, 3]),
        lambda d: d["aftercare"]["domains"].append(d["aftercare"]["domains"][0]),
        lambda d: d["handover_checklist"].pop(),
        lambda d: d["transition"]["stages"][0].update(due_at_months=1),
        lambda d: d["lvb_guidance"]["tips"][0].pop("en"),
        lambda d: d.update(extra=1),
    ],
)
def test_broken_files_are_refused(tmp_path, data, breaks):
    breaks(data)
    with pytest.raises(RulesError):
        parse_rules(write(tmp_path, data))


def test_the_system_check_reports_a_broken_file(tmp_path, monkeypatch):
    path = tmp_path / "case_rules.yaml"
    path.write_text("version: [", encoding="utf-8")
    monkeypatch.setattr(rules, "RULES_FILE", path)
    rules._load.cache_clear()
    try:
        errors = checks.case_rules_are_valid(None)
    finally:
        monkeypatch.undo()
        rules._load.cache_clear()
    assert errors and errors[0].id == "schakel.cases.E001"
