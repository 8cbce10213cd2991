"""The processing log against someone with write access to the database (issue 13, item 2).

Each attack is done the way such an attacker would: updates with the ORM or raw SQL, and every
hash recomputed without the log key (plain SHA-256, or an HMAC with a key of their own). The
keyed chain and the signed checkpoints outside the database must catch each one and name the
first bad entry.
"""

import base64
import json
import os
from io import StringIO
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.core.management import CommandError, call_command
from django.db import connection

from schakel.privacy import checkpoints, log_verify
from schakel.privacy.chain import FIELDS, GENESIS, audit_digest, entry_digest
from schakel.privacy.models import AuditEntry, LogChainHead, ProcessingEntry
from schakel.privacy.services import (
    LogNotIntact,
    log_checkpoint_write,
    processing_log_verify,
    processing_record,
)
from tests.accounts.factories import MembershipFactory

pytestmark = pytest.mark.django_db

TEST_LOG_KEY = b"log-hmac-key-for-tests-only-0000"  # conf/test.py, key id t1
OTHER_LOG_KEY = base64.b64encode(b"second-log-key-for-tests-only-00").decode()
OTHER_CHECKPOINT_SEED = base64.b64encode(b"second-checkpoint-key-for-tests!").decode()
ATTACKER_KEY = b"a-key-the-attacker-made-up-00000"


@pytest.fixture
def actor(db):
    return MembershipFactory()


def _record(actor, count: int, start: int = 0):
    return [
        processing_record(
            actor=actor, subject=f"pseudonym-{i}", activity="person_record", operation="read"
        )
        for i in range(start, start + count)
    ]


def _rechain(from_seq: int, *, key: bytes | None, key_id: str | None = None) -> None:
    """What an attacker does after changing something: recompute the hash of every entry from
    `from_seq` on, their audit hashes and the chain head. `key` None: plain SHA-256 (the old
    scheme); bytes: an HMAC with that key. `key_id` also rewrites the entries' key id."""
    prev = ProcessingEntry.objects.get(seq=from_seq - 1).entry_hash if from_seq > 1 else GENESIS
    for entry in ProcessingEntry.objects.filter(seq__gte=from_seq).order_by("seq"):
        values = {name: getattr(entry, name) for name in FIELDS}
        values["prev_hash"] = prev
        new_hash = entry_digest(values, key)
        changes = {"prev_hash": prev, "entry_hash": new_hash}
        if key_id is not None:
            changes["key_id"] = key_id
        ProcessingEntry.objects.filter(pk=entry.pk).update(**changes)
        audit = AuditEntry.objects.get(entry_id=entry.pk)
        AuditEntry.objects.filter(pk=audit.pk).update(
            audit_hash=audit_digest(new_hash, audit.user_id, key)
        )
        prev = new_hash
    last = ProcessingEntry.objects.order_by("-seq").first()
    LogChainHead.objects.filter(pk=1).update(seq=last.seq, last_hash=last.entry_hash)


def _files(directory) -> list:
    return [path for _number, path in checkpoints.iter_paths(directory)]


def _verify_command(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("verify_processing_log", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _rewrite_file(path, change) -> None:
    """Change a checkpoint file in place, as someone could on storage that is not append-only."""
    data = json.loads(path.read_text())
    change(data)
    os.chmod(path, 0o640)
    path.write_text(json.dumps(data))


# -- the keyed chain ------------------------------------------------------------------------------


def test_entries_are_signed_with_the_first_log_key_and_name_it(actor):
    entries = _record(actor, 2)
    stored = ProcessingEntry.objects.get(pk=entries[1].pk)
    assert stored.key_id == "t1"
    values = {name: getattr(stored, name) for name in FIELDS}
    assert stored.entry_hash == entry_digest(values, TEST_LOG_KEY)
    assert stored.entry_hash != entry_digest(values, None), "not the plain SHA-256 any more"
    audit = AuditEntry.objects.get(entry=stored)
    assert audit.audit_hash == audit_digest(stored.entry_hash, actor.user_id, TEST_LOG_KEY)


@pytest.mark.parametrize(
    "key", [None, ATTACKER_KEY], ids=["plain-sha256", "hmac-with-the-attackers-key"]
)
def test_b_changed_entry_with_every_later_hash_recomputed_is_detected(actor, key):
    _record(actor, 8)
    ProcessingEntry.objects.filter(seq=5).update(subject_pseudonym="someone-else")
    _rechain(5, key=key)
    report = processing_log_verify()
    assert not report.ok
    assert report.seq == 5
    assert report.problem == "entry 5 was changed (its hash does not match)"
    with pytest.raises(CommandError, match="first broken entry: seq 5"):
        _verify_command()


def test_b_rewriting_entries_as_old_unkeyed_ones_is_detected(actor):
    """Downgrade: the attacker marks the entries as written before the log was keyed."""
    _record(actor, 4)
    log_checkpoint_write()
    _record(actor, 4, start=4)
    ProcessingEntry.objects.filter(seq=6).update(subject_pseudonym="someone-else")
    _rechain(6, key=None, key_id="")
    report = processing_log_verify()
    assert not report.ok and report.seq == 6
    assert "old unkeyed hash" in report.problem and "rewritten" in report.problem


def test_b_downgrading_the_whole_log_before_any_checkpoint_is_detected(actor):
    _record(actor, 3)
    ProcessingEntry.objects.filter(seq=2).update(subject_pseudonym="someone-else")
    _rechain(1, key=None, key_id="")
    report = processing_log_verify()
    assert not report.ok and report.seq == 1
    assert "no checkpoint anchors it yet" in report.problem


def test_b_even_with_the_log_key_a_rewrite_before_a_checkpoint_is_detected(actor):
    """An insider who also holds the log key can recompute valid HMACs, but not the checkpoint
    signed outside the database."""
    _record(actor, 5)
    log_checkpoint_write()
    _record(actor, 2, start=5)
    ProcessingEntry.objects.filter(seq=2).update(subject_pseudonym="someone-else")
    _rechain(2, key=TEST_LOG_KEY)
    report = processing_log_verify()
    assert not report.ok and report.seq == 5
    assert report.problem.startswith("entry 5 does not match checkpoint 1")


@pytest.mark.parametrize(
    "key", [None, ATTACKER_KEY], ids=["plain-sha256", "hmac-with-the-attackers-key"]
)
def test_c_changed_user_with_recomputed_audit_hash_is_detected(actor, key):
    entries = _record(actor, 5)
    other = MembershipFactory()
    new_hash = audit_digest(entries[3].entry_hash, other.user_id, key)
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET user_id = %s, audit_hash = %s WHERE entry_id = %s",  # noqa: S608
            [other.user_id, new_hash, entries[3].pk],
        )
    report = processing_log_verify()
    assert not report.ok and report.seq == 4
    assert report.problem == "the audit entry of entry 4 was changed"


# -- (a) cutting off the end --------------------------------------------------------------------


def _cut_back_to(seq: int) -> None:
    AuditEntry.objects.filter(entry__seq__gt=seq).delete()
    ProcessingEntry.objects.filter(seq__gt=seq).delete()
    last = ProcessingEntry.objects.get(seq=seq)
    LogChainHead.objects.filter(pk=1).update(seq=seq, last_hash=last.entry_hash)


def test_a_last_entries_deleted_and_head_moved_back_is_detected(actor):
    _record(actor, 10)
    log_checkpoint_write()
    _cut_back_to(7)
    report = processing_log_verify()
    assert not report.ok and report.seq == 8
    assert report.problem.startswith("entries after 7 are missing: checkpoint 1 (written ")
    assert "anchors entry 10" in report.problem
    with pytest.raises(CommandError, match="first broken entry: seq 8"):
        _verify_command()


def test_a_the_checkpoint_writer_refuses_a_log_that_went_back(actor, log_checkpoint_dir):
    _record(actor, 6)
    log_checkpoint_write()
    _cut_back_to(4)
    _record(actor, 1, start=10)  # the log moves on from the cut, but is still behind
    with pytest.raises(LogNotIntact, match="head is at entry 5, behind checkpoint 1") as caught:
        log_checkpoint_write()
    assert caught.value.seq == 6
    _record(actor, 2, start=11)  # and past it: entry 6 is another entry now
    with pytest.raises(LogNotIntact, match="entry 6 does not match checkpoint 1") as caught:
        log_checkpoint_write()
    assert caught.value.seq == 6
    _cut_back_to(3)
    with pytest.raises(LogNotIntact, match="behind checkpoint 1"):
        log_checkpoint_write()
    with pytest.raises(CommandError, match="No checkpoint written: the processing log is NOT"):
        call_command("write_log_checkpoint", stdout=StringIO())
    assert len(_files(log_checkpoint_dir)) == 1


def test_entries_after_the_head_are_detected(actor):
    _record(actor, 4)
    LogChainHead.objects.filter(pk=1).update(
        seq=3, last_hash=ProcessingEntry.objects.get(seq=3).entry_hash
    )
    report = processing_log_verify()
    assert not report.ok and report.seq == 4
    assert "beyond the chain head" in report.problem


def test_entries_written_while_verifying_are_no_alarm(actor, monkeypatch):
    """On a live system the head moves on during the walk; the entries it walked must still
    end at a head it read."""
    _record(actor, 3)
    early = log_verify.read_head()
    _record(actor, 2, start=3)
    heads = iter([early, log_verify.read_head()])
    monkeypatch.setattr(log_verify, "read_head", lambda: next(heads))
    report = processing_log_verify()
    assert report.ok, report.problem
    assert report.checked == 5


# -- checkpoint files -----------------------------------------------------------------------------


def _three_checkpoints(actor) -> None:
    for start in (0, 2, 4):
        _record(actor, 2, start=start)
        log_checkpoint_write()


def test_checkpoints_are_new_read_only_files_checked_as_the_walk_passes_them(
    actor, log_checkpoint_dir
):
    _three_checkpoints(actor)
    _record(actor, 1, start=9)
    files = _files(log_checkpoint_dir)
    assert [p.relative_to(log_checkpoint_dir).as_posix() for p in files] == [
        "000000/checkpoint-000000000001.json",
        "000000/checkpoint-000000000002.json",
        "000000/checkpoint-000000000003.json",
    ]
    assert all(p.stat().st_mode & 0o222 == 0 for p in files), "written read-only"
    data = json.loads(files[2].read_text())
    assert (data["number"], data["seq"], data["key_id"]) == (3, 6, "t1")
    assert data["head_hash"] == ProcessingEntry.objects.get(seq=6).entry_hash
    assert "legacy" not in json.loads(files[0].read_text()), "no entries from before the keys"
    report = processing_log_verify(chunk_size=2)
    assert report.ok, report.problem
    assert (report.checked, report.checkpoints, report.last_checkpoint.seq) == (7, 3, 6)
    assert report.warnings == ()


def test_a_checkpoint_is_only_written_when_the_log_moved(actor, log_checkpoint_dir):
    assert log_checkpoint_write().written is None, "an empty log"
    _record(actor, 2)
    assert log_checkpoint_write().written.number == 1
    result = log_checkpoint_write()
    assert result.written is None and result.latest.number == 1
    assert len(_files(log_checkpoint_dir)) == 1


def test_a_checkpoint_is_never_overwritten(actor, log_checkpoint_dir):
    _record(actor, 2)
    first = log_checkpoint_write().written
    before = first.path.read_bytes()
    with pytest.raises(checkpoints.CheckpointError, match="already exists"):
        checkpoints.write(log_checkpoint_dir, number=1, seq=1, head_hash="0" * 64, written_at="now")
    assert first.path.read_bytes() == before


@pytest.mark.parametrize(
    "change",
    [
        lambda data: data.update(seq=data["seq"] - 1),
        lambda data: data.update(head_hash="f" * 64),
        lambda data: data.update(written_at="2020-01-01T00:00:00+00:00"),
    ],
    ids=["seq", "head_hash", "written_at"],
)
def test_altered_checkpoint_file_is_detected(actor, log_checkpoint_dir, change):
    _three_checkpoints(actor)
    path = _files(log_checkpoint_dir)[1]
    _rewrite_file(path, change)
    report = processing_log_verify()
    assert not report.ok and report.seq is None
    assert report.problem == f"checkpoint file {path} was altered: its signature does not match"
    with pytest.raises(CommandError, match="was altered") as caught:
        _verify_command()
    assert "first broken entry" not in str(caught.value)
    with pytest.raises(checkpoints.CheckpointError, match="was altered"):
        log_checkpoint_write() if path == _files(log_checkpoint_dir)[-1] else checkpoints.load(path)


def test_checkpoint_signed_with_a_key_of_the_attackers_own_is_detected(actor, log_checkpoint_dir):
    _three_checkpoints(actor)
    path = _files(log_checkpoint_dir)[2]
    forged_key = Ed25519PrivateKey.from_private_bytes(ATTACKER_KEY)

    def forge(data):
        data.pop("signature")
        data["seq"] = 3
        signed = checkpoints._signed_bytes(data)
        data["signature"] = base64.b64encode(forged_key.sign(signed)).decode()

    _rewrite_file(path, forge)
    report = processing_log_verify()
    assert not report.ok and "was altered" in report.problem


def test_removed_checkpoint_is_detected(actor, log_checkpoint_dir):
    _three_checkpoints(actor)
    _files(log_checkpoint_dir)[1].unlink()
    report = processing_log_verify()
    assert not report.ok
    assert report.problem == (
        "checkpoint 2 is missing from the checkpoint folder (the next file holds checkpoint 3): "
        "it was removed"
    )


def test_checkpoint_going_back_is_detected(actor, log_checkpoint_dir):
    """Even correctly signed (by someone holding the checkpoint key), a lower seq is a rollback."""
    _record(actor, 4)
    log_checkpoint_write()
    checkpoints.write(
        log_checkpoint_dir,
        number=2,
        seq=2,
        head_hash=ProcessingEntry.objects.get(seq=2).entry_hash,
        written_at="2026-01-01T00:00:00+00:00",
    )
    report = processing_log_verify()
    assert not report.ok
    assert report.problem == (
        "checkpoint 2 goes back: it anchors entry 2, but checkpoint 1 already anchored entry 4"
    )


def test_renamed_or_broken_checkpoint_file_is_detected(actor, log_checkpoint_dir):
    _record(actor, 2)
    first = log_checkpoint_write().written
    copy = checkpoints.path_for(log_checkpoint_dir, 2)
    copy.write_bytes(first.path.read_bytes())
    report = processing_log_verify()
    assert not report.ok
    assert report.problem == f"checkpoint file {copy} holds checkpoint 1: it was renamed or moved"
    copy.write_text("{not json")
    report = processing_log_verify()
    assert not report.ok and report.problem.startswith(f"checkpoint file {copy} is not a valid")


def test_an_unreadable_checkpoint_folder_is_reported(actor, log_checkpoint_dir, monkeypatch):
    _record(actor, 2)
    log_checkpoint_write()
    group = _files(log_checkpoint_dir)[0].parent
    real_scandir = os.scandir

    def scandir(path):
        if Path(path) == group:  # as a folder the app's user may not read
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(checkpoints.os, "scandir", scandir)
    report = processing_log_verify()
    assert not report.ok
    assert report.problem == f"the checkpoint folder {group} cannot be read (Permission denied)"
    with pytest.raises(CommandError, match="cannot be read"):
        _verify_command()
    with pytest.raises(checkpoints.CheckpointError, match="cannot be read"):
        log_checkpoint_write()


def test_the_first_problem_in_seq_order_is_reported(actor, log_checkpoint_dir):
    _three_checkpoints(actor)
    _rewrite_file(_files(log_checkpoint_dir)[2], lambda data: data.update(seq=5))
    ProcessingEntry.objects.filter(seq=2).update(outcome="error")
    report = processing_log_verify()
    assert not report.ok and report.seq == 2


def test_verify_can_read_the_checkpoints_from_another_folder(actor, log_checkpoint_dir, tmp_path):
    _record(actor, 3)
    log_checkpoint_write()
    out, err = _verify_command("--checkpoint-dir", str(tmp_path / "empty"))
    assert "3 entries checked." in out
    assert "Warning: no checkpoint in" in err
    out, err = _verify_command("--checkpoint-dir", str(log_checkpoint_dir))
    assert "1 checkpoints checked, the latest (1, written" in out and err == ""


# -- entries from before the log was keyed --------------------------------------------------------


@pytest.fixture
def legacy_log(actor):
    """A log as the old code left it: four entries with plain SHA-256 and no key id."""
    _record(actor, 4)
    _rechain(1, key=None, key_id="")
    return actor


def test_legacy_entries_verify_once_the_first_checkpoint_anchors_them(legacy_log):
    report = processing_log_verify()
    assert not report.ok and report.seq == 1
    assert "run `manage.py write_log_checkpoint` once" in report.problem
    first = log_checkpoint_write().written
    assert (first.legacy_until, len(first.legacy_audit_digest)) == (4, 64)
    _record(legacy_log, 2, start=4)
    assert list(ProcessingEntry.objects.values_list("key_id", flat=True)) == [""] * 4 + ["t1"] * 2
    report = processing_log_verify()
    assert report.ok, report.problem
    assert report.checked == 6
    assert log_checkpoint_write().written.number == 2


def test_changed_user_of_a_legacy_entry_is_detected_by_the_first_checkpoint(legacy_log):
    log_checkpoint_write()
    _record(legacy_log, 1, start=4)
    entry = ProcessingEntry.objects.get(seq=2)
    other = MembershipFactory()
    AuditEntry.objects.filter(entry=entry).update(
        user_id=other.user_id, audit_hash=audit_digest(entry.entry_hash, other.user_id, None)
    )
    report = processing_log_verify()
    assert not report.ok
    assert report.problem == (
        "the audit entries of entries 1 to 4 (written before the log was keyed) do not match "
        "checkpoint 1: one of them was changed"
    )


def test_rewritten_legacy_entry_is_detected_by_the_first_checkpoint(legacy_log):
    log_checkpoint_write()
    ProcessingEntry.objects.filter(seq=2).update(subject_pseudonym="someone-else")
    _rechain(2, key=None)
    report = processing_log_verify()
    assert not report.ok and report.seq == 4
    assert report.problem.startswith("entry 4 does not match checkpoint 1")


# -- key rotation ---------------------------------------------------------------------------------


def test_log_key_rotation_keeps_old_entries_verifiable_while_the_old_key_is_kept(actor, settings):
    _record(actor, 3)
    log_checkpoint_write()
    settings.SCHAKEL_LOG_KEYS = f"t2:{OTHER_LOG_KEY},{settings.SCHAKEL_LOG_KEYS}"
    _record(actor, 2, start=3)
    assert list(ProcessingEntry.objects.values_list("key_id", flat=True)) == [
        "t1",
        "t1",
        "t1",
        "t2",
        "t2",
    ]
    assert processing_log_verify().ok
    assert log_checkpoint_write().written.number == 2

    settings.SCHAKEL_LOG_KEYS = f"t2:{OTHER_LOG_KEY}"
    report = processing_log_verify()
    assert not report.ok and report.seq == 1
    assert report.problem == (
        "entry 1 was signed with log key 't1', which is not in SCHAKEL_LOG_KEYS: put that key "
        "back in the ring (after the current one) to verify it"
    )


def test_checkpoint_key_rotation(actor, settings, log_checkpoint_dir):
    _record(actor, 2)
    log_checkpoint_write()
    old = settings.SCHAKEL_LOG_CHECKPOINT_KEYS
    settings.SCHAKEL_LOG_CHECKPOINT_KEYS = f"c2:{OTHER_CHECKPOINT_SEED},{old}"
    _record(actor, 2, start=2)
    assert log_checkpoint_write().written.key_id == "c2"
    report = processing_log_verify()
    assert report.ok and report.checkpoints == 2

    settings.SCHAKEL_LOG_CHECKPOINT_KEYS = f"c2:{OTHER_CHECKPOINT_SEED}"
    report = processing_log_verify()
    assert not report.ok
    assert f"checkpoint file {_files(log_checkpoint_dir)[0]} is signed with checkpoint key" in (
        report.problem
    )
    assert "'t1', which is not in SCHAKEL_LOG_CHECKPOINT_KEYS" in report.problem


def test_public_keys_are_printed_for_checking_the_files_elsewhere():
    out = StringIO()
    call_command("write_log_checkpoint", "--public-keys", stdout=out)
    seed = b"checkpoint-key-for-tests-only-00"  # conf/test.py
    public = Ed25519PrivateKey.from_private_bytes(seed).public_key()
    raw = public.public_bytes(Encoding.Raw, PublicFormat.Raw)
    assert out.getvalue() == f"t1:{base64.b64encode(raw).decode()}\n"


# -- the periodic task and the commands -----------------------------------------------------------


def test_periodic_task_writes_a_checkpoint_every_five_minutes(actor, log_checkpoint_dir):
    from datetime import datetime

    from huey.contrib.djhuey import HUEY

    from schakel.privacy.tasks import write_log_checkpoint

    periodic = {type(task).__name__: task for task in HUEY._registry.periodic_tasks}
    schedule = periodic["write_log_checkpoint"]
    assert schedule.validate_datetime(datetime(2026, 3, 3, 10, 5))
    assert not schedule.validate_datetime(datetime(2026, 3, 3, 10, 7))

    _record(actor, 3)
    assert write_log_checkpoint.call_local() == {"written": 1, "problem": "", "seq": 3}
    assert write_log_checkpoint.call_local() == {"written": None, "problem": "", "seq": 3}
    assert len(_files(log_checkpoint_dir)) == 1


def test_periodic_task_writes_nothing_for_a_broken_log_and_logs_an_error(
    actor, log_checkpoint_dir, caplog
):
    from schakel.privacy.tasks import write_log_checkpoint

    _record(actor, 3)
    ProcessingEntry.objects.filter(seq=2).update(role="someone")
    with caplog.at_level("ERROR", logger="schakel.privacy.tasks"):
        result = write_log_checkpoint.call_local()
    assert result["written"] is None and result["seq"] == 2
    assert "processing log checkpoint NOT written" in caplog.text
    assert "entry 2 was changed" in caplog.text
    assert _files(log_checkpoint_dir) == []


def test_commands_report_in_plain_words(actor):
    out = StringIO()
    call_command("write_log_checkpoint", stdout=out)
    assert out.getvalue() == "No checkpoint: the processing log is empty.\n"
    _record(actor, 3)
    out, err = _verify_command()
    assert out == "Processing log intact: 3 entries checked.\n"
    assert err.startswith("Warning: no checkpoint in ")

    out = StringIO()
    call_command("write_log_checkpoint", stdout=out)
    assert out.getvalue().startswith("Checkpoint 1 written: entry 3 (hash ")
    out = StringIO()
    call_command("write_log_checkpoint", stdout=out)
    assert (
        out.getvalue() == "No new checkpoint: the log has not moved since checkpoint 1 (entry 3).\n"
    )

    _record(actor, 2, start=3)
    out, err = _verify_command()
    assert out.startswith("Processing log intact: 5 entries checked; 1 checkpoints checked, ")
    assert out.endswith(
        "anchors entry 3. Entries 4 to 5 came after it: until the next checkpoint only the log "
        "key protects them.\n"
    )
    assert err == ""


def test_verify_warns_when_the_latest_checkpoint_is_old(actor, log_checkpoint_dir):
    import datetime

    _record(actor, 2)
    checkpoints.write(
        log_checkpoint_dir,
        number=1,
        seq=2,
        head_hash=ProcessingEntry.objects.get(seq=2).entry_hash,
        written_at=(datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=45)).isoformat(
            timespec="seconds"
        ),
    )
    assert processing_log_verify().warnings == (), "nothing came after it"
    _record(actor, 3, start=2)
    report = processing_log_verify()
    assert report.ok
    assert report.warnings == (
        "the latest checkpoint (1) is 45 minutes old and 3 entries came after it: the worker "
        "writes one every 5 minutes; check that it runs, that the folder is mounted and "
        "writable, and the worker's log for 'checkpoint NOT written'",
    )
    log_checkpoint_write()
    assert processing_log_verify().warnings == ()


def test_without_a_checkpoint_folder_nothing_is_written(actor, settings):
    settings.SCHAKEL_LOG_CHECKPOINT_DIR = ""
    _record(actor, 1)
    with pytest.raises(CommandError, match="SCHAKEL_LOG_CHECKPOINT_DIR is not set"):
        call_command("write_log_checkpoint", stdout=StringIO())
    report = processing_log_verify()
    assert report.ok
    assert report.warnings[0].startswith("SCHAKEL_LOG_CHECKPOINT_DIR is not set")
