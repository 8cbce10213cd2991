from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from schakel.privacy.register import RegisterError, parse_register, processing_register


def test_shipped_register_is_valid_and_has_the_core_activities():
    register = processing_register()
    for key in (
        "person_record",
        "screening",
        "referral",
        "case_coordination",
        "signal_index",
        "national_registration",
        "monitor",
        "knowledge_base",
    ):
        activity = register.get(key)
        assert activity.legal_bases and activity.retention_days > 0


def _write(tmp_path: Path, data) -> Path:
    path = tmp_path / "register.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return path


def test_invalid_register_names_file_path_and_rule(tmp_path):
    data = {"version": 1, "controller": "x", "activities": [{"key": "Bad Key"}]}
    with pytest.raises(RegisterError) as error:
        parse_register(_write(tmp_path, data))
    message = str(error.value)
    assert "register.yaml" in message and "activities/0" in message


def test_duplicate_keys_are_refused(tmp_path, settings):
    source = yaml.safe_load(Path(settings.SCHAKEL_PROCESSING_REGISTER).read_text())
    source["activities"].append(source["activities"][0])
    with pytest.raises(RegisterError, match="duplicate key 'person_record'"):
        parse_register(_write(tmp_path, source))


def test_system_check_runs_register_validation():
    call_command("check")
