"""A spam guard without a captcha for the public suggestion form.

Two checks: a honeypot field that people never see (hidden with CSS; its label says to leave it
empty, for anyone who does meet it), and the moment the form was shown, signed in a hidden field:
a form sent back within a few seconds, or after hours, or with a tampered stamp, is refused.
"""

import time

from django.conf import settings
from django.core import signing

SALT = "schakel.directory.suggestion"
MAX_AGE_SECONDS = 2 * 60 * 60


def min_seconds() -> int:
    return getattr(settings, "SCHAKEL_DIRECTORY_SUGGEST_MIN_SECONDS", 3)


def issue(*, at: float | None = None) -> str:
    """A signed stamp of the moment the form is shown."""
    return signing.dumps({"t": int(at if at is not None else time.time())}, salt=SALT)


def passes(*, stamp: str, honeypot: str, now: float | None = None) -> bool:
    if honeypot:
        return False
    try:
        shown = signing.loads(stamp or "", salt=SALT)["t"]
    except (signing.BadSignature, KeyError, TypeError):
        return False
    elapsed = (now if now is not None else time.time()) - shown
    return min_seconds() <= elapsed <= MAX_AGE_SECONDS
