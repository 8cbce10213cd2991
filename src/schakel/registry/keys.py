"""The registry's person key and the pseudonym the processing log gets for it.

The key is a keyed pseudonym with the registry's own key (purpose "registry"), so it can never be
joined with the signal index or the processing log, which use keys of their own. The identifying
data it is computed from is not stored.
"""

import hashlib
import hmac

from schakel.people.pseudonyms import Identifiers, pseudonym_for, pseudonym_key

PURPOSE = "registry"


def person_key(person_or_identifiers) -> str:
    """The registry key for a stored Person or for Identifiers (BSN, or name + date of birth)."""
    return pseudonym_for(person_or_identifiers, PURPOSE)


def log_subjects(keys) -> list[str]:
    """The processing log's pseudonyms for registry persons: HMACs of their keys with the log's
    own key, so the log cannot be joined with the registry either."""
    log_key = pseudonym_key("log")
    return [hmac.new(log_key, f"registry:{k}".encode(), hashlib.sha256).hexdigest() for k in keys]


def log_subject(key: str) -> str:
    return log_subjects([key])[0]


__all__ = ["Identifiers", "log_subject", "log_subjects", "person_key"]
