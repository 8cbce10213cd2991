"""Hashing of processing log entries. Changing this breaks verification of existing logs.

Every entry hash and audit hash is an HMAC-SHA256 with a *log key* from the key ring
SCHAKEL_LOG_KEYS ("id:base64key[,id:base64key…]"; the first key signs new entries, every key in
the ring verifies). Each entry names the key that signed it (`ProcessingEntry.key_id`), so a new
key can be put first while older entries still verify with the older key. The keys live in the
environment, never in the database: someone who can write to the database but does not hold the
key cannot recompute a changed entry's hash.

Entries written before the chain was keyed have key id "" (`LEGACY`) and the old plain SHA-256.
They are accepted only as the start of the chain and only up to what the first checkpoint
anchors (`checkpoints.py`); docs/operations.md says what they prove.
"""

import hashlib
import hmac
import json
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from schakel.people.crypto import parse_key_ring

GENESIS = "0" * 64
LEGACY = ""  # key id of the entries written before the chain was keyed (plain SHA-256)
MIN_KEY_BYTES = 32
KEY_ID_MAX = 32  # ProcessingEntry.key_id
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


def parse_log_keys(spec: str, *, source: str = "SCHAKEL_LOG_KEYS") -> dict[str, bytes]:
    """{key id: key} from "id:base64key[,…]" (the first one signs); ImproperlyConfigured names
    the setting and the problem."""
    try:
        ring = parse_key_ring(spec, exact_length=None)
    except ImproperlyConfigured as error:
        raise ImproperlyConfigured(f"{source}: {error}") from error
    for key_id, key in ring.items():
        if len(key_id) > KEY_ID_MAX:
            raise ImproperlyConfigured(
                f"{source}: key id '{key_id[:8]}…' is longer than {KEY_ID_MAX} characters"
            )
        if len(key) < MIN_KEY_BYTES:
            raise ImproperlyConfigured(
                f"{source}: key '{key_id}' has {len(key)} bytes; at least {MIN_KEY_BYTES} are "
                "needed"
            )
    if len(set(ring.values())) != len(ring):
        raise ImproperlyConfigured(f"{source}: every key id needs its own key")
    if len([p for p in spec.split(",") if p.strip()]) != len(ring):
        raise ImproperlyConfigured(f"{source}: a key id appears twice")
    return ring


@lru_cache(maxsize=8)
def _ring(spec: str) -> tuple[str, dict[str, bytes]]:
    ring = parse_log_keys(spec)
    return next(iter(ring)), ring


def log_key_ring() -> tuple[str, dict[str, bytes]]:
    """(id of the key that signs new entries, every log key by id)."""
    return _ring(getattr(settings, "SCHAKEL_LOG_KEYS", "") or "")


@lru_cache(maxsize=16)
def _keyed(key: bytes) -> hmac.HMAC:
    """An HMAC-SHA256 object with the key already absorbed (its pads hashed once per key)."""
    return hmac.new(key, digestmod=hashlib.sha256)


def hmac_sha256(key: bytes, message: bytes) -> str:
    """HMAC-SHA256 as hex; copies the prepared keyed object, which saves hashing the key pads
    on every call (it runs twice per entry written and verified)."""
    mac = _keyed(key).copy()
    mac.update(message)
    return mac.hexdigest()


def canonical(values: dict) -> bytes:
    data = {name: values[name] for name in FIELDS}
    data["occurred_at"] = values["occurred_at"].isoformat(timespec="microseconds")
    return json.dumps(data, sort_keys=True, separators=(",", ":")).encode()


def entry_digest(values: dict, key: bytes | None) -> str:
    """The entry's hash: HMAC-SHA256 with `key`; None gives the legacy plain SHA-256."""
    payload = canonical(values)
    if key is None:
        return hashlib.sha256(payload).hexdigest()
    return hmac_sha256(key, b"entry|" + payload)


def audit_digest(entry_hash: str, user_id: int | None, key: bytes | None) -> str:
    """The audit row's hash over the entry hash and the user, keyed like its entry."""
    payload = f"{entry_hash}|{user_id}".encode()
    if key is None:
        return hashlib.sha256(payload).hexdigest()
    return hmac_sha256(key, b"audit|" + payload)
