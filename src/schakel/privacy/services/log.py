"""The processing log: appending entries (`processing_record`, `processing_record_many`), checking
the chain (`processing_log_verify`) and anchoring it outside the database
(`log_checkpoint_write`)."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from .. import checkpoints, log_verify
from ..checkpoints import Checkpoint
from ..log_verify import ChainReport, LogNotIntact
from ..log_writer import append_entries
from ..models import ProcessingEntry
from ..register import processing_register
from ..trace import current_trace_id, new_span_id

SYSTEM_ROLE = "system"


def _subject_pseudonym(subject) -> str:
    if isinstance(subject, str):
        return subject
    from schakel.people.pseudonyms import log_pseudonym

    return log_pseudonym(subject)


def processing_record_many(
    *,
    actor,
    subjects,
    activity: str,
    operation: str = "",
    outcome: str = ProcessingEntry.Outcome.OK,
    operations=None,
    head=None,
) -> list[ProcessingEntry]:
    """Append one entry per subject to the processing log, in one locked step.

    `actor` is a Membership (or None for the system); each subject is a Person or a log
    pseudonym. `operations`, when given, holds one operation per subject (in the same order)
    instead of the one `operation` for all: several kinds of processing of one request then
    cost one locked step. Runs inside the caller's transaction when there is one, so the
    entries and the change they record commit together. `head` is the chain head as the caller
    read and locked it earlier in this transaction (`log_writer.head_lock_sql`).
    """
    register = processing_register()
    register.get(activity)
    subjects = list(subjects)
    ops = list(operations) if operations is not None else [operation] * len(subjects)
    if len(ops) != len(subjects):
        raise ValueError("give one operation per subject")
    for op in set(ops) if operations is not None else {operation}:
        if op not in ProcessingEntry.Operation.values:
            raise ValueError(f"unknown operation '{op}'")
    pseudonyms = [_subject_pseudonym(subject) for subject in subjects]
    if not pseudonyms:
        return []
    common = {
        "trace_id": current_trace_id(),
        "activity": activity,
        "register_version": register.version,
        "operation": ops[0],
        "organisation_id": actor.organisation_id if actor else None,
        "role": actor.role if actor else SYSTEM_ROLE,
        "occurred_at": timezone.now(),
        "outcome": outcome,
    }
    user_id = actor.user_id if actor else None
    return append_entries(
        common,
        [(p, new_span_id(), op) for p, op in zip(pseudonyms, ops, strict=True)],
        user_id,
        head=head,
    )


def processing_record(
    *,
    actor,
    subject,
    activity: str,
    operation: str,
    outcome: str = ProcessingEntry.Outcome.OK,
) -> ProcessingEntry:
    """Append one entry to the processing log (see `processing_record_many`)."""
    return processing_record_many(
        actor=actor, subjects=[subject], activity=activity, operation=operation, outcome=outcome
    )[0]


def processing_log_verify(*, chunk_size: int = 5000, checkpoint_dir=None) -> ChainReport:
    """Walk the whole chain in order, and the checkpoints as the walk passes them; report the
    first entry that was edited, inserted or lost, or the checkpoint that was altered or removed.

    `checkpoint_dir` overrides SCHAKEL_LOG_CHECKPOINT_DIR (e.g. a read-only copy of the WORM
    store). What this proves, and what it cannot: `log_verify.py` and docs/operations.md."""
    return log_verify.verify(chunk_size=chunk_size, checkpoint_dir=checkpoint_dir)


@dataclass(frozen=True)
class CheckpointResult:
    written: Checkpoint | None  # None: nothing new to anchor
    latest: Checkpoint | None  # the checkpoint before this call
    head: tuple[int, str]


def log_checkpoint_write(*, chunk_size: int = 5000) -> CheckpointResult:
    """Anchor the log outside the database: a new signed checkpoint file for the current chain
    head, when the head moved since the latest checkpoint.

    It first checks what it anchors (the entries since the latest checkpoint, which must still
    match it; for the very first checkpoint the whole log), so it never signs a rewritten log.
    Raises `LogNotIntact` when the log is not intact and `CheckpointError` when the folder is not
    set or its latest checkpoint cannot be trusted; then nothing is written."""
    directory = checkpoints.configured_dir()
    if directory is None:
        raise checkpoints.CheckpointError(
            "SCHAKEL_LOG_CHECKPOINT_DIR is not set: there is nowhere to write checkpoints"
        )
    latest = checkpoints.latest(directory)
    head = log_verify.read_head()
    if latest is not None:
        if head[0] < latest.seq:
            raise LogNotIntact(
                f"the chain head is at entry {head[0]}, behind checkpoint {latest.number} (written "
                f"{latest.written_at}), which anchors entry {latest.seq}: entries were removed",
                head[0] + 1,
            )
        if head[0] == latest.seq:
            if head[1] != latest.head_hash:
                raise LogNotIntact(
                    f"the chain head does not match checkpoint {latest.number} (written "
                    f"{latest.written_at}) at entry {latest.seq}: the log was rewritten",
                    latest.seq,
                )
            return CheckpointResult(None, latest, head)
    elif head[0] == 0:
        return CheckpointResult(None, None, head)
    report = log_verify.verify_for_checkpoint(latest, head, chunk_size=chunk_size)
    if not report.ok:
        raise LogNotIntact(report.problem, report.seq)
    written = checkpoints.write(
        directory,
        number=latest.number + 1 if latest else 1,
        seq=head[0],
        head_hash=head[1],
        written_at=timezone.now().astimezone(datetime.UTC).isoformat(timespec="seconds"),
        legacy=report.legacy,
    )
    return CheckpointResult(written, latest, head)
