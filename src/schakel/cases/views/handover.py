"""Handing over the lead: offer it; accept, decline or withdraw the offer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from schakel.core.forms import apply_errors

from .. import forms as case_forms
from .. import selectors, services, sources
from ..access import lead_can_act
from ..models import Handover
from ._common import _case, _page, _refusal


@login_required
@require_http_methods(["GET", "POST"])
def handover_offer(request, public_id):
    case = _case(request, public_id)
    if not (case.access.is_lead or (case.access.is_backup and not lead_can_act(case))):
        raise PermissionDenied("case.lead")
    members = [
        m
        for m in selectors.members_for(actor=request.actor, case=case)
        if m.membership_id != case.lead_id
    ]
    refusal, status = None, 200
    if request.method == "POST":
        form = case_forms.HandoverOfferForm(request.POST, members=members)
        if form.is_valid():
            try:
                services.handover_offer(
                    actor=request.actor,
                    case=case,
                    to_member=form.member("to_member"),
                    new_backup=form.member("new_backup"),
                    message=form.cleaned_data["message"],
                )
            except sources.sharing_not_allowed() as error:
                refusal, status = _refusal(error), 403
            except ValidationError as error:
                apply_errors(form, error)
                status = 400
            else:
                messages.success(
                    request,
                    _(
                        "De overdracht is aangeboden. U blijft regiehouder tot de ander de "
                        "overdracht aanvaardt."
                    ),
                )
                return redirect("cases:team", public_id=case.public_id)
        else:
            status = 400
    else:
        form = case_forms.HandoverOfferForm(members=members)
    context = {"form": form, "refusal": refusal, "title": _("Regie overdragen")}
    return _page(request, "cases/handover_offer.html", case, "team", context, status)


@login_required
@require_http_methods(["GET", "POST"])
def handover_detail(request, public_id, pk):
    case = _case(request, public_id)
    actor = request.actor
    handover = selectors.handover_get_for(actor=actor, case=case, pk=pk)
    accept_form = case_forms.HandoverAcceptForm()
    decline_form = case_forms.HandoverDeclineForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "accept":
                accept_form = case_forms.HandoverAcceptForm(request.POST)
                accept_form.is_valid()
                data = accept_form.cleaned_data
                services.handover_accept(
                    actor=actor,
                    handover=handover,
                    talked_with_person=data.get("talked_with_person", False),
                    history_read=data.get("history_read", False),
                    appointments_moved=data.get("appointments_moved", False),
                    note=data.get("note", ""),
                )
                messages.success(request, _("U bent nu de regiehouder van deze casus."))
            elif action == "decline":
                decline_form = case_forms.HandoverDeclineForm(request.POST)
                decline_form.is_valid()
                services.handover_decline(
                    actor=actor, handover=handover, reason=decline_form.cleaned_data.get("reason")
                )
                messages.success(request, _("U hebt de overdracht afgewezen."))
            elif action == "withdraw":
                services.handover_withdraw(actor=actor, handover=handover)
                messages.success(request, _("De overdracht is ingetrokken."))
            else:
                raise ValidationError(_("Kies wat u wilt doen."))
        except ValidationError as error:
            if action == "accept":
                apply_errors(accept_form, error)
            elif action == "decline":
                apply_errors(decline_form, error)
            else:
                messages.error(request, " ".join(error.messages))
            status = 400
        else:
            return redirect("cases:team", public_id=case.public_id)
    context = {
        "handover": handover,
        "accept_form": accept_form,
        "decline_form": decline_form,
        "for_me": handover.to_lead_id == actor.pk and handover.status == Handover.Status.OFFERED,
        "can_withdraw": handover.status == Handover.Status.OFFERED
        and (case.access.is_lead or (case.access.is_backup and not lead_can_act(case))),
    }
    return _page(request, "cases/handover.html", case, "team", context, status)
