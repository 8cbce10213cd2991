"""The start page, a new case, the case itself (change, close, reopen, residence), figures."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from schakel.accounts.models import Membership
from schakel.accounts.permissions import can
from schakel.core.forms import apply_errors

from .. import forms as case_forms
from .. import selectors, services, sources
from ..access import lead_can_act
from ..display import task_title
from ..models import Case, Task
from ._common import _actor, _case, _conflict, _manage, _page


@login_required
@require_GET
def index(request):
    actor = request.actor
    if not can(actor, "case.view"):
        if can(actor, "case.figures"):
            return redirect("cases:figures")
        raise Http404
    status = request.GET.get("status", "open")
    if status not in ("open", "closed", "all"):
        status = "open"
    cases = selectors.case_list_for(actor=actor)
    tasks = selectors.my_tasks_for(actor=actor, cases=cases)
    for task in tasks:
        task.display_title = task_title(task)
    shown = cases if status == "all" else [c for c in cases if c.status == status]
    context = {
        "cases": shown,
        "status": status,
        "counts": {
            "open": sum(1 for c in cases if c.status == Case.Status.OPEN),
            "closed": sum(1 for c in cases if c.status == Case.Status.CLOSED),
            "all": len(cases),
        },
        "tasks": tasks,
        "overdue": sum(1 for t in tasks if t.overdue),
        "handovers": selectors.handovers_offered_to(actor=actor),
        "stand_in": selectors.stand_in_cases(cases),
        "can_create": can(actor, "case.create"),
        "is_police": actor.organisation.domain == "politie",
    }
    return render(request, "cases/index.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def case_create(request):
    from schakel.people.selectors import person_get_for, person_list_for

    actor = _actor(request)
    if not can(actor, "case.create"):
        raise PermissionDenied("case.create")
    persons = list(person_list_for(actor=actor, per_page=100).object_list)
    chosen = request.GET.get("persoon")
    if chosen and chosen not in {str(p.public_id) for p in persons}:
        persons.insert(0, person_get_for(actor=actor, public_id=chosen))
    colleagues = [
        m
        for m in Membership.objects.filter(
            organisation=actor.organisation, is_active=True, user__is_active=True
        )
        .exclude(pk=actor.pk)
        .select_related("user", "organisation")
        if can(m, "case.view")
    ]
    kwargs = {"persons": persons, "colleagues": colleagues}
    if request.method == "POST":
        form = case_forms.CaseCreateForm(request.POST, **kwargs)
        if form.is_valid():
            data = form.cleaned_data
            person = next(p for p in persons if str(p.public_id) == data["person"])
            try:
                case = services.case_create(
                    actor=actor,
                    person=person,
                    involvement=data["involvement"],
                    backup=form.colleagues.get(data["backup"]),
                    forms=data["exploitation"],
                    help_question=data["help_question"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("De casus is gestart. U bent de regiehouder."))
                return redirect("cases:detail", public_id=case.public_id)
    else:
        form = case_forms.CaseCreateForm(initial={"person": chosen or ""}, **kwargs)
    status = 400 if form.errors else 200
    return render(request, "cases/case_form.html", {"form": form}, status=status)


@login_required
@require_GET
def organisation_figures(request):
    figures = selectors.organisation_figures_for(actor=request.actor)
    return render(request, "cases/figures.html", {"figures": figures})


@login_required
@require_GET
def case_detail(request, public_id):
    case = _case(request, public_id)
    actor = request.actor
    tasks = [t for t in selectors.tasks_for(actor=actor, case=case) if t.status == Task.Status.OPEN]
    for task in tasks:
        task.display_title = task_title(task)
    context = {
        "figures": selectors.case_figures(actor=actor, case=case),
        "tasks": tasks[:5],
        "forms_labels": [str(dict(sources.form_choices()).get(f, f)) for f in case.forms],
        "can_lead": case.access.is_lead or (case.access.is_backup and not lead_can_act(case)),
    }
    return _page(request, "cases/detail.html", case, "detail", context)


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request, public_id):
    case = _case(request, public_id)
    _manage(case)
    stored, status = [], 200
    if request.method == "POST":
        form = case_forms.CaseEditForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.case_update(
                    actor=request.actor,
                    case=case,
                    expected_version=data["version"],
                    involvement=data["involvement"],
                    forms=data["exploitation"],
                    help_question=data["help_question"],
                )
            except services.StaleEdit as conflict:
                form, stored = _conflict(request, case_forms.CaseEditForm, conflict)
                status = 409
            except ValidationError as error:
                apply_errors(form, error)
                status = 400
            else:
                messages.success(request, _("De casus is bijgewerkt."))
                return redirect("cases:detail", public_id=case.public_id)
        else:
            status = 400
    else:
        form = case_forms.CaseEditForm(
            initial={
                "version": case.version,
                "involvement": case.involvement,
                "exploitation": case.forms,
                "help_question": case.help_question,
            }
        )
    context = {"form": form, "stored": stored, "title": _("Casus wijzigen")}
    return _page(request, "cases/simple_form.html", case, "detail", context, status)


def _reason_page(request, public_id, *, closing: bool):
    case = _case(request, public_id)
    if not (case.access.is_lead or (case.access.is_backup and not lead_can_act(case))):
        raise PermissionDenied("case.lead")
    form_class = case_forms.CaseCloseForm if closing else case_forms.ReasonForm
    stored, status = [], 200
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if closing:
                    services.case_close(
                        actor=request.actor,
                        case=case,
                        expected_version=data["version"],
                        closed_on=data["closed_on"],
                        reason=data["reason"],
                        no_aftercare_reason=data["no_aftercare_reason"],
                    )
                else:
                    services.case_reopen(
                        actor=request.actor,
                        case=case,
                        expected_version=data["version"],
                        reason=data["reason"],
                    )
            except services.StaleEdit as conflict:
                form, stored = _conflict(request, form_class, conflict)
                status = 409
            except ValidationError as error:
                apply_errors(form, error)
                status = 400
            else:
                messages.success(
                    request,
                    _("De casus is afgesloten. De nazorgmomenten staan bij de taken.")
                    if closing
                    else _("De casus loopt weer."),
                )
                return redirect("cases:detail", public_id=case.public_id)
        else:
            status = 400
    else:
        initial = {"version": case.version}
        if closing:
            initial["closed_on"] = timezone.localdate()
        form = form_class(initial=initial)
    has_plan = hasattr(case, "aftercare") and case.aftercare is not None
    context = {
        "form": form,
        "stored": stored,
        "closing": closing,
        "has_plan": has_plan,
        "title": _("Casus afsluiten") if closing else _("Casus weer openen"),
    }
    return _page(request, "cases/close.html", case, "detail", context, status)


@login_required
@require_http_methods(["GET", "POST"])
def case_close(request, public_id):
    return _reason_page(request, public_id, closing=True)


@login_required
@require_http_methods(["GET", "POST"])
def case_reopen(request, public_id):
    return _reason_page(request, public_id, closing=False)


@login_required
@require_http_methods(["GET", "POST"])
def residence(request, public_id):
    case = _case(request, public_id)
    _manage(case)
    stored, status = [], 200
    if request.method == "POST":
        form = case_forms.ResidenceForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.residence_update(
                    actor=request.actor, case=case, expected_version=version, **data
                )
            except services.StaleEdit as conflict:
                form, stored = _conflict(request, case_forms.ResidenceForm, conflict)
                status = 409
            except ValidationError as error:
                apply_errors(form, error)
                status = 400
            else:
                messages.success(request, _("Het verblijf is bijgewerkt."))
                return redirect("cases:detail", public_id=case.public_id)
        else:
            status = 400
    else:
        form = case_forms.ResidenceForm(
            initial={
                "version": case.version,
                **{name: getattr(case, name) for name in services.RESIDENCE_FIELDS},
            }
        )
    context = {
        "form": form,
        "stored": stored,
        "title": _("Verblijf van een buitenlands slachtoffer"),
        "intro": _(
            "De bedenktijd duurt hoogstens 3 maanden. In die tijd beslist de persoon of hij of "
            "zij aangifte doet of meewerkt. Schakel zet twee weken voor het einde een taak klaar "
            "voor de regiehouder."
        ),
    }
    return _page(request, "cases/simple_form.html", case, "detail", context, status)
