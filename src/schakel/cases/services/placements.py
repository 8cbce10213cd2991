"""Placements: help that started, and its end."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from schakel.accounts.models import Membership
from schakel.core.validation import clean_date, clean_text, raise_if

from ..models import Case, Event, Placement, PlacementKind, Referral
from ._common import _event, _locked, _log, _manager, _today


def placement_create(
    *,
    actor: Membership,
    case: Case,
    provider_name: str,
    kind: str,
    started_on,
    referral: Referral | None = None,
    today=None,
) -> Placement:
    """Record help that started: a provider, ambulant / open / closed / crisis, the start."""
    _manager(actor, case)
    today = _today(today)
    errors: dict = {}
    provider_name = clean_text(provider_name, errors, "provider_name", required=True, limit=300)
    if kind not in PlacementKind.values:
        errors["kind"] = _("Kies de soort plaatsing.")
    started = clean_date(started_on, errors, "started_on", required=True, today=today)
    if referral is not None and referral.case_id != case.pk:
        errors["referral"] = _("Deze verwijzing hoort niet bij deze casus.")
    raise_if(errors)
    with transaction.atomic():
        placement = Placement.objects.create(
            case=case,
            provider_name=provider_name,
            kind=kind,
            started_on=started,
            referral=referral,
            created_by=actor,
        )
        _event(
            case,
            Event.Kind.PLACEMENT_STARTED,
            actor,
            occurred_on=started,
            data={"provider": provider_name, "kind": kind},
            placement=placement,
        )
        _log(actor, case, "update")
    return placement


def placement_end(
    *,
    actor: Membership,
    case: Case,
    placement: Placement,
    expected_version,
    ended_on,
    reason: str,
    today=None,
) -> Placement:
    """Record the end of a placement, with the reason. The case itself does not change."""
    _manager(actor, case)
    if placement.case_id != case.pk:
        raise Http404
    today = _today(today)
    errors: dict = {}
    reason = clean_text(
        reason, errors, "end_reason", required=True, message=_("Schrijf op waarom.")
    )
    ended = clean_date(
        ended_on, errors, "ended_on", required=True, today=today, not_before=placement.started_on
    )
    raise_if(errors)
    with transaction.atomic():
        current = _locked(Placement, placement.pk, expected_version)
        if current.ended_on is not None:
            raise ValidationError({"ended_on": _("Deze plaatsing is al gestopt.")})
        current.ended_on = ended
        current.end_reason = reason
        current.version += 1
        current.save()
        _event(
            case,
            Event.Kind.PLACEMENT_ENDED,
            actor,
            occurred_on=ended,
            text=reason,
            data={"provider": current.provider_name, "kind": current.kind},
            placement=current,
        )
        _log(actor, case, "update")
    return current
