"""Who may see a case, and which parts of it. Need-to-know: only active members, and a member
from another organisation only while the basis their organisation joined on still holds.

Members of the organisation that holds the case, the lead and the backup see every part. Other
members see the data categories their organisation was given through the privacy gate.
"""

from dataclasses import dataclass

from django.utils import timezone

from schakel.accounts.models import Membership
from schakel.accounts.permissions import can

from . import sources
from .models import Case, CaseMember, Event

# The category a member needs at all: that the case exists, who is on it, meetings and tasks.
BASE_CATEGORY = "tijdlijn"

# Which data category each kind of timeline event belongs to.
EVENT_CATEGORY = {
    Event.Kind.SIGNAL: "signalen",
    Event.Kind.POLICE_FIRST_CONTACT: "signalen",
    Event.Kind.POLICE_INTAKE: "signalen",
    Event.Kind.POLICE_REPORT: "signalen",
    Event.Kind.REFERRAL_REQUESTED: "hulpverlening",
    Event.Kind.REFERRAL_ACCEPTED: "hulpverlening",
    Event.Kind.REFERRAL_DECLINED: "hulpverlening",
    Event.Kind.REFERRAL_STARTED: "hulpverlening",
    Event.Kind.REFERRAL_ENDED: "hulpverlening",
    Event.Kind.REFERRAL_WITHDRAWN: "hulpverlening",
    Event.Kind.PLACEMENT_STARTED: "hulpverlening",
    Event.Kind.PLACEMENT_ENDED: "hulpverlening",
    Event.Kind.AFTERCARE_PLAN: "hulpverlening",
    Event.Kind.CRISIS_CARD: "hulpverlening",
    Event.Kind.CRISIS_CARD_SHARED: "hulpverlening",
    Event.Kind.RESIDENCE: "hulpverlening",
}
ASSESSMENT_CATEGORY = "screening"


def case_categories() -> frozenset[str]:
    return frozenset(sources.purpose_categories(sources.CASE_PURPOSE))


def event_category(kind: str) -> str:
    return EVENT_CATEGORY.get(kind, BASE_CATEGORY)


@dataclass
class Access:
    case: Case
    actor: Membership
    member: CaseMember
    categories: frozenset[str]

    @property
    def is_lead(self) -> bool:
        return self.case.lead_id == self.actor.pk

    @property
    def is_backup(self) -> bool:
        return self.case.backup_id == self.actor.pk

    @property
    def can_manage(self) -> bool:
        return self.is_lead or self.is_backup

    @property
    def holder(self) -> bool:
        return self.actor.organisation_id == self.case.organisation_id

    def sees(self, category: str) -> bool:
        return category in self.categories

    def sees_event(self, kind: str) -> bool:
        return self.sees(event_category(kind))

    # Template-friendly names.
    @property
    def sees_identity(self) -> bool:
        return self.sees("identificatie")

    @property
    def sees_help(self) -> bool:
        return self.sees("hulpverlening")

    @property
    def sees_lvb(self) -> bool:
        return self.sees("lvb-indicatie")

    @property
    def sees_question(self) -> bool:
        return self.sees("hulpvraag")

    @property
    def sees_contact(self) -> bool:
        return self.sees("contactgegevens")


def member_in_force(member: CaseMember, case: Case, *, at=None) -> bool:
    """An active member from another organisation keeps access only while their basis holds."""
    if member.ended_at is not None:
        return False
    if member.organisation_id == case.organisation_id:
        return True
    return sources.basis_in_force(
        member.basis,
        person=case.person,
        sender=member.basis.sender if member.basis_id else case.organisation,
        recipient=member.organisation,
        categories=member.data_categories or [BASE_CATEGORY],
        at=at,
    )


def _member_rows():
    return CaseMember.objects.select_related(
        "basis__sender",
        "basis__consent",
        "basis__agreement",
        "basis__decision",
    ).prefetch_related("basis__consent__events", "basis__agreement__events")


def access_from_member(actor, case: Case, member: CaseMember | None, *, at=None) -> Access | None:
    if member is None or not member_in_force(member, case, at=at):
        return None
    if (
        member.organisation_id == case.organisation_id
        or case.lead_id == actor.pk
        or case.backup_id == actor.pk
    ):
        categories = case_categories()
    else:
        categories = frozenset(member.data_categories) & case_categories()
    if BASE_CATEGORY not in categories:
        return None
    return Access(case=case, actor=actor, member=member, categories=categories)


def access_for(actor: Membership | None, case: Case, *, at=None) -> Access | None:
    """The actor's access to `case`, or None (the caller answers 404)."""
    if not can(actor, "case.view"):
        return None
    member = _member_rows().filter(case=case, membership=actor, ended_at__isnull=True).first()
    return access_from_member(actor, case, member, at=at)


def lead_can_act(case: Case, *, at=None) -> bool:
    """Whether the lead can still work on the case. When not (account ended, access lapsed), the
    backup may hand the lead over, also to themselves."""
    lead = case.lead
    if not (lead.is_active and lead.user.is_active):
        return False
    return access_for(lead, case, at=at or timezone.now()) is not None
