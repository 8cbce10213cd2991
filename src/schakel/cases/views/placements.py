"""Placements: record one, end it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from schakel.core.forms import apply_errors

from .. import forms as case_forms
from .. import selectors, services
from ._common import _case, _conflict, _manage, _page


@login_required
@require_http_methods(["GET", "POST"])
def placement_create(request, public_id):
    case = _case(request, public_id)
    _manage(case)
    status = 200
    if request.method == "POST":
        form = case_forms.PlacementForm(request.POST)
        if form.is_valid():
            referral = None
            if request.POST.get("referral"):
                referral = selectors.referral_get_for(
                    actor=request.actor, case=case, pk=request.POST["referral"]
                )
            try:
                services.placement_create(
                    actor=request.actor, case=case, referral=referral, **form.cleaned_data
                )
            except ValidationError as error:
                apply_errors(form, error)
                status = 400
            else:
                messages.success(request, _("De plaatsing is vastgelegd."))
                return redirect("cases:help", public_id=case.public_id)
        else:
            status = 400
    else:
        form = case_forms.PlacementForm(initial={"started_on": timezone.localdate()})
    context = {"form": form, "title": _("Plaatsing vastleggen")}
    return _page(request, "cases/simple_form.html", case, "help", context, status)


@login_required
@require_http_methods(["GET", "POST"])
def placement_detail(request, public_id, pk):
    case = _case(request, public_id)
    placement = selectors.placement_get_for(actor=request.actor, case=case, pk=pk)
    stored, status = [], 200
    form = None
    if placement.ended_on is None and case.access.can_manage:
        if request.method == "POST":
            form = case_forms.PlacementEndForm(request.POST)
            if form.is_valid():
                try:
                    services.placement_end(
                        actor=request.actor,
                        case=case,
                        placement=placement,
                        expected_version=form.cleaned_data["version"],
                        ended_on=form.cleaned_data["ended_on"],
                        reason=form.cleaned_data["end_reason"],
                    )
                except services.StaleEdit as conflict:
                    form, stored = _conflict(request, case_forms.PlacementEndForm, conflict)
                    status = 409
                except ValidationError as error:
                    apply_errors(form, error)
                    status = 400
                else:
                    messages.success(
                        request,
                        _("De plaatsing is gestopt. De casus en de regie lopen gewoon door."),
                    )
                    return redirect("cases:help", public_id=case.public_id)
            else:
                status = 400
        else:
            form = case_forms.PlacementEndForm(
                initial={"version": placement.version, "ended_on": timezone.localdate()}
            )
    elif request.method == "POST":
        raise PermissionDenied("case.manage")
    context = {"placement": placement, "form": form, "stored": stored}
    return _page(request, "cases/placement.html", case, "help", context, status)
