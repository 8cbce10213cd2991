"""After a match: marking it seen, the lead agreement between the two organisations, and the
side with the lead inviting the other side into a case."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.accounts.models import Membership, Organisation
from schakel.accounts.permissions import ensure_can

from ..models import SignalMatch
from ._common import _log

NOT_A_TRANSFER = {
    "signal_match_seen": "marks a match as seen by the own organisation; nothing leaves it",
    "signal_match_lead_propose": (
        "records 'we take the lead' between the two organisations of a match; it reveals only "
        "what the match already showed (organisation and contact), which is the point of the index"
    ),
    "signal_match_lead_answer": "records the answer to a lead proposal; no personal data moves",
    "signal_match_case_invite": (
        "the invitation is cases.services.case_member_add, which passes the privacy gate "
        "(sharing_basis_create) itself; this function adds nothing to what crosses"
    ),
}


def _side(actor: Membership, match: SignalMatch) -> str:
    ensure_can(actor, "signal.register")
    side = match.side_of(actor.organisation_id)
    if not side:
        raise Http404
    return side


def signal_match_seen(*, actor: Membership, match: SignalMatch, now=None) -> None:
    side = _side(actor, match)
    name = f"{side}_seen_at"
    if getattr(match, name) is None:
        setattr(match, name, now or timezone.now())
        SignalMatch.objects.filter(pk=match.pk, **{f"{name}__isnull": True}).update(
            **{name: getattr(match, name)}
        )


def signal_match_lead_propose(*, actor: Membership, match: SignalMatch, now=None) -> SignalMatch:
    """'Wij nemen de regie': the actor's side proposes to lead; the other side answers."""
    side = _side(actor, match)
    now = now or timezone.now()
    with transaction.atomic():
        current = SignalMatch.objects.select_for_update().get(pk=match.pk)
        if current.lead_status in (SignalMatch.Lead.PROPOSED, SignalMatch.Lead.ACCEPTED):
            raise ValidationError({"lead": _("Er is al een voorstel of afspraak over de regie.")})
        current.lead_status, current.lead_side = SignalMatch.Lead.PROPOSED, side
        current.lead_proposed_by, current.lead_proposed_at = actor, now
        current.lead_answered_by, current.lead_answered_at = None, None
        current.save()
        _log(actor, [match.own(side)], "update")
    return current


def signal_match_lead_answer(
    *, actor: Membership, match: SignalMatch, accept: bool, now=None
) -> SignalMatch:
    side = _side(actor, match)
    now = now or timezone.now()
    with transaction.atomic():
        current = SignalMatch.objects.select_for_update().get(pk=match.pk)
        if current.lead_status != SignalMatch.Lead.PROPOSED or current.lead_side == side:
            raise ValidationError(
                {"lead": _("Er is geen voorstel van de andere organisatie om te beantwoorden.")}
            )
        current.lead_status = SignalMatch.Lead.ACCEPTED if accept else SignalMatch.Lead.DECLINED
        current.lead_answered_by, current.lead_answered_at = actor, now
        current.save()
        _log(actor, [match.own(side)], "update")
    return current


def cases_to_invite_into(*, actor: Membership, match: SignalMatch) -> list:
    """The open cases of the actor's organisation about the registered person, which the actor
    leads or backs up: the registration's own case, or cases of its person."""
    from schakel.cases.models import Case

    side = match.side_of(actor.organisation_id)
    if not side:
        return []
    own = match.own(side)
    rows = Case.objects.filter(organisation_id=actor.organisation_id, status=Case.Status.OPEN)
    condition = Q(pk=own.case_id) if own.case_id else Q(pk__in=[])
    if own.person_id:
        condition |= Q(person_id=own.person_id)
    return list(
        rows.filter(condition).filter(Q(lead=actor) | Q(backup=actor)).order_by("opened_on")
    )


def signal_match_case_invite(*, actor: Membership, match: SignalMatch, case=None):
    """The side that holds the lead invites the other side's registering professional into its
    case. Raises SharingNotAllowed when the privacy gate refuses (through case_member_add)."""
    from schakel.cases import services as case_services
    from schakel.cases.models import MemberRole

    side = _side(actor, match)
    if match.lead_status != SignalMatch.Lead.ACCEPTED or match.lead_side != side:
        raise ValidationError(
            {"lead": _("Alleen de organisatie met de afgesproken regie kan uitnodigen.")}
        )
    candidates = cases_to_invite_into(actor=actor, match=match)
    if case is None and len(candidates) == 1:
        case = candidates[0]
    if case is None or case.pk not in {c.pk for c in candidates}:
        raise ValidationError(
            {
                "case": _(
                    "Kies een open casus over deze persoon waarvan u regiehouder of achtervang "
                    "bent."
                )
            }
        )
    other = match.other(side)
    membership = other.created_by
    if membership is None or not membership.is_active:
        raise ValidationError(
            {"case": _("De professional die de andere melding deed, werkt daar niet meer.")}
        )
    domain_roles = {
        Organisation.Domain.POLITIE: MemberRole.POLICE,
        Organisation.Domain.ONDERWIJS: MemberRole.EDUCATION,
        Organisation.Domain.GEMEENTE: MemberRole.MUNICIPALITY,
    }
    role = domain_roles.get(other.domain, MemberRole.CAREGIVER)
    return case_services.case_member_add(actor=actor, case=case, membership=membership, role=role)
