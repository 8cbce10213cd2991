"""Checks on a person's identifiers: the BSN (elfproef) and the date of birth."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

BSN_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)
EARLIEST_BIRTH_YEAR = 1900


def normalise_bsn(value: str | None) -> str:
    """Remove the spaces, dots and dashes people type between groups: '1112.22.333'."""
    return "".join(c for c in (value or "") if c not in " .-\t")


def bsn_is_valid(value: str) -> bool:
    """True for 9 digits that pass the elfproef and are not all zeros."""
    if len(value) != 9 or not value.isascii() or not value.isdigit():
        return False
    if set(value) == {"0"}:
        return False
    total = sum(weight * int(digit) for weight, digit in zip(BSN_WEIGHTS, value, strict=True))
    return total % 11 == 0


def validate_bsn(value: str) -> None:
    """Raise ValidationError with a clear Dutch message when `value` is not a valid BSN."""
    if len(value) != 9 or not value.isascii() or not value.isdigit():
        raise ValidationError(_("Een BSN heeft 9 cijfers."), code="bsn_length")
    if set(value) == {"0"}:
        raise ValidationError(_("Een BSN kan niet alleen uit nullen bestaan."), code="bsn_zeros")
    if not bsn_is_valid(value):
        raise ValidationError(_("Dit BSN klopt niet (elfproef)."), code="bsn_checksum")


def validate_date_of_birth(value: date, *, today: date | None = None) -> None:
    """A date of birth lies between 1 January 1900 and today."""
    today = today or timezone.localdate()
    if value > today:
        raise ValidationError(
            _("De geboortedatum kan niet in de toekomst liggen."), code="dob_future"
        )
    if value.year < EARLIEST_BIRTH_YEAR:
        raise ValidationError(
            _("De geboortedatum kan niet voor 1900 liggen."), code="dob_too_early"
        )


def validate_not_in_future(value: date, *, today: date | None = None) -> None:
    today = today or timezone.localdate()
    if value > today:
        raise ValidationError(_("Deze datum kan niet in de toekomst liggen."), code="future")
