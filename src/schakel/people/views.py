"""Web pages for persons: list, create, detail with the LVB history, edit. Thin: the services
write, the selectors read (and log), these views only translate between HTTP and them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from schakel.accounts.permissions import can
from schakel.core.forms import apply_errors, submit

from . import selectors, services
from .forms import LvbIndicationForm, PersonEditForm, PersonForm


def _require(actor, permission: str) -> None:
    """404 for an actor who cannot see persons at all; 403 for one who can but may not act."""
    if not can(actor, "person.view"):
        raise Http404
    if not can(actor, permission):
        raise PermissionDenied(permission)


_apply_errors = apply_errors


@login_required
@require_GET
def person_list(request):
    actor = request.actor
    if not can(actor, "person.view"):
        raise Http404
    page = selectors.person_list_for(actor=actor, page=request.GET.get("pagina"))
    context = {"page": page, "can_create": can(actor, "person.create")}
    return render(request, "people/person_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request):
    actor = request.actor
    _require(actor, "person.create")
    form = PersonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(actor=actor, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("De persoon is vastgelegd."))
            return redirect("people:detail", public_id=person.public_id)
    status = 400 if form.errors else 200
    return render(request, "people/person_form.html", {"form": form, "person": None}, status=status)


def _detail_context(request, person, lvb_form=None) -> dict:
    actor = request.actor
    history = selectors.lvb_history_for(actor=actor, person=person)
    can_update = can(actor, "person.update")
    if can_update and lvb_form is None:
        corrects = request.GET.get("corrigeer")
        initial = {"corrects": corrects} if corrects else {}
        lvb_form = LvbIndicationForm(history=history, initial=initial)
    return {
        "person": person,
        "history": history,
        "current_lvb": selectors.lvb_current_for(history),
        "can_update": can_update,
        "form": lvb_form,
    }


@login_required
@require_GET
def person_detail(request, public_id):
    person = selectors.person_get_for(actor=request.actor, public_id=public_id)
    return render(request, "people/person_detail.html", _detail_context(request, person))


@login_required
@require_POST
def lvb_indication_add(request, public_id):
    actor = request.actor
    person = selectors.person_get_for(actor=actor, public_id=public_id)
    _require(actor, "person.update")
    history = selectors.lvb_history_for(actor=actor, person=person)
    form = LvbIndicationForm(request.POST, history=history)
    if form.is_valid():
        data = dict(form.cleaned_data)
        corrects_pk = data.pop("corrects", None)
        corrects = None
        if corrects_pk is not None:
            corrects = next(entry for entry in history if entry.pk == corrects_pk)
        try:
            services.lvb_indication_record(actor=actor, person=person, corrects=corrects, **data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("De LVB-indicatie is toegevoegd aan de geschiedenis."))
            url = reverse("people:detail", kwargs={"public_id": person.public_id})
            return redirect(f"{url}#lvb-geschiedenis")
    context = _detail_context(request, person, lvb_form=form)
    return render(request, "people/person_detail.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request, public_id):
    actor = request.actor
    person = selectors.person_get_for(actor=actor, public_id=public_id)
    _require(actor, "person.update")
    status = 200
    if request.method == "POST":
        form = PersonEditForm(request.POST, current_bsn=person.bsn)
        if form.is_valid():
            outcome = submit(
                form,
                services.person_update,
                actor=actor,
                person=person,
                expected_version=form.cleaned_data["version"],
                **form.changes(),
            )
            if outcome.ok:
                messages.success(request, _("De gegevens zijn opgeslagen."))
                return redirect("people:detail", public_id=person.public_id)
            status = outcome.status
        else:
            status = 400
    else:
        initial = {name: getattr(person, name) for name in services.PERSON_FIELDS if name != "bsn"}
        form = PersonEditForm(
            initial={**initial, "version": person.version}, current_bsn=person.bsn
        )
    context = {"form": form, "person": person, "conflict": status == 409}
    return render(request, "people/person_form.html", context, status=status)
