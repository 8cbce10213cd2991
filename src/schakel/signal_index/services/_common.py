"""What the writes of the signal index share: the processing log, the end date of a
registration, and cleaning what was typed (identifiers, a contact)."""

import datetime
import re
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.core.validation import clean_date
from schakel.people.pseudonyms import Identifiers, log_pseudonym_of
from schakel.people.validators import normalise_bsn, validate_bsn, validate_date_of_birth
from schakel.privacy.services import processing_record_many

from .. import keys
from ..models import EndReason, SignalMatch, SignalRegistration

ACTIVITY = "signal_index"
AGE_LIMIT = 23
IMPORT_BATCH = 2000
PHONE = re.compile(r"^\+?[0-9 ()\-]{6,25}$")


def _today(today=None) -> datetime.date:
    return today or timezone.localdate()


def log_subject(registration: SignalRegistration):
    """The person the registration came from, or the registration's own log pseudonym."""
    person_public_id = getattr(registration, "person_public_id", None)
    if person_public_id is not None:  # annotated: no need to load (and decrypt) the person
        return log_pseudonym_of(person_public_id)
    if registration.person_id:
        return registration.person
    return keys.log_subject(registration.public_id)


def _log(actor, registrations, operation: str, *, also=(), head=None) -> None:
    """Log `operation` for each registration, then each (registration, operation) of `also`,
    in one locked step of the processing log (`head`: the chain head, when this transaction
    locked it already)."""
    items = [(r, operation) for r in registrations] + list(also)
    processing_record_many(
        actor=actor,
        subjects=[log_subject(r) for r, _op in items],
        activity=ACTIVITY,
        operations=[op for _r, op in items],
        head=head,
    )


def _birthday(dob: datetime.date, years: int) -> datetime.date:
    try:
        return dob.replace(year=dob.year + years)
    except ValueError:  # 29 February in a year without one: the day after 28 February
        return datetime.date(dob.year + years, 3, 1)


def end_date(*, start: datetime.date, date_of_birth: datetime.date | None) -> tuple:
    """(ends_on, why): the term after `start`, or the 23rd birthday when that comes first."""
    term = start + datetime.timedelta(days=settings.SCHAKEL_SIGNAL_RETENTION_DAYS)
    if date_of_birth is not None:
        limit = _birthday(date_of_birth, AGE_LIMIT)
        if limit < term:
            return limit, EndReason.AGE_LIMIT
    return term, EndReason.EXPIRED


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


_as_date = partial(clean_date, example="2009-03-14")


def clean_identifiers(
    *, bsn="", surname="", given_names="", birth_date=None, today=None
) -> Identifiers:
    """Check what was typed: a BSN (elfproef), or surname, given names and date of birth.
    Raises ValidationError naming each field that is wrong or missing."""
    errors: dict = {}
    bsn = normalise_bsn(bsn)
    surname = (surname or "").strip()
    given_names = (given_names or "").strip()
    dob = _as_date(birth_date, errors, "birth_date")
    if bsn:
        try:
            validate_bsn(bsn)
        except ValidationError as error:
            errors["bsn"] = error.messages
    if dob is not None and "birth_date" not in errors:
        try:
            validate_date_of_birth(dob, today=today)
        except ValidationError as error:
            errors["birth_date"] = error.messages
    named = bool(surname or given_names or dob or "birth_date" in errors)
    if not bsn and not named:
        errors["bsn"] = _("Vul een BSN in, of achternaam, voornamen en geboortedatum.")
    elif named or not bsn:
        missing = _("Vul dit in, of laat naam en geboortedatum helemaal leeg en vul een BSN in.")
        if not bsn:
            missing = _(
                "Vul dit in (zonder BSN zijn achternaam, voornamen en geboortedatum nodig)."
            )
        if not surname:
            errors["surname"] = missing
        if not given_names:
            errors["given_names"] = missing
        if dob is None and "birth_date" not in errors:
            errors["birth_date"] = missing
    _raise(errors)
    return Identifiers(bsn=bsn, surname=surname, given_names=given_names, date_of_birth=dob)


def clean_contact(contact_function, contact_phone, errors: dict) -> tuple[str, str]:
    function = (contact_function or "").strip()
    phone = (contact_phone or "").strip()
    if not function:
        errors["contact_function"] = _("Vul de functie van de contactpersoon in.")
    elif len(function) > 100:
        errors["contact_function"] = _("Gebruik hoogstens 100 tekens.")
    if not phone:
        errors["contact_phone"] = _("Vul een telefoonnummer in waarop u bereikbaar bent.")
    elif not PHONE.fullmatch(phone) or sum(c.isdigit() for c in phone) < 6:
        errors["contact_phone"] = _(
            "Vul een telefoonnummer in met alleen cijfers, spaties, streepjes of een +."
        )
    return function, phone


def _notify(matches: list[SignalMatch]) -> None:
    if not matches:
        return
    ids = [m.pk for m in matches]

    def send():
        from ..tasks import signal_match_notify

        signal_match_notify(ids)

    transaction.on_commit(send)
