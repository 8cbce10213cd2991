"""The processing log's keys and checkpoint folder: the system check, and the commands as an
operator runs them (exit codes)."""

import base64

import pytest

from schakel.privacy.checks import processing_log_keys_are_valid

GOOD = base64.b64encode(b"k" * 32).decode()
OTHER = base64.b64encode(b"o" * 32).decode()


@pytest.mark.parametrize("length", [16, 32, 64, 65, 200])
def test_the_chains_hmac_is_standard_hmac_sha256(length):
    import hmac
    import os

    from schakel.privacy.chain import hmac_sha256

    key, message = os.urandom(length), os.urandom(300)
    assert hmac_sha256(key, message) == hmac.digest(key, message, "sha256").hex()


def _problems():
    return [(p.id, p.msg) for p in processing_log_keys_are_valid(None)]


def test_test_settings_pass_the_check():
    assert _problems() == []


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "SCHAKEL_LOG_KEYS: the key ring is empty"),
        ("l1", "SCHAKEL_LOG_KEYS: key ring entry 'l1…' is not 'id:base64key'"),
        ("l1:not-base64!", "SCHAKEL_LOG_KEYS: key 'l1' is not valid base64"),
        (
            f"l1:{base64.b64encode(b'k' * 20).decode()}",
            "SCHAKEL_LOG_KEYS: key 'l1' has 20 bytes; at least 32 are needed",
        ),
        (f"l1:{GOOD},l2:{GOOD}", "SCHAKEL_LOG_KEYS: every key id needs its own key"),
        (f"l1:{GOOD},l1:{OTHER}", "SCHAKEL_LOG_KEYS: a key id appears twice"),
    ],
)
def test_a_bad_log_key_ring_fails_the_check_naming_the_problem(settings, spec, message):
    settings.SCHAKEL_LOG_KEYS = spec
    assert _problems() == [("schakel.privacy.E003", message)]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "SCHAKEL_LOG_CHECKPOINT_KEYS: the key ring is empty"),
        (
            f"c1:{base64.b64encode(b'k' * 31).decode()}",
            "SCHAKEL_LOG_CHECKPOINT_KEYS: key 'c1' has 31 bytes; an Ed25519 seed has 32",
        ),
        (f"c1:{GOOD},c1:{OTHER}", "SCHAKEL_LOG_CHECKPOINT_KEYS: key id 'c1' appears twice"),
        (f"c1:{GOOD},c2:{GOOD}", "SCHAKEL_LOG_CHECKPOINT_KEYS: every key id needs its own key"),
    ],
)
def test_a_bad_checkpoint_key_ring_fails_the_check(settings, spec, message):
    settings.SCHAKEL_LOG_CHECKPOINT_KEYS = spec
    assert _problems() == [("schakel.privacy.E004", message)]


def test_the_checkpoint_folder_is_checked(settings, tmp_path):
    settings.SCHAKEL_LOG_CHECKPOINT_DIR = ""
    assert [p[0] for p in _problems()] == ["schakel.privacy.W001"]
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    settings.SCHAKEL_LOG_CHECKPOINT_DIR = str(a_file)
    assert _problems() == [
        ("schakel.privacy.E005", f"SCHAKEL_LOG_CHECKPOINT_DIR ({a_file}) is not a folder")
    ]


def _run(capsys, monkeypatch, *argv) -> tuple[int, str, str]:
    """Run a command as `manage.py` does (exit code from CommandError, output on the streams);
    only the closing of the connections afterwards is left out (the test's transaction)."""
    from django.core.management import ManagementUtility, base

    monkeypatch.setattr(base.connections, "close_all", lambda: None)
    try:
        ManagementUtility(["manage.py", *argv]).execute()
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.django_db
def test_operator_commands_exit_codes(capsys, monkeypatch, log_checkpoint_dir):
    """What an operator and the worker run: entries are written, the command anchors them, and
    after a cut-back with raw SQL `verify_processing_log` exits 1 naming the entry."""
    from django.db import connection

    from schakel.privacy.services import processing_record

    for i in range(3):
        processing_record(actor=None, subject=f"s{i}", activity="monitor", operation="read")
    code, out, _err = _run(capsys, monkeypatch, "write_log_checkpoint")
    assert code == 0
    assert out.startswith("Checkpoint 1 written: entry 3 (hash ")
    assert (log_checkpoint_dir / "000000" / "checkpoint-000000000001.json").exists()
    code, out, _err = _run(capsys, monkeypatch, "verify_processing_log")
    assert code == 0
    assert out.startswith("Processing log intact: 3 entries checked; 1 checkpoints")

    with connection.cursor() as cursor:  # the attacker's raw SQL
        cursor.execute(
            "DELETE FROM privacy_auditentry WHERE entry_id IN "
            "(SELECT id FROM privacy_processingentry WHERE seq = 3)"
        )
        cursor.execute("DELETE FROM privacy_processingentry WHERE seq = 3")
        cursor.execute(
            "UPDATE privacy_logchainhead SET seq = 2, last_hash = "
            "(SELECT entry_hash FROM privacy_processingentry WHERE seq = 2)"
        )
    code, _out, err = _run(capsys, monkeypatch, "verify_processing_log")
    assert code == 1
    assert "Processing log is NOT intact: entries after 2 are missing: checkpoint 1" in err
    assert "(first broken entry: seq 3; 2 entries checked before)" in err
    code, _out, err = _run(capsys, monkeypatch, "write_log_checkpoint")
    assert code == 1
    assert "No checkpoint written: the processing log is NOT intact: the chain head is at " in err
