"""Cases: the list, one case, the start page, and small lookups for forms."""

from django.http import Http404
from django.utils import timezone

from schakel.accounts.models import Membership, Organisation
from schakel.accounts.permissions import can
from schakel.ids import public_id_or_404

from .. import sources
from ..access import _member_rows, access_for, access_from_member, lead_can_act
from ..models import Case, Handover, Task
from ._common import _access, _case_rows, _log_reads


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


def lvb_for(*, actor, case: Case) -> dict:
    """The LVB indication as the case shows it: `positive` for everyone on the case (they all
    get the communication guidance), the status and the source only with "lvb-indicatie"."""
    access = _access(actor, case)
    indication = sources.lvb_current(case.person)
    return {
        "positive": sources.lvb_positive(indication),
        "indication": indication if access.sees("lvb-indicatie") else None,
    }


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
