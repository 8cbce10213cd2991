"""Tasks: agreements with an owner and a due date, and the tasks the system makes itself
(the 18th birthday; the daily job).
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from schakel.accounts.models import Membership
from schakel.core.dates import add_months
from schakel.core.validation import clean_date, clean_text, raise_if

from ..display import task_title
from ..models import Case, CaseMember, Event, Meeting, Task
from ..rules import case_rules
from ._common import SHORT_MAX, _access, _event, _locked, _log, _manager, _system_task, _today


def task_create(
    *,
    actor: Membership,
    case: Case,
    title: str,
    owner: Membership | None,
    due_on,
    description: str = "",
    meeting: Meeting | None = None,
) -> Task:
    """Make an agreement a task with an owner and a due date (lead or backup)."""
    _manager(actor, case)
    errors: dict = {}
    title = clean_text(title, errors, "title", required=True, limit=SHORT_MAX)
    description = clean_text(description, errors, "description")
    due = clean_date(due_on, errors, "due_on", required=True)
    if (
        owner is None
        or not CaseMember.objects.filter(
            case=case, membership=owner, ended_at__isnull=True
        ).exists()
    ):
        errors["owner"] = _("Kies een lid van de casus.")
    if meeting is not None and meeting.case_id != case.pk:
        errors["meeting"] = _("Dit overleg hoort niet bij deze casus.")
    raise_if(errors)
    with transaction.atomic():
        task = Task.objects.create(
            case=case,
            meeting=meeting,
            kind=Task.Kind.AGREEMENT,
            title=title,
            description=description,
            owner=owner,
            due_on=due,
            created_by=actor,
        )
        _log(actor, case, "update")
    return task


def task_update(
    *,
    actor: Membership,
    case: Case,
    task: Task,
    expected_version,
    status: str | None = None,
    checklist: dict | None = None,
    due_on=None,
    owner: Membership | None = None,
    today=None,
) -> Task:
    """The owner, the lead or the backup updates a task: status and checklist; the lead or the
    backup also the due date and the owner."""
    access = _access(actor, case)
    if task.case_id != case.pk:
        raise Http404
    is_owner = task.owner_id == actor.pk
    if not (access.can_manage or is_owner):
        raise PermissionDenied("case.task")
    if (due_on is not None or owner is not None) and not access.can_manage:
        raise PermissionDenied("case.manage")
    today = _today(today)
    errors: dict = {}
    if status is not None and status not in Task.Status.values:
        errors["status"] = _("Kies een status.")
    due = clean_date(due_on, errors, "due_on") if due_on is not None else None
    if (
        owner is not None
        and not CaseMember.objects.filter(
            case=case, membership=owner, ended_at__isnull=True
        ).exists()
    ):
        errors["owner"] = _("Kies een lid van de casus.")
    known = set(task.checklist or {})
    if checklist is not None and not set(checklist) <= known:
        errors["checklist"] = _("Kies alleen punten van de lijst.")
    raise_if(errors)
    with transaction.atomic():
        current = _locked(Task, task.pk, expected_version)
        became_done = status == Task.Status.DONE and current.status != Task.Status.DONE
        if status is not None:
            current.status = status
            current.done_on = today if status == Task.Status.DONE else None
            current.done_by = actor if status == Task.Status.DONE else None
        if checklist is not None:
            current.checklist = {k: bool(checklist.get(k, False)) for k in current.checklist}
        if due is not None:
            current.due_on = due
        if owner is not None:
            current.owner = owner
        current.version += 1
        current.save()
        if became_done:
            _event(
                case,
                Event.Kind.TASK_DONE,
                actor,
                occurred_on=today,
                data={"title": task_title(current)},
                meeting=current.meeting,
            )
        _log(actor, case, "update")
    return current


def transition_tasks_create(case: Case, *, today=None) -> list[Task]:
    """The 18th-birthday tasks that are due for this case on `today` (made once each).

    At 17 years and 6 months, and again at 17 years and 11 months, the lead gets a task with
    the transition checklist. Nothing else happens: the case, the lead and the members stay.
    """
    today = _today(today)
    dob = case.person.date_of_birth
    if dob is None:
        return []
    eighteen = add_months(dob, 216)
    if today >= eighteen:
        return []
    rules = case_rules()
    made = []
    for stage in rules.stages:
        if today < add_months(dob, stage.at_months):
            continue
        task = _system_task(
            case,
            kind=Task.Kind.TRANSITION,
            key=f"transition:{stage.key}",
            owner=case.lead,
            due_on=add_months(dob, stage.due_at_months),
            params={"stage": stage.key, "birthday": eighteen.isoformat()},
            checklist=dict.fromkeys(rules.transition_keys(), False),
        )
        if task is not None:
            made.append(task)
    return made


def case_tasks_due_create(*, today=None) -> int:
    """The daily job: the 18th-birthday tasks for open cases and for cases in aftercare (closed
    less than a year ago). Returns how many tasks were made. Changes nothing else."""
    today = _today(today)
    recent = add_months(today, -12)
    cases = (
        Case.objects.filter(Q(status=Case.Status.OPEN) | Q(closed_on__gte=recent))
        .select_related("person", "lead")
        .order_by("pk")
    )
    made = 0
    for case in cases.iterator(chunk_size=500):
        with transaction.atomic():
            tasks = transition_tasks_create(case, today=today)
            if tasks:
                _log(None, case, "create")
        made += len(tasks)
    return made
