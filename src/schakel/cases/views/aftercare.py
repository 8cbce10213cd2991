"""The aftercare plan."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from schakel.core.forms import apply_errors

from .. import forms as case_forms
from .. import selectors, services
from ..display import task_title
from ..models import Task
from ..rules import case_rules
from ._common import _case, _conflict, _page


@login_required
@require_http_methods(["GET", "POST"])
def aftercare(request, public_id):
    case = _case(request, public_id)
    actor = request.actor
    plan = selectors.aftercare_for(actor=actor, case=case)
    manage = case.access.can_manage
    stored, status = [], 200
    form = None
    if manage:
        if request.method == "POST":
            form = case_forms.AftercareForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    plan = services.aftercare_plan_save(
                        actor=actor,
                        case=case,
                        expected_version=data["version"],
                        domains=form.domain_values(),
                        coach_kind=data["coach_kind"],
                        coach_name=data["coach_name"],
                        coach_contact=data["coach_contact"],
                        notes=data["notes"],
                    )
                except services.StaleEdit as conflict:
                    form, stored = _conflict(request, case_forms.AftercareForm, conflict)
                    status = 409
                except ValidationError as error:
                    apply_errors(form, error)
                    status = 400
                else:
                    messages.success(request, _("Het nazorgplan is opgeslagen."))
                    return redirect("cases:aftercare", public_id=case.public_id)
            else:
                status = 400
        else:
            form = case_forms.AftercareForm(initial=case_forms.AftercareForm.initial_from(plan))
    elif request.method == "POST":
        raise PermissionDenied("case.manage")
    follow_ups = [
        t for t in selectors.tasks_for(actor=actor, case=case) if t.kind == Task.Kind.AFTERCARE
    ]
    for task in follow_ups:
        task.display_title = task_title(task)
    domains = []
    for domain in case_rules().aftercare_domains:
        entry = (plan.domains or {}).get(domain.key, {}) if plan else {}
        domains.append((domain, entry.get("situation", ""), entry.get("goal", "")))
    context = {
        "plan": plan,
        "form": form,
        "stored": stored,
        "domains": domains,
        "follow_ups": follow_ups,
        "months": case_rules().follow_up_months,
    }
    return _page(request, "cases/aftercare.html", case, "aftercare", context, status)
