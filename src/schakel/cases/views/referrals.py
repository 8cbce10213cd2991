"""The help tab and referrals to the wegwijzer: search, refer, the steps they take."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from schakel.core.forms import apply_errors

from .. import forms as case_forms
from .. import selectors, services, sources
from ..models import Referral
from ._common import _case, _conflict, _manage, _page, _refusal

REFERRAL_ACTION_LABELS = {
    "accept": gettext_lazy("Aanbieder accepteert"),
    "decline": gettext_lazy("Aanbieder wijst af"),
    "start": gettext_lazy("Hulp is gestart"),
    "end": gettext_lazy("Hulp is gestopt"),
    "withdraw": gettext_lazy("Verwijzing intrekken"),
}


@login_required
@require_GET
def help_tab(request, public_id):
    case = _case(request, public_id)
    actor = request.actor
    if not case.access.sees_help:
        raise PermissionDenied("case.category")
    context = {
        "referrals": selectors.referrals_for(actor=actor, case=case),
        "placements": selectors.placements_for(actor=actor, case=case),
    }
    return _page(request, "cases/help.html", case, "help", context)


@login_required
@require_GET
def referral_search(request, public_id):
    case = _case(request, public_id)
    _manage(case)
    form = case_forms.ReferralSearchForm(request.GET or None)
    need, q = "", ""
    if form.is_bound and form.is_valid():
        need, q = form.cleaned_data["need"], form.cleaned_data["q"]
    options = selectors.referral_options_for(
        actor=request.actor, case=case, need=need, q=q, limit=20
    )
    context = {"form": form, "options": options, "need": need}
    return _page(request, "cases/referral_search.html", case, "help", context)


@login_required
@require_http_methods(["GET", "POST"])
def referral_create(request, public_id, offer_key):
    case = _case(request, public_id)
    _manage(case)
    offer = sources.offer_get(offer_key)
    refusal, status = None, 200
    if request.method == "POST":
        form = case_forms.ReferralCreateForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                referral = services.referral_create(
                    actor=request.actor,
                    case=case,
                    offer=offer,
                    need=data["need"],
                    note=data["note"],
                    data_categories=data["data_categories"],
                    override_reason=data["override_reason"],
                )
            except sources.sharing_not_allowed() as error:
                refusal, status = _refusal(error), 403
            except ValidationError as error:
                apply_errors(form, error)
                status = 400
            else:
                messages.success(request, _("De verwijzing is aangevraagd."))
                return redirect("cases:referral", public_id=case.public_id, pk=referral.pk)
        else:
            status = 400
    else:
        form = case_forms.ReferralCreateForm(initial={"need": request.GET.get("hulp", "")})
    recipient = offer.provider.organisation if offer.provider else None
    context = {"form": form, "offer": offer, "recipient": recipient, "refusal": refusal}
    return _page(request, "cases/referral_create.html", case, "help", context, status)


@login_required
@require_http_methods(["GET", "POST"])
def referral_detail(request, public_id, pk):
    case = _case(request, public_id)
    actor = request.actor
    referral = selectors.referral_get_for(actor=actor, case=case, pk=pk)
    receiving = referral.recipient_id == actor.organisation_id
    may_act = case.access.can_manage or receiving
    step_forms = {}
    stored, status = [], 200
    initial = {"version": referral.version, "on": timezone.localdate()}
    for action in referral.actions:
        if action == "withdraw" and not case.access.can_manage:
            continue
        step_forms[action] = case_forms.ReferralStepForm(initial=initial, prefix=action)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if not may_act or action not in step_forms:
            raise PermissionDenied("case.referral")
        form = case_forms.ReferralStepForm(request.POST, prefix=action)
        if form.is_valid():
            try:
                services.referral_transition(
                    actor=actor,
                    case=case,
                    referral=referral,
                    action=action,
                    expected_version=form.cleaned_data["version"],
                    on=form.cleaned_data["on"],
                    reason=form.cleaned_data["reason"],
                )
            except services.StaleEdit as conflict:
                form, _values = _conflict(
                    request, case_forms.ReferralStepForm, conflict, prefix=action
                )
                current = conflict.current
                stored = [
                    (_("Status"), str(current.get_status_display())),
                    (_("Reden"), current.decline_reason or current.end_reason or "–"),
                ]
                status = 409
            except ValidationError as error:
                apply_errors(form, error)
                status = 400
            else:
                if action == "decline":
                    messages.warning(
                        request,
                        _("De verwijzing is afgewezen. Hieronder staan de volgende opties."),
                    )
                    return redirect(
                        reverse("cases:referral", kwargs={"public_id": case.public_id, "pk": pk})
                        + "#volgende-opties"
                    )
                messages.success(request, _("De verwijzing is bijgewerkt."))
                return redirect("cases:referral", public_id=case.public_id, pk=pk)
        else:
            status = 400
        step_forms[action] = form
    options = []
    if referral.status == Referral.Status.DECLINED and case.access.can_manage:
        options = selectors.referral_options_for(
            actor=actor, case=case, need=referral.need, limit=5
        )
    context = {
        "referral": referral,
        "step_forms": [(a, REFERRAL_ACTION_LABELS[a], f) for a, f in step_forms.items()]
        if may_act
        else [],
        "options": options,
        "stored": stored,
        "placement_form": case_forms.PlacementForm(
            initial={
                "provider_name": referral.provider_name or referral.offer_name,
                "started_on": referral.started_on or timezone.localdate(),
            }
        ),
    }
    return _page(request, "cases/referral.html", case, "help", context, status)
