"""All reads of the case capability, scoped to the actor. A case the actor may not see (not a
member, a former member, a member whose basis lapsed, or a role without "case.view") answers
Http404, and so does everything in it.

`case_get_for` and the list selectors record the read in the processing log (activity
"case_coordination"); the selectors that take a `case` expect it from `case_get_for` (it
carries `case.access`) and do not log again.
"""

import datetime
import statistics
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from schakel.accounts.models import Membership, Organisation
from schakel.accounts.permissions import can
from schakel.ids import public_id_or_404
from schakel.privacy.services import processing_record_many

from . import sources
from .access import (
    ASSESSMENT_CATEGORY,
    BASE_CATEGORY,
    _member_rows,
    access_for,
    access_from_member,
    event_category,
    lead_can_act,
    member_in_force,
)
from .display import event_summary, lvb_expertise_present, referral_waiting_days
from .models import (
    AftercarePlan,
    Case,
    CaseMember,
    CrisisCard,
    CrisisCardShare,
    Event,
    Handover,
    Meeting,
    Placement,
    Referral,
    Task,
)
from .services.referrals import REFERRAL_STEPS

ACTIVITY = "case_coordination"


def _log_reads(actor, cases) -> None:
    persons = {case.person_id: case.person for case in cases}
    if persons:
        processing_record_many(
            actor=actor, subjects=list(persons.values()), activity=ACTIVITY, operation="read"
        )


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def _case_rows():
    return Case.objects.select_related(
        "person",
        "organisation__municipality",
        "lead__user",
        "lead__organisation",
        "backup__user",
        "backup__organisation",
    )


# -- cases ------------------------------------------------------------------------------------


def case_list_for(*, actor: Membership | None, status: str | None = None) -> list[Case]:
    """The cases the actor is an active member of (with `.access`), open ones first."""
    if not can(actor, "case.view"):
        return []
    members = _member_rows().filter(membership=actor, ended_at__isnull=True)
    cases_by_pk = {c.pk: c for c in _case_rows().filter(members__in=members).distinct()}
    cases = []
    for member in members:
        case = cases_by_pk.get(member.case_id)
        if case is None:
            continue
        access = access_from_member(actor, case, member)
        if access is None:
            continue
        if status and case.status != status:
            continue
        case.access = access
        cases.append(case)
    cases.sort(key=lambda c: (c.status != Case.Status.OPEN, -c.opened_on.toordinal(), -c.pk))
    _log_reads(actor, cases)
    return cases


def case_get_for(*, actor: Membership | None, public_id) -> Case:
    """The case with `public_id` if the actor may see it (with `.access`); otherwise Http404.
    Logs a read."""
    key = public_id_or_404(public_id)
    if not can(actor, "case.view"):
        raise Http404
    case = _case_rows().filter(public_id=key).first()
    if case is None:
        raise Http404
    access = access_for(actor, case)
    if access is None:
        raise Http404
    case.access = access
    _log_reads(actor, [case])
    return case


def _access(actor, case: Case):
    access = getattr(case, "access", None)
    if access is None or access.actor.pk != getattr(actor, "pk", None):
        access = access_for(actor, case)
        if access is None:
            raise Http404
        case.access = access
    return access


def _require(access, category: str) -> None:
    if not access.sees(category):
        raise PermissionDenied("case.category")


def lvb_for(*, actor, case: Case) -> dict:
    """The LVB indication as the case shows it: `positive` for everyone on the case (they all
    get the communication guidance), the status and the source only with "lvb-indicatie"."""
    access = _access(actor, case)
    indication = sources.lvb_current(case.person)
    return {
        "positive": sources.lvb_positive(indication),
        "indication": indication if access.sees("lvb-indicatie") else None,
    }


# -- start page -------------------------------------------------------------------------------


def my_tasks_for(*, actor: Membership | None, today=None, cases=None) -> list[Task]:
    """The actor's open tasks in cases they can see, overdue first (each with `.overdue`).
    `cases`: the actor's cases from `case_list_for`, when the caller has them already."""
    if not can(actor, "case.view"):
        return []
    today = today or timezone.localdate()
    if cases is None:
        cases = case_list_for(actor=actor)
    cases = {c.pk: c for c in cases}
    tasks = list(
        Task.objects.filter(owner=actor, status=Task.Status.OPEN, case_id__in=list(cases))
        .select_related("meeting")
        .order_by("due_on", "pk")
    )
    for task in tasks:
        task.case = cases[task.case_id]
        task.overdue = task.due_on < today
    tasks.sort(key=lambda t: (not t.overdue, t.due_on, t.pk))
    return tasks


def handovers_offered_to(*, actor: Membership | None) -> list[Handover]:
    """Open handovers offered to the actor, in cases they can see."""
    if not can(actor, "case.view"):
        return []
    result = []
    for handover in Handover.objects.filter(
        to_lead=actor, status=Handover.Status.OFFERED
    ).select_related("case__person", "from_lead__user", "from_lead__organisation"):
        access = access_for(actor, handover.case)
        if access is not None:
            handover.case.access = access
            result.append(handover)
    _log_reads(actor, [h.case for h in result])
    return result


def stand_in_cases(cases: list[Case]) -> list[Case]:
    """Of the given cases (from `case_list_for`), those where the actor is the backup and the
    lead can no longer act: the backup should take over."""
    return [c for c in cases if c.access.is_backup and not lead_can_act(c)]


def membership_for_case(*, organisation: Organisation | None, email: str) -> Membership | None:
    """The active membership of a professional at an organisation (to add them to a case)."""
    if organisation is None or not email:
        return None
    for membership in Membership.objects.filter(
        organisation=organisation,
        user__email__iexact=email.strip(),
        is_active=True,
        user__is_active=True,
    ).select_related("user", "organisation"):
        if can(membership, "case.view"):
            return membership
    return None


# -- members and handovers --------------------------------------------------------------------


def members_for(*, actor, case: Case, include_ended: bool = False) -> list[CaseMember]:
    """Members of the case; each with `in_force` (False: their basis lapsed) and `labels` (the
    data their organisation sees)."""
    _access(actor, case)
    rows = _member_rows().select_related("membership__user", "organisation")
    rows = rows.filter(case=case)
    if not include_ended:
        rows = rows.filter(ended_at__isnull=True)
    members = list(rows.order_by("ended_at", "joined_at", "pk"))
    for member in members:
        member.in_force = member.ended_at is None and member_in_force(member, case)
        member.is_lead = member.ended_at is None and member.membership_id == case.lead_id
        member.is_backup = member.ended_at is None and member.membership_id == case.backup_id
        member.category_labels = sources.category_labels(
            [
                c
                for c in sources.purpose_categories(sources.CASE_PURPOSE)
                if c in member.data_categories
            ]
        )
    return members


def member_get_for(*, actor, case: Case, pk) -> CaseMember:
    _access(actor, case)
    member = (
        CaseMember.objects.select_related("membership__user", "organisation")
        .filter(case=case, pk=_int(pk), ended_at__isnull=True)
        .first()
    )
    if member is None:
        raise Http404
    return member


def handovers_for(*, actor, case: Case) -> list[Handover]:
    _access(actor, case)
    return list(
        Handover.objects.filter(case=case).select_related(
            "from_lead__user", "from_lead__organisation", "to_lead__user", "to_lead__organisation"
        )
    )


def handover_get_for(*, actor, case: Case, pk) -> Handover:
    _access(actor, case)
    handover = (
        Handover.objects.select_related("case", "to_lead__user", "from_lead__user", "new_backup")
        .filter(case=case, pk=_int(pk))
        .first()
    )
    if handover is None:
        raise Http404
    handover.case = case
    return handover


# -- timeline ---------------------------------------------------------------------------------

GROUPS = {
    "signals": gettext_lazy("Signalen en screenings"),
    "police": gettext_lazy("Politie en aangifte"),
    "help": gettext_lazy("Hulp, verwijzingen en plaatsingen"),
    "meetings": gettext_lazy("Overleg, besluiten en afspraken"),
    "team": gettext_lazy("Regie en team"),
    "consent": gettext_lazy("Toestemming"),
    "notes": gettext_lazy("Notities"),
}
_KIND_GROUP = {
    Event.Kind.SIGNAL: "signals",
    Event.Kind.POLICE_FIRST_CONTACT: "police",
    Event.Kind.POLICE_INTAKE: "police",
    Event.Kind.POLICE_REPORT: "police",
    Event.Kind.MEETING_PLANNED: "meetings",
    Event.Kind.MEETING_HELD: "meetings",
    Event.Kind.DECISION: "meetings",
    Event.Kind.TASK_DONE: "meetings",
    Event.Kind.NOTE: "notes",
}
for _kind in Event.Kind.values:
    if _kind.startswith(("referral_", "placement_", "crisis_card")) or _kind in (
        Event.Kind.AFTERCARE_PLAN,
        Event.Kind.RESIDENCE,
    ):
        _KIND_GROUP[_kind] = "help"
    _KIND_GROUP.setdefault(_kind, "team")


def kind_group(kind: str) -> str:
    return _KIND_GROUP.get(kind, "team")


@dataclass
class TimelineEntry:
    id: str
    kind: str
    kind_label: str
    group: str
    occurred_on: datetime.date
    recorded_at: datetime.datetime | None = None
    recorded_by: str = ""
    summary: str = ""
    text: str = ""
    source: str = "case"
    event: Event | None = None
    corrects: str = ""
    corrected_by: list[str] = field(default_factory=list)
    warning: str = ""

    @property
    def correctable(self) -> bool:
        return self.event is not None


def _intake_warning(event: Event, lvb_positive: bool) -> str:
    data = event.data or {}
    if (
        event.kind == Event.Kind.POLICE_INTAKE
        and lvb_positive
        and not (data.get("lvb_specialist_present") or data.get("expert_by_experience_present"))
    ):
        return _(
            "Bij deze persoon is een LVB vermoed of vastgesteld, maar er was geen LVB-specialist "
            "of ervaringsdeskundige bij de intake."
        )
    return ""


def timeline_entry(event: Event, lvb_positive: bool) -> TimelineEntry:
    kind = event.kind
    group_kind = event.data.get("corrected_kind", kind) if kind == Event.Kind.CORRECTION else kind
    return TimelineEntry(
        id=f"e{event.pk}",
        kind=kind,
        kind_label=str(event.get_kind_display()),
        group=kind_group(group_kind),
        occurred_on=event.occurred_on,
        recorded_at=event.recorded_at,
        recorded_by=event.recorded_by_label,
        summary=event_summary(kind, event.data),
        text=event.text,
        event=event,
        corrects=f"e{event.corrects_id}" if event.corrects_id else "",
        warning=_intake_warning(event, lvb_positive),
    )


def timeline_for(
    *,
    actor,
    case: Case,
    group: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> list[TimelineEntry]:
    """The timeline, newest first: the case's own events, the consent history recorded by the
    organisations on the case and the person's screenings, each only for members who may see
    that kind of data. `group` and the dates filter."""
    access = _access(actor, case)
    lvb_positive = sources.lvb_positive(sources.lvb_current(case.person))
    entries: list[TimelineEntry] = []
    events = list(Event.objects.filter(case=case).order_by("-occurred_on", "-recorded_at", "-pk"))
    for event in events:
        corrected_kind = event.data.get("corrected_kind", event.kind)
        if not access.sees(event_category(corrected_kind)):
            continue
        entries.append(timeline_entry(event, lvb_positive))
    by_id = {e.id: e for e in entries}
    for entry in entries:
        if entry.corrects and entry.corrects in by_id:
            by_id[entry.corrects].corrected_by.append(entry.id)
    if access.sees(BASE_CATEGORY):
        organisations = set(
            CaseMember.objects.filter(case=case).values_list("organisation_id", flat=True)
        ) | {case.organisation_id}
        for index, change in enumerate(
            sources.consent_changes_of(case.person, organisation_ids=organisations)
        ):
            entries.append(
                TimelineEntry(
                    id=f"consent-{index}",
                    kind="consent",
                    kind_label=_("toestemming %(status)s") % {"status": change.status_label},
                    group="consent",
                    occurred_on=timezone.localtime(change.at).date(),
                    recorded_at=change.at,
                    recorded_by=change.organisation_name,
                    summary=_("%(purposes)s (gegeven door: %(who)s)")
                    % {"purposes": ", ".join(change.purposes), "who": change.given_by_label},
                    source="consent",
                )
            )
    if access.sees(ASSESSMENT_CATEGORY):
        for assessment in sources.assessments_of(case.person):
            entries.append(
                TimelineEntry(
                    id=f"screening-{assessment.public_id}",
                    kind="assessment",
                    kind_label=_("screening"),
                    group="signals",
                    occurred_on=timezone.localtime(assessment.created_at).date(),
                    recorded_at=assessment.created_at,
                    recorded_by=assessment.organisation_name,
                    summary=_("%(title)s: uitkomst %(outcome)s")
                    % {"title": assessment.title, "outcome": assessment.outcome},
                    source="screening",
                )
            )
    if group:
        entries = [e for e in entries if e.group == group]
    if date_from:
        entries = [e for e in entries if e.occurred_on >= date_from]
    if date_to:
        entries = [e for e in entries if e.occurred_on <= date_to]
    epoch = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    entries.sort(key=lambda e: (e.occurred_on, e.recorded_at or epoch), reverse=True)
    return entries


def event_get_for(*, actor, case: Case, pk) -> Event:
    access = _access(actor, case)
    event = Event.objects.filter(case=case, pk=_int(pk)).first()
    if event is None or not access.sees(
        event_category(event.data.get("corrected_kind", event.kind))
    ):
        raise Http404
    return event


# -- help: referrals and placements -----------------------------------------------------------


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


# -- meetings and tasks -----------------------------------------------------------------------


def meetings_for(*, actor, case: Case) -> list[Meeting]:
    _access(actor, case)
    meetings = list(
        Meeting.objects.filter(case=case).prefetch_related("participants__membership__user")
    )
    for meeting in meetings:
        meeting.lvb_present = lvb_expertise_present(meeting, list(meeting.participants.all()))
    return meetings


def meeting_get_for(*, actor, case: Case, pk) -> Meeting:
    _access(actor, case)
    meeting = (
        Meeting.objects.prefetch_related(
            "participants__membership__user", "participants__organisation"
        )
        .filter(case=case, pk=_int(pk))
        .first()
    )
    if meeting is None:
        raise Http404
    meeting.lvb_present = lvb_expertise_present(meeting, list(meeting.participants.all()))
    meeting.decisions = list(
        Event.objects.filter(case=case, meeting=meeting, kind=Event.Kind.DECISION)
    )
    meeting.agreements = list(
        Task.objects.filter(case=case, meeting=meeting).select_related("owner__user")
    )
    return meeting


def tasks_for(*, actor, case: Case, today=None, status: str | None = None) -> list[Task]:
    _access(actor, case)
    today = today or timezone.localdate()
    rows = Task.objects.filter(case=case).select_related(
        "owner__user", "owner__organisation", "meeting"
    )
    if status:
        rows = rows.filter(status=status)
    tasks = list(rows)
    for task in tasks:
        task.overdue = task.status == Task.Status.OPEN and task.due_on < today
    tasks.sort(key=lambda t: (t.status != Task.Status.OPEN, t.due_on, t.pk))
    return tasks


def task_get_for(*, actor, case: Case, pk) -> Task:
    _access(actor, case)
    task = (
        Task.objects.select_related("owner__user", "meeting").filter(case=case, pk=_int(pk)).first()
    )
    if task is None:
        raise Http404
    task.overdue = task.status == Task.Status.OPEN and task.due_on < timezone.localdate()
    return task


# -- aftercare and the crisis card ------------------------------------------------------------


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


# -- figures ----------------------------------------------------------------------------------


@dataclass
class Figures:
    organisations: int
    handovers: int
    first_signal: datetime.date | None
    first_help: datetime.date | None
    days_to_help: int | None
    open_tasks: int
    overdue_tasks: int


def _figures(case: Case, *, today, members, placements, referrals, events, assessments, tasks):
    names = {name.casefold() for name in members}
    names |= {p.casefold() for p in placements if p}
    names |= {r.casefold() for r in referrals if r}
    signals = list(events) + list(assessments)
    first_signal = min(signals) if signals else None
    helps = [d for d in [*placements.values(), *referrals.values()] if d]
    first_help = min(helps) if helps else None
    days = (first_help - first_signal).days if first_signal and first_help else None
    open_tasks = [t for t in tasks if t.status == Task.Status.OPEN]
    return Figures(
        organisations=len(names),
        handovers=case.handovers_accepted,
        first_signal=first_signal,
        first_help=first_help,
        days_to_help=days,
        open_tasks=len(open_tasks),
        overdue_tasks=sum(1 for t in open_tasks if t.due_on < today),
    )


def _figures_for_cases(cases: list[Case], *, today) -> dict[int, Figures]:
    pks = [c.pk for c in cases]
    members: dict[int, set] = {pk: set() for pk in pks}
    for case_id, name in CaseMember.objects.filter(case_id__in=pks).values_list(
        "case_id", "organisation__name"
    ):
        members[case_id].add(name)
    placements: dict[int, dict] = {pk: {} for pk in pks}
    for case_id, name, started in Placement.objects.filter(case_id__in=pks).values_list(
        "case_id", "provider_name", "started_on"
    ):
        placements[case_id][name] = min(started, placements[case_id].get(name, started))
    referrals: dict[int, dict] = {pk: {} for pk in pks}
    for case_id, name, started in Referral.objects.filter(
        case_id__in=pks, started_on__isnull=False
    ).values_list("case_id", "provider_name", "started_on"):
        name = name or _("(onbekende aanbieder)")
        referrals[case_id][name] = min(started, referrals[case_id].get(name, started))
    signals: dict[int, list] = {pk: [] for pk in pks}
    for case_id, day in Event.objects.filter(case_id__in=pks, kind=Event.Kind.SIGNAL).values_list(
        "case_id", "occurred_on"
    ):
        signals[case_id].append(day)
    tasks: dict[int, list] = {pk: [] for pk in pks}
    for task in Task.objects.filter(case_id__in=pks).only("case_id", "status", "due_on"):
        tasks[task.case_id].append(task)
    handovers = dict(
        Handover.objects.filter(case_id__in=pks, status=Handover.Status.ACCEPTED)
        .values("case_id")
        .annotate(n=Count("pk"))
        .values_list("case_id", "n")
    )
    result = {}
    for case in cases:
        case.handovers_accepted = handovers.get(case.pk, 0)
        assessments = [
            timezone.localtime(a.created_at).date() for a in sources.assessments_of(case.person)
        ]
        result[case.pk] = _figures(
            case,
            today=today,
            members=members[case.pk],
            placements=placements[case.pk],
            referrals=referrals[case.pk],
            events=signals[case.pk],
            assessments=assessments,
            tasks=tasks[case.pk],
        )
    return result


def case_figures(*, actor, case: Case, today=None) -> Figures:
    """Figures of one case: organisations involved (members ever, and providers of help that
    started), lead handovers, days from the first signal to the first help, open tasks."""
    _access(actor, case)
    return _figures_for_cases([case], today=today or timezone.localdate())[case.pk]


@dataclass
class OrganisationFigures:
    cases_open: int
    cases_closed: int
    organisations_mean: float | None
    handovers_total: int
    days_to_help_median: float | None
    days_to_help_known: int
    open_tasks: int
    overdue_tasks: int
    cases_without_help: int


def organisation_figures_for(*, actor: Membership | None, today=None) -> OrganisationFigures:
    """Totals over the cases held by the actor's organisation, for its managers. No personal
    data: counts, a mean and a median."""
    if not can(actor, "case.figures"):
        raise Http404
    today = today or timezone.localdate()
    cases = list(
        Case.objects.filter(organisation_id=actor.organisation_id).select_related("person")
    )
    figures = _figures_for_cases(cases, today=today).values()
    days = [f.days_to_help for f in figures if f.days_to_help is not None]
    return OrganisationFigures(
        cases_open=sum(1 for c in cases if c.status == Case.Status.OPEN),
        cases_closed=sum(1 for c in cases if c.status == Case.Status.CLOSED),
        organisations_mean=(
            round(statistics.mean(f.organisations for f in figures), 1) if cases else None
        ),
        handovers_total=sum(f.handovers for f in figures),
        days_to_help_median=statistics.median(days) if days else None,
        days_to_help_known=len(days),
        open_tasks=sum(f.open_tasks for f in figures),
        overdue_tasks=sum(f.overdue_tasks for f in figures),
        cases_without_help=sum(1 for f in figures if f.first_help is None),
    )


# -- the overview for the person --------------------------------------------------------------


def easy_read_for(*, actor, case: Case, today=None) -> dict:
    """What the easy-read page shows: who helps, what happens next, who to call."""
    access = _access(actor, case)
    today = today or timezone.localdate()
    helpers = [
        m
        for m in _member_rows()
        .select_related("membership__user", "organisation")
        .filter(case=case, ended_at__isnull=True)
        if m.membership_id not in (case.lead_id, case.backup_id)
    ]
    meetings = list(
        Meeting.objects.filter(case=case, status=Meeting.Status.PLANNED, date__gte=today).order_by(
            "date"
        )[:3]
    )
    help_now, waiting = [], []
    if access.sees("hulpverlening"):
        for referral in Referral.objects.filter(
            case=case,
            status__in=[
                Referral.Status.REQUESTED,
                Referral.Status.ACCEPTED,
                Referral.Status.STARTED,
            ],
        ):
            name = referral.provider_name or referral.offer_name
            (help_now if referral.status == Referral.Status.STARTED else waiting).append(name)
        for placement in Placement.objects.filter(case=case, ended_on__isnull=True):
            if placement.provider_name not in help_now:
                help_now.append(placement.provider_name)
    card = CrisisCard.objects.filter(case=case, agreed_by_person=True).first()
    return {
        "first_name": case.person.given_names.split(" ")[0] if access.sees_identity else "",
        "lead": case.lead,
        "backup": case.backup,
        "helpers": helpers,
        "meetings": meetings,
        "help_now": help_now,
        "waiting": waiting,
        "card": card if access.sees("hulpverlening") else None,
    }


def open_handover(case: Case) -> Handover | None:
    return (
        Handover.objects.filter(case=case, status=Handover.Status.OFFERED)
        .select_related("to_lead__user", "to_lead__organisation", "new_backup__user")
        .first()
    )


def police_organisations():
    """Organisations a crisis card can be shared with (a queryset, for a choice field)."""
    return Organisation.objects.filter(is_active=True, domain=Organisation.Domain.POLITIE).order_by(
        "name"
    )


def organisations_for_members():
    """Organisations whose professionals can join a case (a queryset, for a choice field)."""
    return Organisation.objects.filter(is_active=True).order_by("name")


def any_open_tasks(case: Case) -> bool:
    return Task.objects.filter(case=case, status=Task.Status.OPEN).exists()
