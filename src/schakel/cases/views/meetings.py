"""Case meetings: plan, change, minutes, decisions and tasks from the meeting."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from schakel.core.forms import apply_errors

from .. import forms as case_forms
from .. import selectors, services
from ..display import task_title
from ..models import Meeting
from ._common import _active_members, _case, _conflict, _manage, _page, _url


@login_required
@require_GET
def meetings(request, public_id):
    case = _case(request, public_id)
    context = {"meetings": selectors.meetings_for(actor=request.actor, case=case)}
    return _page(request, "cases/meetings.html", case, "meetings", context)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request, public_id):
    case = _case(request, public_id)
    _manage(case)
    members = _active_members(request, case)
    status = 200
    if request.method == "POST":
        form = case_forms.MeetingForm(request.POST, members=members)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("participants")
            try:
                meeting = services.meeting_create(
                    actor=request.actor, case=case, participants=form.chosen_members(), **data
                )
            except ValidationError as error:
                apply_errors(form, error)
                status = 400
            else:
                messages.success(request, _("Het overleg is gepland."))
                return redirect("cases:meeting", public_id=case.public_id, pk=meeting.pk)
        else:
            status = 400
    else:
        form = case_forms.MeetingForm(
            initial={
                "kind": Meeting.Kind.REGIETAFEL,
                "participants": [str(m.pk) for m in members],
            },
            members=members,
        )
    context = {"form": form, "lvb_positive": selectors.lvb_for(actor=request.actor, case=case)}
    return _page(request, "cases/meeting_form.html", case, "meetings", context, status)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_detail(request, public_id, pk):
    case = _case(request, public_id)
    actor = request.actor
    meeting = selectors.meeting_get_for(actor=actor, case=case, pk=pk)
    members = _active_members(request, case)
    manage = case.access.can_manage
    status, stored = 200, []
    edit_form = decision_form = task_form = None
    if manage:
        edit_form = case_forms.MeetingEditForm(
            initial={
                "version": meeting.version,
                "kind": meeting.kind,
                "date": meeting.date,
                "time": meeting.time,
                "agenda": meeting.agenda,
                "participants": [str(m.pk) for m in meeting.participants.all()],
                "other_participants": meeting.other_participants,
                "person_present": meeting.person_present,
                "external_lvb_expert": meeting.external_lvb_expert,
                "status": meeting.status,
                "minutes": meeting.minutes,
            },
            members=members,
        )
        decision_form = case_forms.DecisionForm()
        task_form = case_forms.TaskForm(members=members, prefix="taak")
    if request.method == "POST":
        if not manage:
            raise PermissionDenied("case.manage")
        what = request.POST.get("what")
        if what == "meeting":
            edit_form = case_forms.MeetingEditForm(request.POST, members=members)
            if edit_form.is_valid():
                data = dict(edit_form.cleaned_data)
                data.pop("participants")
                version = data.pop("version")
                try:
                    services.meeting_update(
                        actor=actor,
                        case=case,
                        meeting=meeting,
                        expected_version=version,
                        participants=edit_form.chosen_members(),
                        **data,
                    )
                except services.StaleEdit as conflict:
                    edit_form, stored = _conflict(
                        request, case_forms.MeetingEditForm, conflict, members=members
                    )
                    status = 409
                except ValidationError as error:
                    apply_errors(edit_form, error)
                    status = 400
                else:
                    messages.success(request, _("Het overleg is bijgewerkt."))
                    return redirect("cases:meeting", public_id=case.public_id, pk=meeting.pk)
            else:
                status = 400
        elif what == "decision":
            decision_form = case_forms.DecisionForm(request.POST)
            decision_form.is_valid()
            try:
                services.event_record(
                    actor=actor,
                    case=case,
                    kind="decision",
                    occurred_on=min(meeting.date, timezone.localdate()),
                    text=decision_form.cleaned_data.get("text", ""),
                    meeting=meeting,
                )
            except ValidationError as error:
                apply_errors(decision_form, error)
                status = 400
            else:
                messages.success(request, _("Het besluit staat op de tijdlijn."))
                return redirect(_url("meeting", case, pk=meeting.pk) + "#besluiten")
        elif what == "task":
            task_form = case_forms.TaskForm(request.POST, members=members, prefix="taak")
            if task_form.is_valid():
                data = task_form.cleaned_data
                try:
                    services.task_create(
                        actor=actor,
                        case=case,
                        title=data["title"],
                        owner=task_form.chosen_owner(),
                        due_on=data["due_on"],
                        description=data["description"],
                        meeting=meeting,
                    )
                except ValidationError as error:
                    apply_errors(task_form, error)
                    status = 400
                else:
                    messages.success(request, _("De afspraak is een taak geworden."))
                    return redirect(_url("meeting", case, pk=meeting.pk) + "#afspraken")
            else:
                status = 400
        else:
            raise Http404
        meeting = selectors.meeting_get_for(actor=actor, case=case, pk=pk)
    for task in meeting.agreements:
        task.display_title = task_title(task)
    context = {
        "meeting": meeting,
        "edit_form": edit_form,
        "decision_form": decision_form,
        "task_form": task_form,
        "stored": stored,
    }
    return _page(request, "cases/meeting.html", case, "meetings", context, status)
