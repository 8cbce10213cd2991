"""Web pages of the wegwijzer. Thin: selectors read, services write; these views translate
between HTTP and them. Searching, the offer pages and "Waar kan ik terecht?" are public."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from schakel.accounts.permissions import can
from schakel.core.forms import apply_errors, submit

from . import records, selectors, services
from .forms import (
    CapacityForm,
    OfferForm,
    ProviderForm,
    ReviewForm,
    SearchForm,
    SuggestionForm,
)
from .models import Need, Offer, Suggestion
from .params import is_empty, parse_criteria

PUBLIC_CONTACT_KEYS = ["politie_0900", "csg_0800", "comensha_meldpunt", "chat_met_fier"]
PARENT_CONTACT_KEYS = ["politie_0900", "csg_0800", "koraal", "comensha_meldpunt"]


_apply_errors = apply_errors


def _actor(request):
    return getattr(request, "actor", None)


def _can_manage(request) -> bool:
    return can(_actor(request), "directory.manage")


def _require_manage(request) -> None:
    if not _can_manage(request):
        raise Http404


# -- searching (public) -----------------------------------------------------------------------


@require_GET
def search(request):
    form = SearchForm(request.GET or None)
    result = None
    status = 200
    if request.GET and not is_empty(request.GET):
        if form.is_valid():
            try:
                result = selectors.offer_search(criteria=parse_criteria(request.GET))
            except ValidationError as error:
                _apply_errors(form, error)
        if form.errors:
            status = 400
    actor = _actor(request)
    context = {
        "form": form,
        "result": result,
        "stale_days": selectors.stale_days(),
        "show_manage": can(actor, "directory.manage") or can(actor, "directory.update_capacity"),
    }
    if result is not None:
        wanted = [m for m in result.partial if m.gives_need]
        other = [m for m in result.partial if not m.gives_need]
        context.update(partial_same=wanted, partial_other=other)
    return render(request, "directory/search.html", context, status=status)


@require_GET
def offer_detail(request, key):
    offer = selectors.offer_get(key=key, include_inactive=_can_manage(request))
    actor = _actor(request)
    context = {
        "offer": offer,
        "freshness": selectors.capacity_freshness(offer),
        "stale_days": selectors.stale_days(),
        "areas": _areas(offer),
        "can_update_capacity": services.can_update_capacity(actor, offer),
        "can_manage": _can_manage(request),
        "has_capacity": bool(set(offer.services) & {Need.SHELTER, Need.TREATMENT})
        or offer.places is not None,
    }
    return render(request, "directory/offer_detail.html", context)


def _areas(offer: Offer) -> list[str]:
    from .api import offer_values
    from .matching import area_names

    return area_names(offer_values(offer), selectors.Names())


@require_GET
def provider_list(request):
    q = request.GET.get("q", "")[:200]
    providers = selectors.provider_list(q=q)
    return render(
        request,
        "directory/provider_list.html",
        {"providers": providers, "q": q, "can_manage": _can_manage(request)},
    )


@require_GET
def provider_detail(request, key):
    provider = selectors.provider_get(key=key, include_inactive=_can_manage(request))
    return render(
        request,
        "directory/provider_detail.html",
        {
            "provider": provider,
            "offers": selectors.provider_offers(provider=provider),
            "can_manage": _can_manage(request),
        },
    )


@require_GET
def coordinators(request):
    code = request.GET.get("gemeente", "").strip()
    form = SearchForm(initial={"gemeente": code})
    place = error = None
    found = []
    if code:
        try:
            place = selectors.place_for(code)
        except ValidationError:
            error = _("Kies een gemeente uit de lijst.")
            form.fields["gemeente"].widget.attrs.update(
                {"aria-invalid": "true", "aria-describedby": "id_gemeente_error"}
            )
        else:
            found = selectors.care_coordinators_for(municipality_code=place.code)
    context = {
        "field": form["gemeente"],
        "place": place,
        "coordinators": found,
        "escalation": selectors.escalation_contacts(),
        "error": error,
    }
    return render(request, "directory/coordinators.html", context, status=400 if error else 200)


# -- "Waar kan ik terecht?" (public, easy-read) -----------------------------------------------


@require_GET
def help_index(request):
    return render(request, "directory/help_index.html")


@require_GET
def help_young(request):
    contacts = selectors.contacts_by_key(keys=PUBLIC_CONTACT_KEYS)
    return render(request, "directory/help_young.html", {"contacts": contacts})


@require_GET
def help_parents(request):
    contacts = selectors.contacts_by_key(keys=PARENT_CONTACT_KEYS)
    return render(request, "directory/help_parents.html", {"contacts": contacts})


# -- suggestions ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def suggest(request):
    actor = _actor(request)
    signed_in = can(actor, "directory.suggest")  # others (and the public) use the public form
    public = not signed_in
    initial = {}
    if request.GET.get("aanbod"):
        initial = {"kind": Suggestion.Kind.CORRECTION, "offer": request.GET["aanbod"]}
    form = SuggestionForm(request.POST or None, public=public, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        offer = Offer.objects.filter(key=data.get("offer"), is_active=True).first()
        try:
            services.suggestion_submit(
                actor=actor if signed_in else None,
                kind=data["kind"],
                offer=offer,
                subject=data["subject"],
                message=data["message"],
                email=data.get("email", ""),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return redirect("directory:suggest_thanks")
    status = 400 if form.errors else 200
    return render(
        request, "directory/suggest.html", {"form": form, "public": public}, status=status
    )


@require_GET
def suggest_thanks(request):
    return render(request, "directory/suggest_thanks.html")


@login_required
@require_GET
def suggestion_list(request):
    status = request.GET.get("status", Suggestion.Status.OPEN)
    if status not in Suggestion.Status.values:
        status = Suggestion.Status.OPEN
    suggestions = selectors.suggestion_list_for(actor=_actor(request), status=status)
    return render(
        request,
        "directory/suggestion_list.html",
        {"suggestions": suggestions, "status": status, "statuses": Suggestion.Status.choices},
    )


@login_required
@require_http_methods(["GET", "POST"])
def suggestion_review(request, pk):
    actor = _actor(request)
    suggestion = selectors.suggestion_get_for(actor=actor, pk=pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.suggestion_review(
                actor=actor,
                suggestion=suggestion,
                decision=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("De suggestie is beoordeeld. Het e-mailadres is gewist."))
            if suggestion.offer and form.cleaned_data["decision"] == Suggestion.Status.ACCEPTED:
                return redirect("directory:offer_edit", key=suggestion.offer.key)
            return redirect("directory:suggestion_list")
    status = 400 if form.errors else 200
    return render(
        request,
        "directory/suggestion_review.html",
        {"suggestion": suggestion, "form": form},
        status=status,
    )


# -- capacity ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def capacity_update(request, key):
    actor = _actor(request)
    offer = selectors.offer_get(key=key)
    if not services.can_update_capacity(actor, offer):
        raise PermissionDenied("directory.update_capacity")
    initial = {
        "places": offer.places,
        "free_places": offer.free_places,
        "waiting_weeks": offer.waiting_weeks,
        "version": offer.version,
    }
    form = CapacityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = submit(
            form,
            services.offer_capacity_update,
            actor=actor,
            offer=offer,
            places=data["places"],
            free_places=data["free_places"],
            waiting_weeks=data["waiting_weeks"],
            expected_version=data["version"],
        )
        if outcome.ok:
            messages.success(request, _("De capaciteit is bijgewerkt."))
            return redirect("directory:offer_detail", key=offer.key)
    status = 400 if form.errors else 200
    return render(
        request,
        "directory/capacity_form.html",
        {"offer": offer, "form": form, "freshness": selectors.capacity_freshness(offer)},
        status=status,
    )


@login_required
@require_GET
def manage(request):
    """Overview for whoever keeps entries up to date: own offers' capacity; for functional
    admins also stale entries, suggestions, new entries and export."""
    actor = _actor(request)
    if not (_can_manage(request) or can(actor, "directory.update_capacity")):
        raise Http404
    offers = selectors.offers_for_capacity(actor=actor)
    rows = [(offer, selectors.capacity_freshness(offer)) for offer in offers]
    context = {
        "rows": rows,
        "stale_days": selectors.stale_days(),
        "can_manage": _can_manage(request),
        "open_suggestions": (
            len(selectors.suggestion_list_for(actor=actor, status=Suggestion.Status.OPEN))
            if _can_manage(request)
            else 0
        ),
    }
    return render(request, "directory/manage.html", context)


@login_required
@require_GET
def history(request, key):
    offer = selectors.offer_get(key=key, include_inactive=True)
    changes = selectors.offer_history(actor=_actor(request), offer=offer)
    return render(request, "directory/history.html", {"offer": offer, "changes": changes})


@login_required
@require_GET
def export(request, fmt):
    _require_manage(request)
    if fmt not in ("csv", "yaml"):
        raise Http404
    providers, offers = selectors.directory_export()
    if fmt == "csv":
        body, content_type = records.write_csv(providers, offers), "text/csv; charset=utf-8"
    else:
        body, content_type = records.write_yaml(providers, offers), "application/yaml"
    response = HttpResponse(body, content_type=content_type)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="wegwijzer-{stamp}.{fmt}"'
    return response


# -- editing (functional admins) --------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def offer_edit(request, key=None):
    _require_manage(request)
    actor = _actor(request)
    offer = selectors.offer_get(key=key, include_inactive=True) if key else None
    initial = OfferForm.initial_for(offer) if offer else {"is_active": True, "scope": ""}
    form = OfferForm(request.POST or None, initial=initial, creating=offer is None)
    if request.method == "POST" and form.is_valid():
        record = form.record()
        try:
            if offer is None:
                offer = services.offer_create(actor=actor, **record)
            else:
                offer = services.offer_update(
                    actor=actor,
                    offer=offer,
                    expected_version=form.cleaned_data["version"],
                    **record,
                )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Het aanbod is opgeslagen."))
            return redirect("directory:offer_detail", key=offer.key)
    status = 400 if form.errors else 200
    return render(
        request, "directory/offer_form.html", {"form": form, "offer": offer}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def provider_edit(request, key=None):
    _require_manage(request)
    actor = _actor(request)
    provider = selectors.provider_get(key=key, include_inactive=True) if key else None
    initial = ProviderForm.initial_for(provider) if provider else {"is_active": True}
    form = ProviderForm(request.POST or None, initial=initial, creating=provider is None)
    if request.method == "POST" and form.is_valid():
        record = form.record()
        try:
            if provider is None:
                provider = services.provider_create(actor=actor, **record)
            else:
                provider = services.provider_update(
                    actor=actor,
                    provider=provider,
                    expected_version=form.cleaned_data["version"],
                    **record,
                )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("De aanbieder is opgeslagen."))
            return redirect("directory:provider_detail", key=provider.key)
    status = 400 if form.errors else 200
    return render(
        request,
        "directory/provider_form.html",
        {"form": form, "provider": provider},
        status=status,
    )
