"""Signed checkpoints of the processing log, kept outside the database.

A checkpoint states "entry `seq` of the log had hash `head_hash` at `written_at`", signed with an
Ed25519 key from SCHAKEL_LOG_CHECKPOINT_KEYS ("id:base64seed[,…]", 32-byte private seeds; the
first signs, every key in the ring verifies). Each one is a new file in SCHAKEL_LOG_CHECKPOINT_DIR,
created with O_EXCL and never opened for writing again, so the directory can live on append-only
(WORM) storage that neither the database user nor the app can rewrite. Once a checkpoint exists,
nobody can rewrite the entries up to its `seq` (not even with the log key) or cut them off
without `processing_log_verify` noticing.

Layout: <dir>/<number // 10000, 6 digits>/checkpoint-<number, 12 digits>.json, numbers
consecutive from 1. Checkpoint 1 also records how many entries at the start of the log are
legacy entries (unkeyed SHA-256) and a digest of their audit rows (`legacy`), because nothing
else protects those.

Ed25519 rather than an HMAC: anyone with the public key can check the files (an auditor, a job
on the storage side) without being able to forge one, and the public key can be handed out or
written down where the operators of this system cannot change it.
"""

import base64
import binascii
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from schakel.people.crypto import KEY_ID

FORMAT = "schakel-log-checkpoint/1"
GROUP_SIZE = 10_000  # checkpoints per folder: at one per 5 minutes, about 35 days
_GROUP = re.compile(r"\d{6}")
_NAME = re.compile(r"checkpoint-(\d{12})\.json")
_MAX_BYTES = 4096
_SOURCE = "SCHAKEL_LOG_CHECKPOINT_KEYS"


class CheckpointError(Exception):
    """A checkpoint file that cannot be trusted, or one that could not be written."""


@dataclass(frozen=True)
class Checkpoint:
    number: int
    seq: int
    head_hash: str
    written_at: str
    key_id: str
    path: Path
    legacy_until: int = 0  # checkpoint 1: entries 1..legacy_until are legacy (unkeyed) entries
    legacy_audit_digest: str = ""


# -- keys -----------------------------------------------------------------------------------------


def parse_checkpoint_keys(spec: str) -> dict[str, Ed25519PrivateKey]:
    """{key id: private key} from "id:base64seed[,…]" (32-byte Ed25519 seeds)."""
    ring: dict[str, Ed25519PrivateKey] = {}
    seeds = set()
    for part in filter(None, (p.strip() for p in (spec or "").split(","))):
        key_id, sep, encoded = part.partition(":")
        if not sep or not KEY_ID.fullmatch(key_id) or len(key_id) > 32:
            raise ImproperlyConfigured(
                f"{_SOURCE}: entry '{key_id[:8]}…' is not 'id:base64seed' (an id of letters, "
                "digits and _, a colon, 32 bytes in base64)"
            )
        if key_id in ring:
            raise ImproperlyConfigured(f"{_SOURCE}: key id '{key_id}' appears twice")
        try:
            seed = base64.b64decode(encoded.strip(), validate=True)
        except (ValueError, binascii.Error) as error:
            raise ImproperlyConfigured(f"{_SOURCE}: key '{key_id}' is not valid base64") from error
        if len(seed) != 32:
            raise ImproperlyConfigured(
                f"{_SOURCE}: key '{key_id}' has {len(seed)} bytes; an Ed25519 seed has 32"
            )
        if seed in seeds:
            raise ImproperlyConfigured(f"{_SOURCE}: every key id needs its own key")
        seeds.add(seed)
        ring[key_id] = Ed25519PrivateKey.from_private_bytes(seed)
    if not ring:
        raise ImproperlyConfigured(f"{_SOURCE}: the key ring is empty")
    return ring


@lru_cache(maxsize=8)
def _ring(spec: str) -> tuple[str, dict[str, Ed25519PrivateKey], dict[str, Ed25519PublicKey]]:
    ring = parse_checkpoint_keys(spec)
    return next(iter(ring)), ring, {k: v.public_key() for k, v in ring.items()}


def checkpoint_key_ring() -> tuple[str, dict[str, Ed25519PrivateKey], dict[str, Ed25519PublicKey]]:
    """(id of the signing key, private keys by id, public keys by id)."""
    return _ring(getattr(settings, "SCHAKEL_LOG_CHECKPOINT_KEYS", "") or "")


def public_keys_text() -> list[str]:
    """ "id:base64 raw public key" per key, for whoever checks the files elsewhere."""
    _current, _private, public = checkpoint_key_ring()
    return [
        f"{key_id}:{base64.b64encode(key.public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()}"
        for key_id, key in public.items()
    ]


def configured_dir() -> Path | None:
    value = getattr(settings, "SCHAKEL_LOG_CHECKPOINT_DIR", "") or ""
    return Path(value) if value.strip() else None


# -- the file format ----------------------------------------------------------------------------


def _signed_bytes(payload: dict) -> bytes:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return f"{FORMAT}\n{canonical}".encode()


def path_for(directory: Path, number: int) -> Path:
    return directory / f"{number // GROUP_SIZE:06d}" / f"checkpoint-{number:012d}.json"


def load(path: Path) -> Checkpoint:
    """Read and check one checkpoint file; CheckpointError says what is wrong with it."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(_MAX_BYTES + 1)
    except OSError as error:
        raise CheckpointError(
            f"checkpoint file {path} cannot be read ({error.strerror})"
        ) from error
    try:
        if len(raw) > _MAX_BYTES:
            raise ValueError("it is too large")
        data = json.loads(raw)
        if not isinstance(data, dict):
            raise ValueError("it is not a JSON object")
        signature = base64.b64decode(data.pop("signature"), validate=True)
        if data.get("format") != FORMAT:
            raise ValueError(f"its format is not {FORMAT}")
        number, seq = data["number"], data["seq"]
        head_hash, written_at, key_id = data["head_hash"], data["written_at"], data["key_id"]
        legacy = data.get("legacy") or {}
        legacy_until = legacy.get("until", 0)
        legacy_audit_digest = legacy.get("audit_digest", "")
        if not (isinstance(legacy_until, int) and isinstance(legacy_audit_digest, str)):
            raise ValueError("its legacy field has the wrong type")
        if not (isinstance(number, int) and isinstance(seq, int) and number >= 1 and seq >= 1):
            raise ValueError("its number or seq is not a positive whole number")
        if not all(isinstance(v, str) for v in (head_hash, written_at, key_id)):
            raise ValueError("a field has the wrong type")
    except (ValueError, KeyError, TypeError, binascii.Error, AttributeError) as error:
        raise CheckpointError(
            f"checkpoint file {path} is not a valid checkpoint ({error})"
        ) from error
    _current, _private, public = checkpoint_key_ring()
    if key_id not in public:
        raise CheckpointError(
            f"checkpoint file {path} is signed with checkpoint key '{key_id}', which is not in "
            f"{_SOURCE}: add that key to the ring (after the current one) to check it"
        )
    try:
        public[key_id].verify(signature, _signed_bytes(data))
    except InvalidSignature as error:
        raise CheckpointError(
            f"checkpoint file {path} was altered: its signature does not match"
        ) from error
    if path != path_for(path.parent.parent, number):
        raise CheckpointError(
            f"checkpoint file {path} holds checkpoint {number}: it was renamed or moved"
        )
    return Checkpoint(
        number=number,
        seq=seq,
        head_hash=head_hash,
        written_at=written_at,
        key_id=key_id,
        path=path,
        legacy_until=legacy_until,
        legacy_audit_digest=legacy_audit_digest,
    )


def _groups(directory: Path, *, reverse: bool = False) -> list[Path]:
    try:
        entries = [e for e in os.scandir(directory) if e.is_dir() and _GROUP.fullmatch(e.name)]
    except FileNotFoundError:
        return []
    except OSError as error:
        raise CheckpointError(
            f"the checkpoint folder {directory} cannot be read ({error.strerror})"
        ) from error
    return [Path(e.path) for e in sorted(entries, key=lambda e: e.name, reverse=reverse)]


def _files(group: Path, *, reverse: bool = False) -> list[tuple[int, Path]]:
    found = []
    try:
        for entry in os.scandir(group):
            match = _NAME.fullmatch(entry.name)
            if match and entry.is_file():
                found.append((int(match.group(1)), Path(entry.path)))
    except OSError as error:
        raise CheckpointError(
            f"the checkpoint folder {group} cannot be read ({error.strerror})"
        ) from error
    return sorted(found, reverse=reverse)


def iter_paths(directory: Path) -> Iterator[tuple[int, Path]]:
    """(number, path) of every checkpoint file, in number order, one folder at a time."""
    for group in _groups(directory):
        yield from _files(group)


def latest(directory: Path) -> Checkpoint | None:
    """The checkpoint with the highest number (checked), or None when there is none."""
    for group in _groups(directory, reverse=True):
        files = _files(group, reverse=True)
        if files:
            return load(files[0][1])
    return None


def write(
    directory: Path,
    *,
    number: int,
    seq: int,
    head_hash: str,
    written_at: str,
    legacy: tuple[int, str] | None = None,
) -> Checkpoint:
    """Create checkpoint `number` as a new file; never overwrites one (O_EXCL)."""
    current, private, _public = checkpoint_key_ring()
    payload = {
        "format": FORMAT,
        "number": number,
        "seq": seq,
        "head_hash": head_hash,
        "written_at": written_at,
        "key_id": current,
    }
    if legacy is not None:
        payload["legacy"] = {"until": legacy[0], "audit_digest": legacy[1]}
    signature = private[current].sign(_signed_bytes(payload))
    document = {**payload, "signature": base64.b64encode(signature).decode()}
    body = (json.dumps(document, sort_keys=True, indent=1) + "\n").encode()
    path = path_for(directory, number)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o440)
    except FileExistsError as error:
        raise CheckpointError(
            f"checkpoint {number} already exists ({path}): another process wrote it at the same "
            "time; nothing was overwritten"
        ) from error
    try:
        view = memoryview(body)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)
    _sync_dir(path.parent)
    return Checkpoint(
        number=number,
        seq=seq,
        head_hash=head_hash,
        written_at=written_at,
        key_id=current,
        path=path,
        legacy_until=legacy[0] if legacy else 0,
        legacy_audit_digest=legacy[1] if legacy else "",
    )


def _sync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # not every file system syncs directories (e.g. some network mounts)
    finally:
        os.close(fd)
