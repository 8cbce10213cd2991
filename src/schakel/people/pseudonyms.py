"""Keyed pseudonyms (HMAC-SHA256), with a separate key per purpose so purposes never join.

Key format (SCHAKEL_PSEUDONYM_KEYS): "purpose:base64key,…", e.g. log, signal_index, registry.
"""

import hashlib
import hmac
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .crypto import parse_key_ring

PURPOSES = ("log", "signal_index", "registry")


@dataclass(frozen=True)
class Identifiers:
    bsn: str = ""
    surname: str = ""
    given_names: str = ""
    date_of_birth: date | None = None


@lru_cache(maxsize=4)
def _keys(spec: str) -> dict[str, bytes]:
    return parse_key_ring(spec, exact_length=None)


def pseudonym_key(purpose: str) -> bytes:
    if purpose not in PURPOSES:
        raise ValueError(f"unknown pseudonym purpose '{purpose}'")
    keys = _keys(settings.SCHAKEL_PSEUDONYM_KEYS)
    if purpose not in keys:
        raise ImproperlyConfigured(f"no pseudonym key for purpose '{purpose}'")
    if len(set(keys.values())) != len(keys):
        raise ImproperlyConfigured("every pseudonym purpose needs its own key")
    return keys[purpose]


def normalise_name(value: str) -> str:
    """Lower case, accents removed, only letters: 'Çelik-de Vries ' -> 'celikdevries'."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    return "".join(c for c in decomposed if c.isalpha() and not unicodedata.combining(c)).lower()


def identity_strings(ids: Identifiers) -> list[str]:
    """The identity variants that can be pseudonymised: BSN first, then name + date of birth."""
    variants = []
    if ids.bsn:
        variants.append(f"bsn:{ids.bsn}")
    if ids.surname and ids.date_of_birth:
        variants.append(
            "ndb:"
            f"{normalise_name(ids.surname)}|{normalise_name(ids.given_names)}|"
            f"{ids.date_of_birth.isoformat()}"
        )
    return variants


def _hmac(purpose: str, message: str) -> str:
    return hmac.new(pseudonym_key(purpose), message.encode(), hashlib.sha256).hexdigest()


def pseudonyms_for(person_or_identifiers, purpose: str) -> list[str]:
    """All variants (BSN-based, name-based) for `purpose`."""
    ids = _identifiers(person_or_identifiers)
    return [_hmac(purpose, variant) for variant in identity_strings(ids)]


def pseudonym_for(person_or_identifiers, purpose: str) -> str:
    """The primary keyed pseudonym for `purpose`.

    A stored person without identifiers falls back to its internal id, so the processing log
    can still point at it.
    """
    variants = pseudonyms_for(person_or_identifiers, purpose)
    if variants:
        return variants[0]
    key = getattr(person_or_identifiers, "pk", None)
    if key is None:
        raise ValueError("a BSN, or a surname with a date of birth, is needed for a pseudonym")
    return _hmac(purpose, f"id:{person_or_identifiers.public_id}")


def log_pseudonym(person) -> str:
    """The processing-log pseudonym of a stored person: stable for the person's whole life.

    It is keyed on the person's random `public_id`, not on identifiers, so adding or correcting
    a BSN or a name does not split the person's log entries over several pseudonyms.
    """
    return log_pseudonym_of(person.public_id)


def log_pseudonym_of(public_id) -> str:
    """`log_pseudonym` from a person's public id alone (no need to load the person)."""
    return _hmac("log", f"person:{public_id}")


def _identifiers(value) -> Identifiers:
    if isinstance(value, Identifiers):
        return value
    return Identifiers(
        bsn=value.bsn or "",
        surname=value.surname or "",
        given_names=value.given_names or "",
        date_of_birth=value.date_of_birth,
    )
