"""Meetings (with the LVB check) and tasks."""

from django.http import Http404
from django.utils import timezone

from ..display import lvb_expertise_present
from ..models import Case, Event, Meeting, Task
from ._common import _access, _int


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
