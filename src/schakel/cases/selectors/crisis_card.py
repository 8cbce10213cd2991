"""The aftercare plan and the crisis card: the card, its shares, cards received."""

from django.http import Http404

from schakel.accounts.models import Membership
from schakel.accounts.permissions import can
from schakel.ids import public_id_or_404

from .. import sources
from ..models import AftercarePlan, Case, CrisisCard, CrisisCardShare
from ._common import _access, _int, _log_reads, _require


def aftercare_for(*, actor, case: Case) -> AftercarePlan | None:
    access = _access(actor, case)
    _require(access, "hulpverlening")
    return AftercarePlan.objects.filter(case=case).first()


def crisis_card_for(*, actor, case: Case) -> CrisisCard | None:
    access = _access(actor, case)
    _require(access, "hulpverlening")
    return CrisisCard.objects.filter(case=case).first()


def crisis_card_shares_of(*, actor, case: Case) -> list[CrisisCardShare]:
    access = _access(actor, case)
    _require(access, "hulpverlening")
    return list(
        CrisisCardShare.objects.filter(card__case=case).select_related("recipient", "shared_by")
    )


def crisis_card_share_get_for(*, actor, case: Case, pk) -> CrisisCardShare:
    access = _access(actor, case)
    _require(access, "hulpverlening")
    share = (
        CrisisCardShare.objects.select_related("recipient", "card")
        .filter(card__case=case, pk=_int(pk))
        .first()
    )
    if share is None:
        raise Http404
    return share


def _received_in_force(share: CrisisCardShare) -> bool:
    basis = share.basis
    case = share.card.case
    return sources.basis_in_force(
        basis,
        person=case.person,
        sender=basis.sender if basis else case.organisation,
        recipient=share.recipient,
        categories=sources.CRISIS_CARD_CATEGORIES,
        purpose=sources.CRISIS_CARD_PURPOSE,
    )


def _received(actor):
    return CrisisCardShare.objects.filter(
        recipient_id=actor.organisation_id, revoked_at__isnull=True
    ).select_related(
        "card__case__person",
        "card__case__organisation",
        "basis__sender",
        "basis__consent",
        "basis__agreement",
        "basis__decision",
        "recipient",
    )


def crisis_cards_received_for(*, actor: Membership | None) -> list[CrisisCardShare]:
    """Crisis cards shared with the actor's organisation (the police), while the basis holds.
    Only the newest share per case. Logs a read per person."""
    if not can(actor, "case.view"):
        return []
    newest: dict[int, CrisisCardShare] = {}
    for share in _received(actor).order_by("-shared_at", "-pk"):
        newest.setdefault(share.card.case_id, share)
    shares = [s for s in newest.values() if _received_in_force(s)]
    _log_reads(actor, [s.card.case for s in shares])
    return shares


def crisis_card_received_get_for(*, actor: Membership | None, public_id) -> CrisisCardShare:
    if not can(actor, "case.view"):
        raise Http404
    share = _received(actor).filter(public_id=public_id_or_404(public_id)).first()
    if share is None or not _received_in_force(share):
        raise Http404
    _log_reads(actor, [share.card.case])
    return share
