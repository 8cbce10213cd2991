"""All reads of the signal index, scoped to the actor's organisation. There is no search, list or
browse of the index: an organisation reads only its own registrations and the matches it takes
part in. Anything else answers Http404, so ids cannot be probed.

Reading the own registrations is logged (activity "signal_index", operation "read").
"""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from schakel.accounts.models import Membership
from schakel.accounts.permissions import can
from schakel.ids import public_id_or_404
from schakel.privacy.services import processing_record_many

from .models import SignalMatch, SignalRegistration
from .services import ACTIVITY, log_subject

PAGE_SIZE = 25


def _own(actor: Membership | None):
    if not can(actor, "signal.register"):
        return SignalRegistration.objects.none()
    return SignalRegistration.objects.filter(organisation_id=actor.organisation_id)


def contact_default_for(*, actor: Membership) -> tuple[str, str]:
    """(function, phone) to offer as the contact of a new registration: what this professional
    gave last time in this organisation, else their role and no phone."""
    last = (
        SignalRegistration.objects.filter(created_by=actor, organisation_id=actor.organisation_id)
        .order_by("-pk")
        .values_list("contact_function", "contact_phone")
        .first()
    )
    if last:
        return last
    return str(actor.get_role_display()), ""


def _match_rows():
    return SignalMatch.objects.select_related(
        "registration_a__organisation",
        "registration_b__organisation",
        "lead_proposed_by__user",
        "lead_answered_by__user",
    )


def _log_reads(actor, registrations) -> None:
    if registrations:
        processing_record_many(
            actor=actor,
            subjects=[log_subject(r) for r in registrations],
            activity=ACTIVITY,
            operation="read",
        )


@dataclass
class MatchView:
    """A match as one side sees it: the other side's organisation, domain and contact only."""

    match: SignalMatch
    side: str
    own: SignalRegistration
    other: SignalRegistration

    @property
    def public_id(self):
        return self.match.public_id

    @property
    def is_new(self) -> bool:
        return getattr(self.match, f"{self.side}_seen_at") is None

    @property
    def other_active(self) -> bool:
        return self.other.is_active(timezone.localdate())

    @property
    def lead_is_ours(self) -> bool:
        return self.match.lead_side == self.side

    @property
    def waiting_for_us(self) -> bool:
        return (
            self.match.lead_status == SignalMatch.Lead.PROPOSED
            and self.match.lead_side != self.side
        )


def view_of(match: SignalMatch, organisation_id: int) -> MatchView:
    side = match.side_of(organisation_id)
    return MatchView(match, side, match.own(side), match.other(side))


def _matches_of(registrations: list[SignalRegistration], organisation_id: int) -> None:
    """Attach `.match_views` (newest first) to each registration."""
    ids = [r.pk for r in registrations]
    by_registration: dict[int, list[MatchView]] = {pk: [] for pk in ids}
    rows = _match_rows().filter(Q(registration_a_id__in=ids) | Q(registration_b_id__in=ids))
    for match in rows.order_by("-created_at", "-pk"):
        view = view_of(match, organisation_id)
        by_registration[view.own.pk].append(view)
    for registration in registrations:
        registration.match_views = by_registration[registration.pk]


def signal_registration_list_for(
    *, actor: Membership | None, page=1, per_page: int = PAGE_SIZE, active_only: bool = False
) -> Page:
    """The actor organisation's own registrations (active first, newest first), with their
    matches. Logs a read per registration shown."""
    if not can(actor, "signal.register"):
        raise Http404
    rows = _own(actor).select_related("created_by__user", "person")
    if active_only:
        rows = rows.filter(ended_at__isnull=True, ends_on__gt=timezone.localdate())
    rows = rows.order_by("ended_at", "-started_on", "-pk")
    result = Paginator(rows, max(1, min(int(per_page), 100))).get_page(page)
    result.object_list = list(result.object_list)
    _matches_of(result.object_list, actor.organisation_id)
    _log_reads(actor, result.object_list)
    return result


def signal_registration_get_for(*, actor: Membership | None, public_id) -> SignalRegistration:
    key = public_id_or_404(public_id)
    registration = (
        _own(actor).select_related("created_by__user", "person").filter(public_id=key).first()
    )
    if registration is None:
        raise Http404
    _matches_of([registration], actor.organisation_id)
    _log_reads(actor, [registration])
    return registration


def signal_match_get_for(*, actor: Membership | None, public_id) -> MatchView:
    """A match the actor's organisation takes part in; otherwise Http404."""
    key = public_id_or_404(public_id)
    if not can(actor, "signal.register"):
        raise Http404
    org = actor.organisation_id
    match = (
        _match_rows()
        .filter(public_id=key)
        .filter(Q(registration_a__organisation_id=org) | Q(registration_b__organisation_id=org))
        .first()
    )
    if match is None:
        raise Http404
    view = view_of(match, org)
    _log_reads(actor, [view.own])
    return view


def signal_new_match_count(*, actor: Membership | None) -> int:
    """How many matches of the actor's organisation it has not opened yet (for the menu)."""
    if not can(actor, "signal.register"):
        return 0
    org = actor.organisation_id
    return SignalMatch.objects.filter(
        Q(registration_a__organisation_id=org, a_seen_at__isnull=True)
        | Q(registration_b__organisation_id=org, b_seen_at__isnull=True)
    ).count()


__all__ = [
    "MatchView",
    "signal_match_get_for",
    "signal_new_match_count",
    "signal_registration_get_for",
    "signal_registration_list_for",
]
