"""Tasks of a case."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from schakel.core.forms import apply_errors

from .. import forms as case_forms
from .. import selectors, services
from ..display import task_title
from ..models import Task
from ._common import _active_members, _case, _conflict, _manage, _page


@login_required
@require_GET
def tasks(request, public_id):
    case = _case(request, public_id)
    items = selectors.tasks_for(actor=request.actor, case=case)
    for task in items:
        task.display_title = task_title(task)
    context = {
        "open_tasks": [t for t in items if t.status == Task.Status.OPEN],
        "closed_tasks": [t for t in items if t.status != Task.Status.OPEN],
    }
    return _page(request, "cases/tasks.html", case, "tasks", context)


@login_required
@require_http_methods(["GET", "POST"])
def task_create(request, public_id):
    case = _case(request, public_id)
    _manage(case)
    members = _active_members(request, case)
    status = 200
    if request.method == "POST":
        form = case_forms.TaskForm(request.POST, members=members)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.task_create(
                    actor=request.actor,
                    case=case,
                    title=data["title"],
                    owner=form.chosen_owner(),
                    due_on=data["due_on"],
                    description=data["description"],
                )
            except ValidationError as error:
                apply_errors(form, error)
                status = 400
            else:
                messages.success(request, _("De taak is gemaakt."))
                return redirect("cases:tasks", public_id=case.public_id)
        else:
            status = 400
    else:
        form = case_forms.TaskForm(members=members)
    context = {"form": form, "title": _("Taak maken")}
    return _page(request, "cases/simple_form.html", case, "tasks", context, status)


@login_required
@require_http_methods(["GET", "POST"])
def task_detail(request, public_id, pk):
    case = _case(request, public_id)
    task = selectors.task_get_for(actor=request.actor, case=case, pk=pk)
    task.display_title = task_title(task)
    may_update = case.access.can_manage or task.owner_id == request.actor.pk
    stored, status = [], 200
    form = None
    if may_update:
        if request.method == "POST":
            form = case_forms.TaskUpdateForm(request.POST, task=task)
            if form.is_valid():
                data = form.cleaned_data
                checklist = None
                if "checklist" in form.fields:
                    checklist = {key: key in data["checklist"] for key in task.checklist}
                try:
                    services.task_update(
                        actor=request.actor,
                        case=case,
                        task=task,
                        expected_version=data["version"],
                        status=data["status"],
                        checklist=checklist,
                    )
                except services.StaleEdit as conflict:
                    form, stored = _conflict(
                        request, case_forms.TaskUpdateForm, conflict, task=task
                    )
                    if conflict.current is not None:
                        done = [k for k, v in conflict.current.checklist.items() if v]
                        stored.append((_("Afgevinkt"), ", ".join(done) or "–"))
                    status = 409
                except ValidationError as error:
                    apply_errors(form, error)
                    status = 400
                else:
                    messages.success(request, _("De taak is bijgewerkt."))
                    return redirect("cases:tasks", public_id=case.public_id)
            else:
                status = 400
        else:
            form = case_forms.TaskUpdateForm(
                initial={
                    "version": task.version,
                    "status": task.status,
                    "checklist": [k for k, v in (task.checklist or {}).items() if v],
                },
                task=task,
            )
    elif request.method == "POST":
        raise PermissionDenied("case.task")
    context = {"task": task, "form": form, "stored": stored}
    return _page(request, "cases/task.html", case, "tasks", context, status)
