"""All writes to persons and their LVB history. Each write is logged in the processing log."""

import datetime
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from schakel.accounts.models import Membership
from schakel.accounts.permissions import ensure_can
from schakel.core.concurrency import StaleEdit
from schakel.core.validation import clean_date
from schakel.privacy.services import processing_record

from . import crypto
from .fields import EncryptedDateField, EncryptedTextField
from .models import LvbIndication, Person
from .validators import (
    normalise_bsn,
    validate_bsn,
    validate_date_of_birth,
    validate_not_in_future,
)

STALE_MESSAGE = gettext_lazy(
    "Iemand anders heeft deze gegevens gewijzigd nadat u ze opende. "
    "Uw wijziging is niet opgeslagen."
)

ACTIVITY = "person_record"
PERSON_FIELDS = (
    "given_names",
    "surname",
    "bsn",
    "date_of_birth",
    "address",
    "phone",
    "gender",
)
MAX_LENGTHS = {"given_names": 200, "surname": 200, "address": 500, "phone": 30}
PHONE_CHARACTERS = frozenset("0123456789+-() ")
SOURCE_MAX_LENGTH = LvbIndication._meta.get_field("source").max_length


def _log(actor: Membership | None, person: Person, operation: str) -> None:
    processing_record(actor=actor, subject=person, activity=ACTIVITY, operation=operation)


def _ensure_owner(actor: Membership, person: Person) -> None:
    if person.owner_organisation_id != actor.organisation_id:
        raise PermissionDenied("person.owner")


_as_date = partial(clean_date, example="2008-03-14")


def _clean_person_fields(values: dict, errors: dict) -> dict:
    """Normalise the given fields (strip text, BSN without separators, dates as dates)."""
    cleaned = {}
    for name, value in values.items():
        if name == "date_of_birth":
            cleaned[name] = _as_date(value, errors, name)
        elif name == "bsn":
            cleaned[name] = normalise_bsn(value)
        else:
            cleaned[name] = (value or "").strip()
    return cleaned


def _validate_person(values: dict, errors: dict) -> None:
    """Check a complete set of person fields; add messages to `errors` by field name."""
    for name, limit in MAX_LENGTHS.items():
        if len(values[name]) > limit and name not in errors:
            errors[name] = _("Gebruik hier hoogstens %(limit)d tekens.") % {"limit": limit}
    if values["bsn"]:
        try:
            validate_bsn(values["bsn"])
        except ValidationError as error:
            errors["bsn"] = error.messages[0]
    if not values["surname"] and not values["bsn"] and "surname" not in errors:
        errors["surname"] = _("Vul een achternaam of een BSN in.")
    if values["date_of_birth"] is not None:
        try:
            validate_date_of_birth(values["date_of_birth"])
        except ValidationError as error:
            errors["date_of_birth"] = error.messages[0]
    if values["phone"] and not set(values["phone"]) <= PHONE_CHARACTERS:
        errors.setdefault(
            "phone", _("Een telefoonnummer bevat alleen cijfers, spaties en + - ( ).")
        )
    if values["gender"] not in Person.Gender.values:
        errors["gender"] = _("Kies een van de mogelijkheden.")


def person_create(
    *,
    actor: Membership,
    given_names: str = "",
    surname: str = "",
    bsn: str = "",
    date_of_birth: datetime.date | None = None,
    address: str = "",
    phone: str = "",
    gender: str = "",
) -> Person:
    """Record a new person for the actor's organisation. Needs a surname or a BSN."""
    ensure_can(actor, "person.create")
    errors: dict = {}
    values = _clean_person_fields(
        {
            "given_names": given_names,
            "surname": surname,
            "bsn": bsn,
            "date_of_birth": date_of_birth,
            "address": address,
            "phone": phone,
            "gender": gender,
        },
        errors,
    )
    _validate_person(values, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        person = Person.objects.create(
            **values, owner_organisation=actor.organisation, created_by=actor
        )
        _log(actor, person, "create")
    return person


def person_update(*, actor: Membership, person: Person, expected_version: int, **fields) -> Person:
    """Change some of the person's fields, if nobody changed the person since `expected_version`.

    Raises StaleEdit when the stored version differs; nothing changes then. Returns the stored
    person with the new version. Only the fields passed are changed.
    """
    ensure_can(actor, "person.update")
    _ensure_owner(actor, person)
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"person_update() got unknown fields: {', '.join(sorted(unknown))}")
    try:
        expected = int(expected_version)
    except (TypeError, ValueError):
        raise ValidationError(
            {"version": _("De versie ontbreekt. Laad de gegevens opnieuw.")}
        ) from None
    errors: dict = {}
    changes = _clean_person_fields(fields, errors)
    with transaction.atomic():
        current = Person.objects.select_for_update().get(pk=person.pk)
        if current.version != expected:
            raise StaleEdit(current_version=current.version, message=STALE_MESSAGE)
        merged = {name: getattr(current, name) for name in PERSON_FIELDS} | changes
        _validate_person(merged, errors)
        if errors:
            raise ValidationError(errors)
        changed = {name: v for name, v in changes.items() if getattr(current, name) != v}
        if not changed:
            return current
        for name, value in changed.items():
            setattr(current, name, value)
        current.version = expected + 1
        current.save()
        _log(actor, current, "update")
    return current


def lvb_indication_record(
    *,
    actor: Membership,
    person: Person,
    status: str,
    source_kind: str,
    source: str,
    observed_on: datetime.date,
    note: str = "",
    corrects: LvbIndication | None = None,
) -> LvbIndication:
    """Append an entry to the person's LVB history. A correction points at the entry it corrects.

    The source is always required: an IQ score, for example, can be distorted by acute trauma,
    so whoever reads the indication must see what it rests on.
    """
    ensure_can(actor, "person.update")
    _ensure_owner(actor, person)
    errors: dict = {}
    if status not in LvbIndication.Status.values:
        errors["status"] = _("Kies een status.")
    if source_kind not in LvbIndication.SourceKind.values:
        errors["source_kind"] = _("Kies de soort bron.")
    source = (source or "").strip()
    if not source:
        errors["source"] = _("Vul de bron in. Dan is altijd te zien waar de indicatie op berust.")
    elif len(source) > SOURCE_MAX_LENGTH:
        errors["source"] = _("Gebruik hier hoogstens %(limit)d tekens.") % {
            "limit": SOURCE_MAX_LENGTH
        }
    observed = _as_date(observed_on, errors, "observed_on")
    if observed is None and "observed_on" not in errors:
        errors["observed_on"] = _("Vul de datum in.")
    elif observed is not None:
        try:
            validate_not_in_future(observed)
        except ValidationError as error:
            errors["observed_on"] = error.messages[0]
        else:
            if person.date_of_birth and observed < person.date_of_birth:
                errors["observed_on"] = _("Deze datum ligt voor de geboortedatum.")
    if corrects is not None and corrects.person_id != person.pk:
        errors["corrects"] = _("Een verbetering moet over een indicatie van dezelfde persoon gaan.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        indication = LvbIndication.objects.create(
            person=person,
            status=status,
            source_kind=source_kind,
            source=source,
            observed_on=observed,
            note=(note or "").strip(),
            corrects=corrects,
            recorded_by=actor,
        )
        _log(actor, person, "update")
    return indication


def encrypted_field_names() -> list[str]:
    return [
        field.name
        for field in Person._meta.concrete_fields
        if isinstance(field, EncryptedTextField | EncryptedDateField)
    ]


def person_keys_rotate(*, batch_size: int = 500) -> int:
    """Re-encrypt every encrypted field with the current (first) key of the key ring.

    Works in batches of `batch_size` rows, each in its own transaction, so it can be stopped
    and started again: values already on the current key are left alone. Returns the number of
    persons that were re-encrypted. Every old key must stay in the ring until this has finished.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    current, _keys = crypto.key_ring()
    names = encrypted_field_names()
    # Cast to a plain text field: the raw ciphertext, without the field's from_db_value.
    raw = {f"raw_{name}": Cast(name, output_field=models.TextField()) for name in names}
    rotated = 0
    last_pk = 0
    while True:
        with transaction.atomic():
            rows = list(
                Person.objects.select_for_update()
                .filter(pk__gt=last_pk)
                .order_by("pk")
                .annotate(**raw)
                .values_list("pk", *raw)[:batch_size]
            )
            for pk, *values in rows:
                stale = {
                    name: crypto.decrypt(value)
                    for name, value in zip(names, values, strict=True)
                    if value and crypto.key_id_of(value) != current
                }
                if stale:
                    # update() encrypts the plaintext again, now with the current key.
                    Person.objects.filter(pk=pk).update(**stale)
                    rotated += 1
        if len(rows) < batch_size:
            return rotated
        last_pk = rows[-1][0]
