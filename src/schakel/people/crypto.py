"""AES-GCM encryption of identifying fields, with key ids so keys can be rotated.

Key ring format (SCHAKEL_PERSON_KEYS): "id:base64key[,id:base64key…]"; the first key encrypts,
all keys decrypt. Ciphertext format: "v1:<key id>:<base64 nonce‖ciphertext‖tag>".
"""

import base64
import os
import re
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "v1"
KEY_ID = re.compile(r"[A-Za-z0-9_]+")  # also the pseudonym purposes, e.g. "signal_index"


class DecryptionError(ValueError):
    pass


def parse_key_ring(spec: str, *, exact_length: int | None = 32) -> dict[str, bytes]:
    ring: dict[str, bytes] = {}
    for part in filter(None, (p.strip() for p in (spec or "").split(","))):
        key_id, sep, encoded = part.partition(":")
        if not sep or not KEY_ID.fullmatch(key_id):
            raise ImproperlyConfigured(f"key ring entry '{key_id}…' is not 'id:base64key'")
        try:
            key = base64.b64decode(encoded, validate=True)
        except ValueError as error:
            raise ImproperlyConfigured(f"key '{key_id}' is not valid base64") from error
        if exact_length and len(key) != exact_length:
            raise ImproperlyConfigured(f"key '{key_id}' must be {exact_length} bytes")
        if len(key) < 16:
            raise ImproperlyConfigured(f"key '{key_id}' is shorter than 16 bytes")
        ring[key_id] = key
    if not ring:
        raise ImproperlyConfigured("the key ring is empty")
    return ring


@lru_cache(maxsize=8)
def _ring(spec: str) -> tuple[str, dict[str, bytes]]:
    ring = parse_key_ring(spec)
    return next(iter(ring)), ring


def key_ring() -> tuple[str, dict[str, bytes]]:
    """(id of the current key, all keys)."""
    return _ring(settings.SCHAKEL_PERSON_KEYS)


def _seal(data: bytes, aad: bytes) -> tuple[str, bytes]:
    """(id of the current key, nonce‖ciphertext‖tag)."""
    current, ring = key_ring()
    nonce = os.urandom(12)
    return current, nonce + AESGCM(ring[current]).encrypt(nonce, data, aad)


def _open(prefix: str, key_id: str, raw: bytes, aad: bytes, what: str) -> bytes:
    if prefix != PREFIX:
        raise DecryptionError(f"unknown format '{prefix}'")
    _current, ring = key_ring()
    if key_id not in ring:
        raise DecryptionError(f"key '{key_id}' is not in the key ring")
    try:
        return AESGCM(ring[key_id]).decrypt(raw[:12], raw[12:], aad)
    except Exception as error:  # cryptography raises InvalidTag
        raise DecryptionError(f"{what} was tampered with or the key is wrong") from error


def encrypt(plaintext: str, *, aad: bytes = b"") -> str:
    current, sealed = _seal(plaintext.encode("utf-8"), aad)
    return f"{PREFIX}:{current}:{base64.b64encode(sealed).decode()}"


def key_id_of(token: str) -> str:
    return token.split(":", 2)[1]


def decrypt(token: str, *, aad: bytes = b"") -> str:
    try:
        prefix, key_id, body = token.split(":", 2)
        raw = base64.b64decode(body)
    except ValueError as error:
        raise DecryptionError("not an encrypted value") from error
    return _open(prefix, key_id, raw, aad, "value").decode("utf-8")


def encrypt_bytes(data: bytes, *, aad: bytes) -> bytes:
    """Encrypt a file's bytes with the current key: b"v1:<key id>:" + nonce‖ciphertext‖tag.

    `aad` binds the ciphertext to its record (e.g. the record's public id), so bytes copied to
    another record do not decrypt there."""
    current, sealed = _seal(data, aad)
    return f"{PREFIX}:{current}:".encode() + sealed


def decrypt_bytes(token: bytes, *, aad: bytes) -> bytes:
    try:
        prefix, key_id, raw = bytes(token).split(b":", 2)
        prefix, key_id = prefix.decode("ascii"), key_id.decode("ascii")
    except (ValueError, UnicodeDecodeError) as error:
        raise DecryptionError("not an encrypted file") from error
    return _open(prefix, key_id, raw, aad, "file")
