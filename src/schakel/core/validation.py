"""Cleaning of values that services receive from forms, the API and imports.

Each function takes the `errors` dict a service collects, adds a plain-Dutch message under
`field` when the value is wrong, and returns the cleaned value (or None / "" when wrong), so a
service can check every field and then raise one `ValidationError` naming all of them
(`raise_if`).
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

TEXT_MAX = 4000


def clean_text(
    value: object,
    errors: dict,
    field: str,
    *,
    required: bool = False,
    limit: int = TEXT_MAX,
    message: str | None = None,
) -> str:
    """Stripped text; an error when required and empty, or longer than `limit`."""
    value = str(value or "").strip()
    if required and not value:
        errors[field] = message or _("Vul dit in.")
    elif len(value) > limit:
        errors[field] = _("Gebruik hier hoogstens %(limit)d tekens.") % {"limit": limit}
    return value


def clean_date(
    value: object,
    errors: dict,
    field: str,
    *,
    required: bool = False,
    missing: object = None,
    example: str = "2026-11-24",
    today: datetime.date | None = None,
    not_before: datetime.date | None = None,
) -> datetime.date | None:
    """A date from a date, a datetime or an ISO string (YYYY-MM-DD).

    `missing`: the message when it is required and empty; `example`: the date the message for an
    unreadable value shows; `today`: later dates are refused; `not_before`: earlier ones are.
    """
    if value in (None, ""):
        if required:
            errors[field] = missing or _("Vul een datum in.")
        return None
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not isinstance(value, datetime.date):
        try:
            value = datetime.date.fromisoformat(str(value).strip())
        except ValueError:
            errors[field] = _("Vul een geldige datum in, bijvoorbeeld %(example)s.") % {
                "example": example
            }
            return None
    if today is not None and value > today:
        errors[field] = _("Deze datum ligt in de toekomst.")
    elif not_before is not None and value < not_before:
        errors[field] = _("Deze datum ligt voor %(day)s.") % {"day": not_before.isoformat()}
    return value


def raise_if(errors: dict) -> None:
    """Raise one ValidationError naming every field in `errors`; nothing when it is empty."""
    if errors:
        raise ValidationError(errors)
