"""Figures of one case and totals over an organisation's cases (no personal data)."""

import datetime
import statistics
from dataclasses import dataclass

from django.db.models import Count
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.accounts.models import Membership
from schakel.accounts.permissions import can

from .. import sources
from ..models import (
    Case,
    CaseMember,
    Event,
    Handover,
    Placement,
    Referral,
    Task,
)
from ._common import _access


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
