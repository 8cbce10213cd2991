"""The crisis card: write, print, share with the police, stop sharing; cards received."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from schakel.core.forms import apply_errors

from .. import display, selectors, services, sources
from .. import forms as case_forms
from ..models import CARD_FIELDS
from ._common import _actor, _case, _conflict, _manage, _page, _refusal


@login_required
@require_GET
def received_cards(request):
    actor = _actor(request)
    shares = selectors.crisis_cards_received_for(actor=actor)
    return render(request, "cases/received_cards.html", {"shares": shares})


@login_required
@require_GET
def received_card(request, public_id):
    share = selectors.crisis_card_received_get_for(actor=_actor(request), public_id=public_id)
    return render(request, "cases/received_card.html", {"share": share, "card": share.snapshot})


@login_required
@require_http_methods(["GET", "POST"])
def crisis_card(request, public_id):
    case = _case(request, public_id)
    actor = request.actor
    card = selectors.crisis_card_for(actor=actor, case=case)
    manage = case.access.can_manage
    stored, status = [], 200
    form = None
    if manage:
        if request.method == "POST":
            form = case_forms.CrisisCardForm(request.POST)
            if form.is_valid():
                data = dict(form.cleaned_data)
                version = data.pop("version")
                agreed = data.pop("agreed_by_person")
                try:
                    card = services.crisis_card_save(
                        actor=actor,
                        case=case,
                        expected_version=version,
                        agreed_by_person=agreed,
                        **data,
                    )
                except services.StaleEdit as conflict:
                    form, stored = _conflict(request, case_forms.CrisisCardForm, conflict)
                    status = 409
                except ValidationError as error:
                    apply_errors(form, error)
                    status = 400
                else:
                    messages.success(request, _("De hulpkaart is opgeslagen."))
                    return redirect("cases:crisis_card", public_id=case.public_id)
            else:
                status = 400
        else:
            initial = {"version": card.version if card else 0}
            if card:
                initial.update({n: getattr(card, n) for n in CARD_FIELDS})
                initial["agreed_by_person"] = card.agreed_by_person
            form = case_forms.CrisisCardForm(initial=initial)
    elif request.method == "POST":
        raise PermissionDenied("case.manage")
    context = {
        "card": card,
        "form": form,
        "stored": stored,
        "shares": selectors.crisis_card_shares_of(actor=actor, case=case),
        "share_form": case_forms.CrisisCardShareForm(police=selectors.police_organisations())
        if manage and card and card.agreed_by_person
        else None,
    }
    return _page(request, "cases/crisis_card.html", case, "crisis_card", context, status)


@login_required
@require_GET
def crisis_card_print(request, public_id):
    case = _case(request, public_id)
    card = selectors.crisis_card_for(actor=request.actor, case=case)
    if card is None:
        raise Http404
    snapshot = display.crisis_card_snapshot(case, card)
    return render(
        request,
        "cases/crisis_card_print.html",
        {"case": case, "card": snapshot, "draft": not card.agreed_by_person},
    )


@login_required
@require_POST
def crisis_card_share(request, public_id):
    case = _case(request, public_id)
    _manage(case)
    form = case_forms.CrisisCardShareForm(request.POST, police=selectors.police_organisations())
    if not form.is_valid():
        messages.error(request, _("Kies de politie-eenheid."))
        return redirect("cases:crisis_card", public_id=case.public_id)
    try:
        services.crisis_card_share(
            actor=request.actor,
            case=case,
            recipient=form.cleaned_data["recipient"],
            override_reason=form.cleaned_data["override_reason"],
        )
    except sources.sharing_not_allowed() as error:
        refusal = _refusal(error)
        messages.error(
            request,
            _("Delen mag nu niet. %(reasons)s") % {"reasons": " ".join(refusal["reasons"])},
        )
        for hint in refusal["hints"]:
            messages.info(request, hint)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("De hulpkaart is gedeeld met de politie."))
    return redirect("cases:crisis_card", public_id=case.public_id)


@login_required
@require_POST
def crisis_card_revoke(request, public_id, pk):
    case = _case(request, public_id)
    _manage(case)
    share = selectors.crisis_card_share_get_for(actor=request.actor, case=case, pk=pk)
    services.crisis_card_share_revoke(actor=request.actor, case=case, share=share)
    messages.success(request, _("De politie ziet deze hulpkaart niet meer."))
    return redirect("cases:crisis_card", public_id=case.public_id)
