"""Help: referrals (with waiting time and possible steps), options, placements."""

from django.http import Http404

from .. import sources
from ..display import referral_waiting_days
from ..models import Case, Placement, Referral
from ..services.referrals import REFERRAL_STEPS
from ._common import _access, _int, _require


def referral_actions(referral: Referral) -> list[str]:
    """The steps a referral can take from where it is (the services' REFERRAL_STEPS)."""
    return [name for name, step in REFERRAL_STEPS.items() if referral.status in step[0]]


def referrals_for(*, actor, case: Case) -> list[Referral]:
    access = _access(actor, case)
    _require(access, "hulpverlening")
    referrals = list(Referral.objects.filter(case=case).select_related("recipient"))
    for referral in referrals:
        referral.waiting_days = referral_waiting_days(referral)
        referral.actions = referral_actions(referral)
    return referrals


def referral_get_for(*, actor, case: Case, pk) -> Referral:
    access = _access(actor, case)
    _require(access, "hulpverlening")
    referral = (
        Referral.objects.select_related("recipient", "basis").filter(case=case, pk=_int(pk)).first()
    )
    if referral is None:
        raise Http404
    referral.waiting_days = referral_waiting_days(referral)
    referral.actions = referral_actions(referral)
    return referral


def referral_options_for(
    *, actor, case: Case, need: str = "", q: str = "", exclude_declined: bool = True, limit=10
) -> list[sources.Option]:
    """The wegwijzer's options for this person (the next ones after a decline: offers that
    declined or were tried before are left out)."""
    access = _access(actor, case)
    _require(access, "hulpverlening")
    exclude = set()
    if exclude_declined:
        exclude = set(
            Referral.objects.filter(
                case=case,
                status__in=[
                    Referral.Status.DECLINED,
                    Referral.Status.REQUESTED,
                    Referral.Status.ACCEPTED,
                    Referral.Status.STARTED,
                ],
            ).values_list("offer_key", flat=True)
        )
    return sources.offer_options(
        person=case.person,
        case=case,
        lvb=sources.lvb_positive(sources.lvb_current(case.person)),
        need=need,
        q=q,
        exclude_keys=exclude,
        limit=limit,
    )


def placements_for(*, actor, case: Case) -> list[Placement]:
    access = _access(actor, case)
    _require(access, "hulpverlening")
    return list(Placement.objects.filter(case=case).select_related("referral"))


def placement_get_for(*, actor, case: Case, pk) -> Placement:
    access = _access(actor, case)
    _require(access, "hulpverlening")
    placement = Placement.objects.filter(case=case, pk=_int(pk)).first()
    if placement is None:
        raise Http404
    return placement
