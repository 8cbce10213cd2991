"""Verification of the processing log: the keyed hash chain, the chain head and the checkpoints.

It streams: entries are read in seq order in chunks, checkpoint files one at a time in number
order, and each checkpoint is checked when the walk passes its seq, so memory stays flat however
long the log is. It stops at the first problem and names it (and the entry, when there is one).

What it catches, for someone who can write to the database but holds neither key:
- a changed entry or audit row, also with every later hash recomputed (without the log key the
  HMAC does not match; turning entries into unkeyed legacy entries is refused after checkpoint 1);
- entries cut off at the end with the chain head moved back (a checkpoint anchors a later entry);
- a checkpoint file that was changed (signature), removed from the middle (a gap in the numbers)
  or that goes back (a lower seq than the one before it).
"""

import datetime
import hashlib
from dataclasses import dataclass
from pathlib import Path

from . import checkpoints as cp
from .chain import FIELDS, GENESIS, LEGACY, audit_digest, entry_digest, log_key_ring
from .models import LogChainHead, ProcessingEntry

# The worker writes a checkpoint every 5 minutes while the log grows; one this much older than
# the entries after it means the worker, its lock or the storage needs a look.
STALE_AFTER = datetime.timedelta(minutes=30)


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    problem: str = ""
    seq: int | None = None  # the first bad entry, when the problem is one entry
    checkpoints: int = 0  # checkpoints that matched their entry
    last_checkpoint: cp.Checkpoint | None = None
    warnings: tuple[str, ...] = ()
    # When verifying for the first checkpoint: (number of legacy entries, digest of their audit
    # rows), which checkpoint 1 records.
    legacy: tuple[int, str] | None = None


class LogNotIntact(Exception):
    def __init__(self, problem: str, seq: int | None = None):
        super().__init__(problem)
        self.problem, self.seq = problem, seq


def read_head() -> tuple[int, str]:
    row = LogChainHead.objects.filter(pk=1).values_list("seq", "last_hash").first()
    return (int(row[0]), row[1] or GENESIS) if row else (0, GENESIS)


def _rows(chunk_size: int, *, from_seq: int | None = None, to_seq: int | None = None):
    entries = ProcessingEntry.objects.order_by("seq")
    if from_seq is not None:
        entries = entries.filter(seq__gte=from_seq)
    if to_seq is not None:
        entries = entries.filter(seq__lte=to_seq)
    return entries.values(
        *FIELDS, "key_id", "entry_hash", "audit__user_id", "audit__audit_hash"
    ).iterator(chunk_size=chunk_size)


class _Checkpoints:
    """The checkpoint files in number order, each read and checked when the walk needs it."""

    def __init__(self, directory: Path | None, *, only: cp.Checkpoint | None = None):
        if only is not None:
            self._items = iter([only])
        else:
            self._items = cp.iter_paths(directory) if directory else iter(())
        self._previous: cp.Checkpoint | None = None

    def next(self) -> cp.Checkpoint | None:
        try:
            item = next(self._items, None)
        except cp.CheckpointError as error:
            raise LogNotIntact(str(error)) from error
        if item is None or isinstance(item, cp.Checkpoint):
            return item
        number, path = item
        expected = self._previous.number + 1 if self._previous else 1
        if number != expected:
            raise LogNotIntact(
                f"checkpoint {expected} is missing from the checkpoint folder (the next file holds "
                f"checkpoint {number}): it was removed"
            )
        try:
            checkpoint = cp.load(path)
        except cp.CheckpointError as error:
            raise LogNotIntact(str(error)) from error
        if self._previous and checkpoint.seq <= self._previous.seq:
            raise LogNotIntact(
                f"checkpoint {number} goes back: it anchors entry {checkpoint.seq}, but checkpoint "
                f"{self._previous.number} already anchored entry {self._previous.seq}"
            )
        self._previous = checkpoint
        return checkpoint


class _Walk:
    def __init__(self, checkpoints: _Checkpoints, *, head: tuple[int, str]):
        _current, self.ring = log_key_ring()
        self.checkpoints = checkpoints
        self.head = head
        self.allow_unanchored_legacy = False
        self.check_legacy_digest = True
        self.expected_seq = 1
        self.expected_prev: str | None = GENESIS  # None: take the first entry's as it is
        self.checked = 0
        self.keyed_seen = False
        self.legacy_until: int | None = None  # from checkpoint 1; None while there is none
        self.legacy_count = 0
        self.legacy_digest = hashlib.sha256()
        self.next_checkpoint: cp.Checkpoint | None = None
        self.passed = 0
        self.last_checkpoint: cp.Checkpoint | None = None

    def begin(self) -> None:
        self.next_checkpoint = self.checkpoints.next()
        if self.next_checkpoint is not None and self.next_checkpoint.number == 1:
            self.legacy_until = self.next_checkpoint.legacy_until

    def entry(self, row: dict) -> None:
        seq = row["seq"]
        if seq != self.expected_seq:
            raise LogNotIntact(f"entry {self.expected_seq} is missing", self.expected_seq)
        if self.expected_prev is not None and row["prev_hash"] != self.expected_prev:
            raise LogNotIntact(f"entry {seq} does not follow its predecessor", seq)
        key_id = row["key_id"]
        if key_id == LEGACY:
            self._legacy_allowed(seq)
            key = None
        else:
            key = self.ring.get(key_id)
            if key is None:
                raise LogNotIntact(
                    f"entry {seq} was signed with log key '{key_id}', which is not in "
                    "SCHAKEL_LOG_KEYS: put that key back in the ring (after the current one) to "
                    "verify it",
                    seq,
                )
            self.keyed_seen = True
        if entry_digest(row, key) != row["entry_hash"]:
            raise LogNotIntact(f"entry {seq} was changed (its hash does not match)", seq)
        user_id, audit_hash = row["audit__user_id"], row["audit__audit_hash"]
        if audit_hash is None:
            raise LogNotIntact(f"the audit entry of entry {seq} is missing", seq)
        if audit_digest(row["entry_hash"], user_id, key) != audit_hash:
            raise LogNotIntact(f"the audit entry of entry {seq} was changed", seq)
        if key is None:
            self.legacy_count += 1
            self.legacy_digest.update(f"{seq}|{user_id}|{audit_hash}\n".encode())
        if seq == self.head[0] and row["entry_hash"] != self.head[1]:
            raise LogNotIntact(f"the chain head does not match entry {seq}", seq)
        while self.next_checkpoint is not None and self.next_checkpoint.seq == seq:
            self._anchor(row, self.next_checkpoint)
            self.next_checkpoint = self.checkpoints.next()
        self.expected_prev = row["entry_hash"]
        self.expected_seq += 1
        self.checked += 1

    def _legacy_allowed(self, seq: int) -> None:
        if self.keyed_seen:
            raise LogNotIntact(
                f"entry {seq} has the old unkeyed hash after entries with a keyed hash: it was "
                "rewritten",
                seq,
            )
        if self.legacy_until is None:
            if not self.allow_unanchored_legacy:
                raise LogNotIntact(
                    f"entry {seq} has the old unkeyed hash (written before the log was keyed) and "
                    "no checkpoint anchors it yet: run `manage.py write_log_checkpoint` once",
                    seq,
                )
        elif seq > self.legacy_until:
            raise LogNotIntact(
                f"entry {seq} has the old unkeyed hash, but it comes after the entries that "
                "checkpoint 1 anchors as written before the log was keyed: it was rewritten",
                seq,
            )

    def _anchor(self, row: dict, checkpoint: cp.Checkpoint) -> None:
        seq = row["seq"]
        if row["entry_hash"] != checkpoint.head_hash:
            raise LogNotIntact(
                f"entry {seq} does not match checkpoint {checkpoint.number} (written "
                f"{checkpoint.written_at}): it, or an entry before it, was rewritten",
                seq,
            )
        if checkpoint.number == 1 and self.check_legacy_digest:
            digest = self.legacy_digest.hexdigest() if self.legacy_count else ""
            if (self.legacy_count, digest) != (
                checkpoint.legacy_until,
                checkpoint.legacy_audit_digest,
            ):
                raise LogNotIntact(
                    f"the audit entries of entries 1 to {checkpoint.legacy_until} (written before "
                    "the log was keyed) do not match checkpoint 1: one of them was changed"
                )
        self.passed += 1
        self.last_checkpoint = checkpoint

    def report(self, *, ok=True, problem="", seq=None, warnings=(), legacy=None) -> ChainReport:
        return ChainReport(
            ok,
            self.checked,
            problem,
            seq,
            checkpoints=self.passed,
            last_checkpoint=self.last_checkpoint,
            warnings=tuple(warnings),
            legacy=legacy,
        )


def verify(*, chunk_size: int = 5000, checkpoint_dir=None) -> ChainReport:
    """Walk the whole log and every checkpoint; see `processing_log_verify`."""
    directory = Path(checkpoint_dir) if checkpoint_dir else cp.configured_dir()
    head = read_head()
    walk = _Walk(_Checkpoints(directory), head=head)
    try:
        walk.begin()
        for row in _rows(chunk_size):
            walk.entry(row)
        last = walk.expected_seq - 1
        if walk.next_checkpoint is not None:
            checkpoint = walk.next_checkpoint
            raise LogNotIntact(
                f"entries after {last} are missing: checkpoint {checkpoint.number} (written "
                f"{checkpoint.written_at}) anchors entry {checkpoint.seq}, so the log or its "
                "chain head was cut back",
                last + 1,
            )
        if last < head[0]:
            raise LogNotIntact(f"entries after {last} are missing (head at {head[0]})", last + 1)
        # Entries written while the walk ran are past `head`; the head read now must cover all.
        now = read_head()
        if now[0] < last:
            raise LogNotIntact(
                f"entry {now[0] + 1} lies beyond the chain head (head at {now[0]}): it was "
                "inserted, or the head was moved back",
                now[0] + 1,
            )
        if now[0] == last and now[1] != (walk.expected_prev or GENESIS):
            raise LogNotIntact(f"the chain head does not match entry {last}", last)
    except LogNotIntact as broken:
        return walk.report(ok=False, problem=broken.problem, seq=broken.seq)
    warnings = []
    if directory is None:
        warnings.append(
            "SCHAKEL_LOG_CHECKPOINT_DIR is not set: the log is protected by the log key only, "
            "not anchored outside the database"
        )
    elif walk.passed == 0 and walk.checked:
        warnings.append(
            f"no checkpoint in {directory}: the log is protected by the log key only, not yet "
            "anchored outside the database. The worker writes one every 5 minutes; if this "
            "stays, check that it runs and that the folder is mounted"
        )
    elif walk.last_checkpoint is not None and walk.checked > walk.last_checkpoint.seq:
        age = _age(walk.last_checkpoint.written_at)
        if age is not None and age > STALE_AFTER:
            warnings.append(
                f"the latest checkpoint ({walk.last_checkpoint.number}) is "
                f"{int(age.total_seconds() // 60)} minutes old and "
                f"{walk.checked - walk.last_checkpoint.seq} entries came after it: the worker "
                "writes one every 5 minutes; check that it runs, that the folder is mounted and "
                "writable, and the worker's log for 'checkpoint NOT written'"
            )
    return walk.report(warnings=warnings)


def _age(written_at: str) -> datetime.timedelta | None:
    try:
        moment = datetime.datetime.fromisoformat(written_at)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return datetime.datetime.now(datetime.UTC) - moment


def verify_for_checkpoint(
    latest: cp.Checkpoint | None, head: tuple[int, str], *, chunk_size: int = 5000
) -> ChainReport:
    """Check what a new checkpoint at `head` would anchor: the entries after the latest
    checkpoint (which must still match it), or, for the first checkpoint, the whole log (whose
    legacy entries it then anchors as they are)."""
    walk = _Walk(_Checkpoints(None, only=latest), head=head)
    if latest is None:
        walk.allow_unanchored_legacy = True
        rows = _rows(chunk_size, to_seq=head[0])
    else:
        walk.expected_seq, walk.expected_prev = latest.seq, None
        walk.legacy_until = latest.legacy_until if latest.number == 1 else 0
        walk.check_legacy_digest = False
        rows = _rows(chunk_size, from_seq=latest.seq, to_seq=head[0])
    try:
        walk.begin()
        for row in rows:
            walk.entry(row)
        last = walk.expected_seq - 1
        if last < head[0]:
            raise LogNotIntact(f"entries after {last} are missing (head at {head[0]})", last + 1)
    except LogNotIntact as broken:
        return walk.report(ok=False, problem=broken.problem, seq=broken.seq)
    legacy = None
    if latest is None and walk.legacy_count:
        legacy = (walk.legacy_count, walk.legacy_digest.hexdigest())
    return walk.report(legacy=legacy)
