"""Constants and small text helpers shared by the knowledge services."""

import re
from functools import partial

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from schakel.core.validation import clean_date

MAX_LINKS = 10
URL_PATTERN = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)


def _too_long(limit: int) -> str:
    return _("Gebruik hier hoogstens %(limit)d tekens.") % {"limit": limit}


def _text(value) -> str:
    return str(value or "").strip()


_as_date = partial(
    clean_date, required=True, missing=gettext_lazy("Vul de datum in."), example="2025-03-14"
)
