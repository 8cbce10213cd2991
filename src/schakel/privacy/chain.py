"""Hashing of processing log entries. Changing this breaks verification of existing logs."""

import hashlib
import json

GENESIS = "0" * 64
FIELDS = (
    "seq",
    "trace_id",
    "span_id",
    "activity",
    "register_version",
    "operation",
    "subject_pseudonym",
    "organisation_id",
    "role",
    "occurred_at",
    "outcome",
    "prev_hash",
)


def entry_digest(values: dict) -> str:
    canonical = {name: values[name] for name in FIELDS}
    canonical["occurred_at"] = values["occurred_at"].isoformat(timespec="microseconds")
    payload = json.dumps(canonical, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def audit_digest(entry_hash: str, user_id: int | None) -> str:
    return hashlib.sha256(f"{entry_hash}|{user_id}".encode()).hexdigest()
