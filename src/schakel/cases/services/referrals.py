"""Referrals to an offer of the wegwijzer, and the steps they take (REFERRAL_STEPS)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from schakel.accounts.models import Membership
from schakel.core.validation import clean_date, clean_text, raise_if

from .. import sources
from ..models import Case, Event, Referral
from ._common import _access, _event, _locked, _log, _manager, _today

DEFAULT_REFERRAL_CATEGORIES = ["identificatie", "hulpvraag"]


def _clean_referral_categories(keys, errors: dict) -> list[str]:
    allowed = set(sources.purpose_categories(sources.REFERRAL_PURPOSE))
    keys = list(dict.fromkeys(keys or []))
    if not keys:
        errors["data_categories"] = _("Kies welke gegevens de aanbieder krijgt.")
    elif any(k not in allowed for k in keys):
        errors["data_categories"] = _("Kies alleen gegevens uit de lijst.")
    return keys


def referral_create(
    *,
    actor: Membership,
    case: Case,
    offer,
    need: str = "",
    note: str = "",
    data_categories=None,
    override_reason: str = "",
    today=None,
) -> Referral:
    """Refer to an offer of the wegwijzer (lead or backup). When the provider works in Schakel,
    the data that travels passes the privacy gate first."""
    _manager(actor, case)
    today = _today(today)
    errors: dict = {}
    if offer is None or not offer.is_active:
        errors["offer"] = _("Kies een aanbod uit de wegwijzer.")
    if need and need not in dict(sources.need_choices()):
        errors["need"] = _("Kies de soort hulp uit de lijst.")
    note = clean_text(note, errors, "note")
    categories = _clean_referral_categories(
        DEFAULT_REFERRAL_CATEGORIES if data_categories is None else data_categories, errors
    )
    if case.status != Case.Status.OPEN:
        errors["offer"] = _("De casus is afgesloten. Open hem eerst weer.")
    raise_if(errors)
    provider = offer.provider
    recipient = provider.organisation if provider and provider.organisation_id else None
    if recipient is not None and not recipient.is_active:
        recipient = None
    basis = None
    if recipient is not None and recipient.pk != actor.organisation_id:
        basis = sources.share(
            actor=actor,
            person=case.person,
            recipient=recipient,
            purpose=sources.REFERRAL_PURPOSE,
            categories=categories,
            override_reason=override_reason,
        )
    with transaction.atomic():
        referral = Referral.objects.create(
            case=case,
            offer=offer,
            offer_key=offer.key,
            offer_name=offer.name,
            provider_name=provider.name if provider else "",
            need=need,
            recipient=recipient,
            basis=basis,
            requested_on=today,
            note=note,
            requested_by=actor,
        )
        _event(
            case,
            Event.Kind.REFERRAL_REQUESTED,
            actor,
            occurred_on=today,
            text=note,
            data=_referral_data(referral),
            referral=referral,
        )
        _log(actor, case, "share" if basis else "update")
    return referral


def _referral_data(referral: Referral) -> dict:
    return {"offer": referral.offer_name, "provider": referral.provider_name}


REFERRAL_STEPS = {
    "accept": (
        {Referral.Status.REQUESTED},
        Referral.Status.ACCEPTED,
        "accepted_on",
        Event.Kind.REFERRAL_ACCEPTED,
    ),
    "decline": (
        {Referral.Status.REQUESTED, Referral.Status.ACCEPTED},
        Referral.Status.DECLINED,
        "declined_on",
        Event.Kind.REFERRAL_DECLINED,
    ),
    "start": (
        {Referral.Status.REQUESTED, Referral.Status.ACCEPTED},
        Referral.Status.STARTED,
        "started_on",
        Event.Kind.REFERRAL_STARTED,
    ),
    "end": (
        {Referral.Status.STARTED},
        Referral.Status.ENDED,
        "ended_on",
        Event.Kind.REFERRAL_ENDED,
    ),
    "withdraw": (
        {Referral.Status.REQUESTED, Referral.Status.ACCEPTED},
        Referral.Status.WITHDRAWN,
        "",
        Event.Kind.REFERRAL_WITHDRAWN,
    ),
}


def referral_transition(
    *,
    actor: Membership,
    case: Case,
    referral: Referral,
    action: str,
    expected_version,
    on=None,
    reason: str = "",
    today=None,
) -> Referral:
    """Move a referral on: accept, decline (reason required), start, end (reason required) or
    withdraw. The lead, the backup, or a member of the receiving organisation may record it."""
    access = _access(actor, case)
    if referral.case_id != case.pk:
        raise Http404
    receiving = referral.recipient_id is not None and referral.recipient_id == actor.organisation_id
    if not (access.can_manage or (receiving and action != "withdraw")):
        raise PermissionDenied("case.manage")
    step = REFERRAL_STEPS.get(action)
    if step is None:
        raise ValidationError({"action": _("Kies een stap.")})
    allowed_from, new_status, date_field, kind = step
    today = _today(today)
    errors: dict = {}
    needs_reason = action in ("decline", "end")
    reason = clean_text(
        reason,
        errors,
        "reason",
        required=needs_reason,
        message=_("Schrijf de reden op. Die helpt bij de volgende verwijzing."),
    )
    not_before = referral.accepted_on or referral.requested_on
    if action == "end":
        not_before = referral.started_on or not_before
    day = clean_date(on or today, errors, "on", required=True, today=today, not_before=not_before)
    raise_if(errors)
    with transaction.atomic():
        current = _locked(Referral, referral.pk, expected_version)
        if current.status not in allowed_from:
            raise ValidationError(
                {
                    "action": _("Deze stap kan nu niet: de verwijzing is %(status)s.")
                    % {"status": current.get_status_display()}
                }
            )
        current.status = new_status
        if date_field:
            setattr(current, date_field, day)
        if action == "decline":
            current.decline_reason = reason
        elif action == "end":
            current.end_reason = reason
        current.version += 1
        current.save()
        _event(
            case,
            kind,
            actor,
            occurred_on=day,
            text=reason,
            data=_referral_data(current),
            referral=current,
        )
        _log(actor, case, "update")
    return current
