"""Web pages of the signal index: register (directly, or from a case or a screening), the own
registrations with their matches, a match (the other side's organisation, domain and contact; the
lead agreement; inviting into a case), withdrawing. Thin: services write, selectors read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from schakel.accounts.permissions import can
from schakel.people.pseudonyms import Identifiers
from schakel.privacy.rules import SharingNotAllowed

from . import selectors, services
from .forms import ConfirmForm, InviteForm, RegisterForm
from .models import ContextKind
from .reasons import reason_label


def _require(actor) -> None:
    if not can(actor, "signal.register"):
        raise Http404


def _apply_errors(form, error: ValidationError, *, from_context: bool) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, texts in error.message_dict.items():
        if name == "context":
            name = None if from_context else "reason"
        form.add_error(name if name in form.fields else None, texts)


def _context_summary(actor, context: str):
    """What the page says about where the registration comes from (the actor sees it anyway)."""
    try:
        ctx = services.resolve_context(actor=actor, context=context)
    except ValidationError:
        raise Http404 from None
    if ctx.kind == ContextKind.CASE:
        reference = ctx.case.reference or str(ctx.case.public_id)[:8]
        return _("casus %(ref)s") % {"ref": reference}, ctx
    if ctx.kind == ContextKind.ASSESSMENT:
        return _("een opgeslagen screening"), ctx
    raise Http404


@login_required
@require_GET
def index(request):
    actor = request.actor
    _require(actor)
    page = selectors.signal_registration_list_for(actor=actor, page=request.GET.get("pagina"))
    return render(request, "signal_index/index.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def register(request):
    actor = request.actor
    _require(actor)
    context = (request.POST.get("context") or request.GET.get("context") or "").strip()
    from_context = context.startswith(("case:", "assessment:"))
    summary, ctx = _context_summary(actor, context) if from_context else ("", None)
    function, phone = selectors.contact_default_for(actor=actor)
    initial = {"contact_function": function, "contact_phone": phone}
    form = RegisterForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        from_context=from_context,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            identifiers = None
            if not from_context:
                identifiers = Identifiers(
                    bsn=data.get("bsn") or "",
                    surname=data.get("surname") or "",
                    given_names=data.get("given_names") or "",
                    date_of_birth=data.get("birth_date"),
                )
            try:
                result = services.signal_register(
                    actor=actor,
                    context=context if from_context else data["reason"],
                    identifiers=identifiers,
                    contact_function=data["contact_function"],
                    contact_phone=data["contact_phone"],
                )
            except services.RateLimited as limited:
                messages.error(request, limited.message)
                status = 429
            except ValidationError as error:
                _apply_errors(form, error, from_context=from_context)
                status = 400
            else:
                if result.renewed:
                    messages.success(
                        request,
                        _("Uw organisatie had deze persoon al gemeld. De melding is verlengd."),
                    )
                else:
                    messages.success(
                        request,
                        _(
                            "De melding staat in de signaleringsindex. Naam, BSN en "
                            "geboortedatum zijn niet bewaard."
                        ),
                    )
                if result.matches:
                    messages.warning(
                        request,
                        _(
                            "Er is een match: een andere organisatie is ook betrokken. "
                            "Zie hieronder."
                        ),
                    )
                return redirect("signal_index:detail", public_id=result.registration.public_id)
        else:
            status = 400
    page_context = {
        "form": form,
        "context": context,
        "summary": summary,
        "from_context": from_context,
    }
    return render(request, "signal_index/register.html", page_context, status=status)


def _context_text(registration) -> str:
    if registration.context_kind == ContextKind.CATEGORY:
        return reason_label(registration.context_ref)
    if registration.context_kind == ContextKind.CASE:
        return _("vanuit een casus")
    return _("vanuit een screening")


@login_required
@require_GET
def registration_detail(request, public_id):
    actor = request.actor
    _require(actor)
    registration = selectors.signal_registration_get_for(actor=actor, public_id=public_id)
    context = {
        "registration": registration,
        "context_text": _context_text(registration),
        "active": registration.is_active(_today()),
    }
    return render(request, "signal_index/detail.html", context)


def _today():
    from django.utils import timezone

    return timezone.localdate()


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, public_id):
    actor = request.actor
    _require(actor)
    registration = selectors.signal_registration_get_for(actor=actor, public_id=public_id)
    if registration.ended_at is not None:
        messages.info(request, _("Deze melding is al beëindigd."))
        return redirect("signal_index:detail", public_id=registration.public_id)
    form = ConfirmForm(request.POST or None, initial={"version": registration.version})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.signal_registration_withdraw(
                    actor=actor,
                    registration=registration,
                    expected_version=form.cleaned_data["version"],
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("signal_index:detail", public_id=registration.public_id)
            messages.success(
                request,
                _("De melding is ingetrokken. Er komen geen nieuwe matches meer op."),
            )
            return redirect("signal_index:index")
        status = 400
    context = {"registration": registration, "form": form}
    return render(request, "signal_index/withdraw.html", context, status=status)


def _match_page(request, view, *, invite_form=None, refusal=None, status=200):
    actor = request.actor
    cases = services.cases_to_invite_into(actor=actor, match=view.match)
    if invite_form is None and cases:
        invite_form = InviteForm(cases=cases)
    context = {
        "view": view,
        "match": view.match,
        "other": view.other,
        "own": view.own,
        "cases": cases,
        "invite_form": invite_form,
        "refusal": refusal,
        "can_invite": view.match.lead_status == "accepted" and view.lead_is_ours,
    }
    return render(request, "signal_index/match.html", context, status=status)


@login_required
@require_GET
def match_detail(request, public_id):
    actor = request.actor
    _require(actor)
    view = selectors.signal_match_get_for(actor=actor, public_id=public_id)
    response = _match_page(request, view)
    services.signal_match_seen(actor=actor, match=view.match)
    return response


@login_required
@require_POST
def match_lead(request, public_id):
    actor = request.actor
    _require(actor)
    view = selectors.signal_match_get_for(actor=actor, public_id=public_id)
    action = request.POST.get("action")
    try:
        if action == "propose":
            services.signal_match_lead_propose(actor=actor, match=view.match)
            messages.success(
                request,
                _("Uw voorstel is verstuurd. De andere organisatie ziet het bij de match."),
            )
        elif action in ("accept", "decline"):
            services.signal_match_lead_answer(
                actor=actor, match=view.match, accept=action == "accept"
            )
            if action == "accept":
                messages.success(request, _("Afgesproken: de andere organisatie neemt de regie."))
            else:
                messages.success(request, _("U hebt het voorstel afgewezen."))
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("signal_index:match", public_id=view.public_id)


@login_required
@require_POST
def match_invite(request, public_id):
    actor = request.actor
    _require(actor)
    view = selectors.signal_match_get_for(actor=actor, public_id=public_id)
    cases = services.cases_to_invite_into(actor=actor, match=view.match)
    form = InviteForm(request.POST, cases=cases)
    if not form.is_valid():
        return _match_page(request, view, invite_form=form, status=400)
    case = next(c for c in cases if str(c.public_id) == form.cleaned_data["case"])
    try:
        services.signal_match_case_invite(actor=actor, match=view.match, case=case)
    except SharingNotAllowed as error:
        refusal = {"reasons": list(error.reasons) or [str(error)], "hints": list(error.hints)}
        return _match_page(request, view, invite_form=form, refusal=refusal, status=403)
    except PermissionDenied:
        form.add_error(
            "case",
            _("Alleen de regiehouder of de achtervang van de casus kan iemand toevoegen."),
        )
        return _match_page(request, view, invite_form=form, status=403)
    except ValidationError as error:
        form.add_error(None, " ".join(error.messages))
        return _match_page(request, view, invite_form=form, status=400)
    messages.success(
        request,
        _("De professional van de andere organisatie is toegevoegd aan de casus."),
    )
    return redirect("cases:team", public_id=case.public_id)
