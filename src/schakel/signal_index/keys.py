"""The signal index's pseudonyms and their key ring.

Version 1 of a person's pseudonym is the layer-1 keyed pseudonym of `schakel.people.pseudonyms`
(purpose "signal_index"), for each identity variant (BSN; normalised name + date of birth). The
raw identifiers are never stored, so a new key cannot be applied to them later; instead rotation
*chains*: the pseudonym at version n is HMAC-SHA256(k_n, pseudonym at version n-1).

The rotation keys (versions 2, 3, …) come from SCHAKEL_SIGNAL_INDEX_KEYS ("2:base64,3:base64")
or from the file SCHAKEL_SIGNAL_INDEX_KEY_FILE (one "version:base64" per line; empty lines and
lines starting with # are skipped); never from the database. Every key stays needed: the chain
runs through all of them.
"""

import base64
import binascii
import hashlib
import hmac
import os
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from schakel.people.pseudonyms import Identifiers, pseudonym_key, pseudonyms_for

PURPOSE = "signal_index"
MIN_KEY_BYTES = 32


def parse_rotation_keys(entries: list[str], *, source: str) -> dict[int, bytes]:
    """{version: key} from "version:base64key" entries; raises ImproperlyConfigured naming the
    problem (bad format, short key, duplicate or missing version)."""
    ring: dict[int, bytes] = {}
    for entry in entries:
        version_text, sep, encoded = entry.strip().partition(":")
        if not sep or not version_text.strip().isdigit():
            raise ImproperlyConfigured(
                f"{source}: entry '{version_text[:8]}…' is not 'version:base64key' "
                "(a whole number, a colon, the key in base64)"
            )
        version = int(version_text)
        if version < 2:
            raise ImproperlyConfigured(
                f"{source}: version {version} is not allowed; version 1 is the signal_index key "
                "of SCHAKEL_PSEUDONYM_KEYS, rotation keys start at 2"
            )
        if version in ring:
            raise ImproperlyConfigured(f"{source}: version {version} appears twice")
        try:
            key = base64.b64decode(encoded.strip(), validate=True)
        except (ValueError, binascii.Error) as error:
            raise ImproperlyConfigured(f"{source}: key {version} is not valid base64") from error
        if len(key) < MIN_KEY_BYTES:
            raise ImproperlyConfigured(
                f"{source}: key {version} has {len(key)} bytes; at least {MIN_KEY_BYTES} are needed"
            )
        ring[version] = key
    expected = list(range(2, 2 + len(ring)))
    if sorted(ring) != expected:
        missing = sorted(set(range(2, max(ring, default=1) + 1)) - set(ring))
        raise ImproperlyConfigured(
            f"{source}: versions must be consecutive from 2; missing "
            + ", ".join(str(v) for v in missing)
        )
    if len(set(ring.values())) != len(ring):
        raise ImproperlyConfigured(f"{source}: every version needs its own key")
    return ring


@lru_cache(maxsize=8)
def _ring(spec: str, path: str, stamp: tuple) -> dict[int, bytes]:
    if spec.strip() and path:
        raise ImproperlyConfigured(
            "set SCHAKEL_SIGNAL_INDEX_KEYS or SCHAKEL_SIGNAL_INDEX_KEY_FILE, not both"
        )
    if path:
        try:
            with open(path, encoding="utf-8") as handle:
                lines = handle.read().splitlines()
        except OSError as error:
            raise ImproperlyConfigured(
                f"SCHAKEL_SIGNAL_INDEX_KEY_FILE: cannot read {path} ({error.strerror})"
            ) from error
        entries = [line for line in lines if line.strip() and not line.lstrip().startswith("#")]
        return parse_rotation_keys(entries, source="SCHAKEL_SIGNAL_INDEX_KEY_FILE")
    entries = [part for part in spec.split(",") if part.strip()]
    return parse_rotation_keys(entries, source="SCHAKEL_SIGNAL_INDEX_KEYS")


def rotation_keys() -> dict[int, bytes]:
    """{version: key} for versions 2…n (empty when only version 1 exists)."""
    spec = getattr(settings, "SCHAKEL_SIGNAL_INDEX_KEYS", "") or ""
    path = getattr(settings, "SCHAKEL_SIGNAL_INDEX_KEY_FILE", "") or ""
    stamp: tuple = ()
    if path:
        try:
            info = os.stat(path)
            stamp = (info.st_mtime_ns, info.st_size)
        except OSError:
            stamp = ("missing",)
    return _ring(spec, path, stamp)


def check_key_ring() -> None:
    """Raise ImproperlyConfigured when the ring (version 1 included) cannot be used."""
    pseudonym_key(PURPOSE)
    ring = rotation_keys()
    base = pseudonym_key(PURPOSE)
    if base in ring.values():
        raise ImproperlyConfigured(
            "a signal index rotation key equals the version 1 key (SCHAKEL_PSEUDONYM_KEYS)"
        )


def current_version() -> int:
    return 1 + len(rotation_keys())


def step(value: str, key: bytes) -> str:
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def lift(value: str, *, from_version: int, to_version: int | None = None) -> str:
    """The pseudonym at `to_version` (default: the newest) of one at `from_version`."""
    ring = rotation_keys()
    to_version = to_version or 1 + len(ring)
    for version in range(from_version + 1, to_version + 1):
        value = step(value, ring[version])
    return value


def chain(first: str) -> list[tuple[int, str]]:
    """[(version, value)] for every version of the ring, from a version-1 value."""
    ring = rotation_keys()
    values = [(1, first)]
    for version in range(2, 2 + len(ring)):
        values.append((version, step(values[-1][1], ring[version])))
    return values


def first_versions(ids: Identifiers) -> list[str]:
    """The version-1 pseudonyms of every identity variant that `ids` allows."""
    return pseudonyms_for(ids, PURPOSE)


def current_values(ids: Identifiers) -> list[str]:
    """What registering stores: each variant at the newest version."""
    return [chain(first)[-1][1] for first in first_versions(ids)]


def all_values(ids: Identifiers) -> list[str]:
    """What matching looks for: each variant at every version (a handful of HMACs), so matching
    keeps working while `rotate_signal_key` is lifting rows."""
    return [value for first in first_versions(ids) for _v, value in chain(first)]


def log_subject(public_id) -> str:
    """The processing log's pseudonym for a registration without a stored person: keyed with
    the log's own key over the registration's random id, so it never joins with the index."""
    return step(f"signal:{public_id}", pseudonym_key("log"))
