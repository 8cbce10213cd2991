"""Agreements (convenanten) between organisations: recording one and ending it early."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.accounts.models import Membership
from schakel.accounts.permissions import ensure_can
from schakel.core.validation import clean_date, clean_text, raise_if

from ..models import Agreement, AgreementEvent
from ..rules import agreement_ended_at, local_date
from ._common import _categories, _purposes

AGREEMENT_MAX_DAYS = 1826


def agreement_create(
    *,
    actor: Membership,
    title: str,
    parties,
    purposes: list[str],
    data_categories: list[str],
    valid_from,
    valid_until,
    reference: str = "",
    note: str = "",
) -> Agreement:
    """Record an agreement between the actor's organisation and at least one other."""
    ensure_can(actor, "agreement.manage")
    errors: dict = {}
    title = clean_text(title, errors, "title", required=True, limit=200)
    reference = clean_text(reference, errors, "reference", limit=100)
    note = clean_text(note, errors, "note")
    parties = list({party.pk: party for party in parties or []}.values())
    if actor.organisation_id not in {p.pk for p in parties}:
        parties.append(actor.organisation)
    if len(parties) < 2:
        errors["parties"] = _("Kies minstens één andere organisatie.")
    elif any(not p.is_active for p in parties):
        errors["parties"] = _("Kies alleen organisaties die meedoen.")
    purpose_objs = _purposes(purposes, errors)
    categories = _categories(data_categories, purpose_objs, errors)
    start = clean_date(valid_from, errors, "valid_from", required=True)
    end = clean_date(valid_until, errors, "valid_until", required=True)
    if start and end:
        if end < start:
            errors["valid_until"] = _("De einddatum ligt voor de begindatum.")
        elif (end - start).days > AGREEMENT_MAX_DAYS:
            errors["valid_until"] = _(
                "Een convenant geldt hoogstens 5 jaar. Spreek daarna opnieuw af."
            )
    raise_if(errors)
    with transaction.atomic():
        agreement = Agreement.objects.create(
            title=title,
            reference=reference,
            purposes=[p.key for p in purpose_objs],
            data_categories=categories,
            valid_from=start,
            valid_until=end,
            note=note,
            created_by=actor,
        )
        agreement.parties.set(parties)
        AgreementEvent.objects.create(
            agreement=agreement, kind=AgreementEvent.Kind.CREATED, by=actor
        )
    return agreement


def agreement_end(*, actor: Membership, agreement: Agreement, note: str = "") -> Agreement:
    """End an agreement now (before its end date). From this moment it is no basis."""
    ensure_can(actor, "agreement.manage")
    if not agreement.parties.filter(pk=actor.organisation_id).exists():
        raise PermissionDenied("agreement.party")
    errors: dict = {}
    note = clean_text(note, errors, "note", required=True)
    if errors:
        errors["note"] = _("Schrijf op waarom het convenant stopt.")
        raise ValidationError(errors)
    with transaction.atomic():
        current = Agreement.objects.select_for_update().get(pk=agreement.pk)
        now = timezone.now()
        if agreement_ended_at(current, now) is not None or local_date(now) > current.valid_until:
            raise ValidationError({"agreement": _("Dit convenant geldt al niet meer.")})
        AgreementEvent.objects.create(
            agreement=current, kind=AgreementEvent.Kind.ENDED, by=actor, note=note
        )
    return current
