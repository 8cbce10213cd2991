"""The timeline: read (filtered), record an event, correct one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from schakel.core.forms import apply_errors

from .. import forms as case_forms
from .. import selectors, services
from ._common import _case, _page, _url


@login_required
@require_http_methods(["GET", "POST"])
def timeline(request, public_id):
    case = _case(request, public_id)
    actor = request.actor
    groups = list(selectors.GROUPS.items())
    filters = case_forms.TimelineFilterForm(request.GET or None, groups=groups)
    criteria = {}
    if filters.is_bound and filters.is_valid():
        criteria = {
            "group": filters.cleaned_data["group"],
            "date_from": filters.cleaned_data["date_from"],
            "date_to": filters.cleaned_data["date_to"],
        }
    status = 200 if not filters.errors else 400
    if request.method == "POST":
        form = case_forms.EventForm(request.POST, access=case.access)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.event_record(
                    actor=actor,
                    case=case,
                    kind=data["kind"],
                    occurred_on=data["occurred_on"],
                    text=data["text"],
                    domain=data["domain"],
                    forms=data["exploitation"],
                    lvb_specialist_present=data["lvb_specialist_present"],
                    expert_by_experience_present=data["expert_by_experience_present"],
                    care_present=data["care_present"],
                )
            except ValidationError as error:
                apply_errors(form, error)
                status = 400
            else:
                messages.success(request, _("Toegevoegd aan de tijdlijn."))
                return redirect(_url("timeline", case) + "#tijdlijn")
        else:
            status = 400
    else:
        form = case_forms.EventForm(
            initial={"occurred_on": timezone.localdate()}, access=case.access
        )
    entries = selectors.timeline_for(actor=actor, case=case, **criteria)
    context = {"entries": entries, "filters": filters, "form": form, "groups": dict(groups)}
    return _page(request, "cases/timeline.html", case, "timeline", context, status)


@login_required
@require_http_methods(["GET", "POST"])
def event_correct(request, public_id, pk):
    case = _case(request, public_id)
    event = selectors.event_get_for(actor=request.actor, case=case, pk=pk)
    status = 200
    if request.method == "POST":
        form = case_forms.CorrectionForm(request.POST)
        if form.is_valid():
            try:
                services.event_correct(
                    actor=request.actor,
                    case=case,
                    event=event,
                    text=form.cleaned_data["text"],
                    occurred_on=form.cleaned_data["occurred_on"],
                )
            except ValidationError as error:
                apply_errors(form, error)
                status = 400
            else:
                messages.success(request, _("De correctie staat op de tijdlijn."))
                return redirect(_url("timeline", case) + "#tijdlijn")
        else:
            status = 400
    else:
        form = case_forms.CorrectionForm(initial={"occurred_on": event.occurred_on})
    entry = selectors.timeline_entry(event, False)
    context = {"form": form, "entry": entry}
    return _page(request, "cases/correction.html", case, "timeline", context, status)
