"""Web pages of lawful sharing under /delen/: the decision aid "Mag ik dit delen?", the one-page
overview, consents with their easy-read explanation, agreements, what left the organisation,
requests of data subjects and the privacy settings. Thin: services write, selectors read."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from schakel.accounts.models import Organisation
from schakel.accounts.permissions import can
from schakel.people.selectors import person_get_for

from . import display, selectors, services
from .decision_aid import ANSWER_LABELS, QUESTION_LABELS
from .forms import (
    AgreementEndForm,
    AgreementForm,
    ConsentForm,
    ConsentGiveForm,
    ConsentRenewForm,
    NoteForm,
    PrivacySettingsForm,
    QuestionStartForm,
    QuestionWeighForm,
    SubjectRequestForm,
    SubjectRequestUpdateForm,
)
from .models import Consent, SubjectRequest
from .reasons import CONSULT_LABELS, render_all
from .rules import consent_status_at
from .sharing_config import sharing_config


def _require(actor, *permissions) -> None:
    """404 for an actor who has none of the permissions: the pages do not exist for them."""
    if not any(can(actor, p) for p in permissions):
        raise Http404


def _apply_errors(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, texts in error.message_dict.items():
        form.add_error(field if field in form.fields else None, texts)


def _recipient(actor, value) -> Organisation:
    try:
        return selectors.recipient_choices_for(actor=actor).get(pk=int(value))
    except (TypeError, ValueError, Organisation.DoesNotExist):
        raise Http404 from None


def _nav(actor) -> dict:
    return {
        "can_decide": can(actor, "sharing.decide"),
        "can_consent": can(actor, "consent.record") or can(actor, "sharing.decide"),
        "can_agreements": can(actor, "agreement.manage") or can(actor, "sharing.decide"),
        "can_manage_agreements": can(actor, "agreement.manage"),
        "can_disclosures": can(actor, "sharing.decide") or can(actor, "privacy.settings"),
        "can_requests": can(actor, "privacy.requests"),
        "can_settings": can(actor, "privacy.settings"),
    }


def _render(request, template, context, status=200):
    context = {**_nav(request.actor), **context}
    return render(request, template, context, status=status)


# -- decision aid ----------------------------------------------------------------------------


@login_required
@require_GET
def decision_aid(request):
    """The start: what this is, and step 1 (who, with whom, what for)."""
    actor = request.actor
    _require(actor, "sharing.decide", "agreement.manage", "privacy.settings", "privacy.requests")
    form = None
    if can(actor, "sharing.decide"):
        form = QuestionStartForm(
            initial={"persoon": request.GET.get("persoon", "")},
            persons=selectors.person_choices_for(actor=actor),
            recipients=selectors.recipient_choices_for(actor=actor),
        )
    return _render(request, "privacy/decision_aid.html", {"form": form})


def _question_context(request, start, weigh_form):
    actor = request.actor
    person = person_get_for(actor=actor, public_id=start.cleaned_data["persoon"])
    recipient = _recipient(actor, start.cleaned_data["ontvanger"])
    purpose_key = start.cleaned_data["doel"]
    facts = selectors.decision_question_facts(
        actor=actor, person=person, recipient=recipient, purpose=purpose_key, categories=[]
    )
    consents = [
        c
        for c in selectors.consent_list_for(actor=actor, person=person)
        if purpose_key in c.purposes
    ]
    return {
        "person": person,
        "recipient": recipient,
        "purpose": facts["purpose"],
        "facts": facts,
        "evaluation": facts["evaluation"],
        "consents": consents,
        "problems": render_all(facts["evaluation"].problems),
        "grounds": render_all(facts["evaluation"].grounds),
        "form": weigh_form,
        "start": start,
    }


@login_required
@require_http_methods(["GET", "POST"])
def decision_question(request):
    """Step 2: what Schakel knows, which data, the weighing questions; POST records the decision."""
    actor = request.actor
    _require(actor, "sharing.decide")
    start = QuestionStartForm(
        request.GET,
        persons=selectors.person_choices_for(actor=actor),
        recipients=selectors.recipient_choices_for(actor=actor),
    )
    if not start.is_valid():
        context = {"form": start}
        return _render(request, "privacy/decision_aid.html", context, status=400)
    purpose = sharing_config().purpose(start.cleaned_data["doel"])
    status = 200
    if request.method == "POST":
        form = QuestionWeighForm(request.POST, purpose=purpose)
        if form.is_valid():
            context = _question_context(request, start, form)
            try:
                decision = services.sharing_decision_record(
                    actor=actor,
                    person=context["person"],
                    recipient=context["recipient"],
                    purpose=purpose.key,
                    data_categories=form.cleaned_data["data_categories"],
                    answers=form.answers(),
                    explanation=form.cleaned_data["explanation"],
                    case_reference=form.cleaned_data["case_reference"],
                    on_behalf_of_organisation=form.cleaned_data["on_behalf_of_organisation"],
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("Het besluit is vastgelegd."))
                return redirect("privacy:decision_detail", public_id=decision.public_id)
        status = 400
    else:
        form = QuestionWeighForm(purpose=purpose)
    context = _question_context(request, start, form)
    return _render(request, "privacy/question.html", context, status=status)


def _answers_table(decision) -> list[tuple[str, str]]:
    rows = []
    for key, value in decision.answers.items():
        label = QUESTION_LABELS.get(key, key)
        rows.append((str(label), str(ANSWER_LABELS.get(key, {}).get(value, value))))
    return rows


@login_required
@require_GET
def decision_detail(request, public_id):
    decision = selectors.decision_get_for(actor=request.actor, public_id=public_id)
    config = sharing_config()
    basis = config.legal_bases.get(decision.legal_basis)
    context = {
        "decision": decision,
        "purpose": config.purposes.get(decision.purpose),
        "categories": config.category_labels(decision.data_categories),
        "reasons": render_all(decision.reasons),
        "consult_with": [str(CONSULT_LABELS.get(c, c)) for c in decision.consult_with],
        "basis": basis,
        "answers": _answers_table(decision),
        "again_query": f"persoon={decision.person.public_id}&ontvanger={decision.recipient_id}"
        f"&doel={decision.purpose}",
    }
    return _render(request, "privacy/decision_detail.html", context)


@login_required
@require_GET
def decision_list(request):
    actor = request.actor
    _require(actor, "sharing.decide")
    config = sharing_config()
    decisions = selectors.decision_list_for(actor=actor)
    for decision in decisions:
        decision.purpose_label = config.purposes[decision.purpose].label
    return _render(request, "privacy/decision_list.html", {"decisions": decisions})


@login_required
@require_GET
def overview(request):
    """The one-page overview of the possibilities, for training and managers."""
    config = sharing_config()
    context = {
        "bases": [b for b in config.legal_bases.values() if b.kind != "own"],
        "purposes": list(config.purposes.values()),
        "decision_valid_days": config.decision_valid_days,
    }
    return _render(request, "privacy/overview.html", context)


# -- consent ---------------------------------------------------------------------------------


@login_required
@require_GET
def consent_list(request):
    actor = request.actor
    _require(actor, "consent.record", "sharing.decide")
    config = sharing_config()
    consents = selectors.consent_list_for(actor=actor)
    for consent in consents:
        consent.purpose_labels = [config.purposes[p].label for p in consent.purposes]
    return _render(
        request,
        "privacy/consent_list.html",
        {
            "consents": consents,
            "can_record": can(actor, "consent.record"),
            "purposes": list(config.purposes.values()),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def consent_create(request):
    actor = request.actor
    _require(actor, "consent.record")
    recipients = list(selectors.recipient_choices_for(actor=actor))
    persons = selectors.person_choices_for(actor=actor)
    if request.method == "POST":
        form = ConsentForm(request.POST, request.FILES, persons=persons, recipients=recipients)
        if form.is_valid():
            person = person_get_for(actor=actor, public_id=form.cleaned_data["person"])
            data = form.cleaned_data
            try:
                consent = services.consent_record(
                    actor=actor,
                    person=person,
                    given_by=data["given_by"],
                    given_by_name=data["given_by_name"],
                    purposes=data["purposes"],
                    data_categories=data["data_categories"],
                    recipient_organisations=form.organisations(
                        "recipient_organisations", recipients
                    ),
                    recipient_kinds=data["recipient_kinds"],
                    valid_from=data["valid_from"],
                    valid_until=data["valid_until"],
                    status=data["status"],
                    note=data["note"],
                    **form.given_details(),
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("De toestemming is vastgelegd."))
                return redirect("privacy:consent_detail", public_id=consent.public_id)
        status = 400
    else:
        initial = {"person": request.GET.get("persoon", "")}
        if request.GET.get("doel"):
            initial["purposes"] = [request.GET["doel"]]
        form = ConsentForm(initial=initial, persons=persons, recipients=recipients)
        status = 200
    return _render(request, "privacy/consent_form.html", {"form": form}, status=status)


def _consent_context(request, consent, **forms):
    config = sharing_config()
    status = consent_status_at(consent, timezone.now())
    can_record = can(request.actor, "consent.record")
    context = {
        "consent": consent,
        "purposes": [config.purposes[p] for p in consent.purposes],
        "categories": config.category_labels(consent.data_categories),
        "kinds": [
            str(dict(Organisation.Domain.choices).get(k) or config.designations[k].label)
            for k in consent.recipient_kinds
        ],
        "events": [
            {
                "event": event,
                "checks": [
                    config.understanding_checks[c].label
                    for c in event.understanding_checks
                    if c in config.understanding_checks
                ],
            }
            for event in consent.events.all()
        ],
        "can_give": can_record and status == Consent.Status.REQUESTED,
        "can_refuse": can_record and status == Consent.Status.REQUESTED,
        "can_withdraw": can_record and status in (Consent.Status.GIVEN, Consent.Status.REQUESTED),
        "can_renew": can_record and status in (Consent.Status.GIVEN, Consent.Status.EXPIRED),
    }
    context["give_form"] = forms.get("give_form") or ConsentGiveForm(prefix="geven")
    context["refuse_form"] = forms.get("refuse_form") or NoteForm(prefix="weigeren")
    context["withdraw_form"] = forms.get("withdraw_form") or NoteForm(prefix="intrekken")
    context["renew_form"] = forms.get("renew_form") or ConsentRenewForm(prefix="vernieuwen")
    return context


@login_required
@require_GET
def consent_detail(request, public_id):
    consent = selectors.consent_get_for(actor=request.actor, public_id=public_id)
    return _render(request, "privacy/consent_detail.html", _consent_context(request, consent))


@login_required
@require_GET
def consent_evidence(request, public_id, evidence_id):
    """Download an evidence file: only for the organisation that holds the consent; logged."""
    actor = request.actor
    _require(actor, "consent.record")
    evidence, data = selectors.consent_evidence_for(
        actor=actor, consent_id=public_id, evidence_id=evidence_id
    )
    response = HttpResponse(data, content_type=evidence.content_type)
    response["Content-Disposition"] = content_disposition_header(True, evidence.file_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def consent_action(request, public_id, action):
    actor = request.actor
    consent = selectors.consent_get_for(actor=actor, public_id=public_id)
    _require(actor, "consent.record")
    forms = {
        "geven": ("give_form", ConsentGiveForm),
        "weigeren": ("refuse_form", NoteForm),
        "intrekken": ("withdraw_form", NoteForm),
        "vernieuwen": ("renew_form", ConsentRenewForm),
    }
    if action not in forms:
        raise Http404
    name, form_class = forms[action]
    form = form_class(request.POST, request.FILES, prefix=action)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "geven":
                services.consent_give(
                    actor=actor, consent=consent, note=data["note"], **form.given_details()
                )
                text = _("De toestemming is gegeven.")
            elif action == "weigeren":
                services.consent_refuse(actor=actor, consent=consent, note=data["note"])
                text = _("Vastgelegd: er is geen toestemming gegeven.")
            elif action == "intrekken":
                services.consent_withdraw(actor=actor, consent=consent, note=data["note"])
                text = _("De toestemming is ingetrokken. Vanaf nu wordt er niets meer op gedeeld.")
            else:
                consent = services.consent_renew(
                    actor=actor,
                    consent=consent,
                    valid_until=data["valid_until"],
                    note=data["note"],
                    **form.given_details(),
                )
                text = _("De toestemming is vernieuwd.")
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, text)
            return redirect("privacy:consent_detail", public_id=consent.public_id)
    consent = selectors.consent_get_for(actor=actor, public_id=public_id)
    context = _consent_context(request, consent, **{name: form})
    context["open_form"] = action
    return _render(request, "privacy/consent_detail.html", context, status=400)


@login_required
@require_GET
def easy_read(request, purpose):
    """The easy-read explanation of one purpose, to read together and print."""
    _require(request.actor, "consent.record", "sharing.decide")
    config = sharing_config()
    if purpose not in config.purposes:
        raise Http404
    return _render(
        request,
        "privacy/easy_read.html",
        {"purpose": config.purposes[purpose], "checks": config.understanding_checks.values()},
    )


# -- agreements ------------------------------------------------------------------------------


@login_required
@require_GET
def agreement_list(request):
    actor = request.actor
    _require(actor, "agreement.manage", "sharing.decide")
    config = sharing_config()
    agreements = selectors.agreement_list_for(actor=actor)
    for agreement in agreements:
        agreement.purpose_labels = [config.purposes[p].label for p in agreement.purposes]
    return _render(request, "privacy/agreement_list.html", {"agreements": agreements})


@login_required
@require_http_methods(["GET", "POST"])
def agreement_create(request):
    actor = request.actor
    _require(actor, "agreement.manage")
    organisations = list(selectors.recipient_choices_for(actor=actor))
    status = 200
    if request.method == "POST":
        form = AgreementForm(request.POST, organisations=organisations)
        if form.is_valid():
            data = form.cleaned_data
            try:
                agreement = services.agreement_create(
                    actor=actor,
                    title=data["title"],
                    reference=data["reference"],
                    parties=form.organisations("parties", organisations),
                    purposes=data["purposes"],
                    data_categories=data["data_categories"],
                    valid_from=data["valid_from"],
                    valid_until=data["valid_until"],
                    note=data["note"],
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("Het convenant is vastgelegd."))
                return redirect("privacy:agreement_detail", public_id=agreement.public_id)
        status = 400
    else:
        form = AgreementForm(organisations=organisations)
    return _render(request, "privacy/agreement_form.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def agreement_detail(request, public_id):
    actor = request.actor
    agreement = selectors.agreement_get_for(actor=actor, public_id=public_id)
    config = sharing_config()
    end_form = AgreementEndForm()
    status = 200
    if request.method == "POST":
        _require(actor, "agreement.manage")
        end_form = AgreementEndForm(request.POST)
        if end_form.is_valid():
            try:
                services.agreement_end(
                    actor=actor, agreement=agreement, note=end_form.cleaned_data["note"]
                )
            except ValidationError as error:
                _apply_errors(end_form, error)
            else:
                messages.success(request, _("Het convenant is beëindigd. Het geldt nu niet meer."))
                return redirect("privacy:agreement_detail", public_id=agreement.public_id)
        status = 400
    context = {
        "agreement": agreement,
        "purposes": [config.purposes[p].label for p in agreement.purposes],
        "categories": config.category_labels(agreement.data_categories),
        "end_form": end_form,
        "can_end": can(actor, "agreement.manage") and agreement.state["is_valid"],
    }
    return _render(request, "privacy/agreement_detail.html", context, status=status)


# -- what left the organisation -----------------------------------------------------------------


@login_required
@require_GET
def disclosure_list(request):
    actor = request.actor
    _require(actor, "sharing.decide", "privacy.settings")
    config = sharing_config()
    kind = request.GET.get("soort", "")
    bases = selectors.disclosure_list_for(actor=actor, kind=kind)
    for basis in bases:
        basis.purpose_label = config.purposes[basis.purpose].label
    return _render(
        request,
        "privacy/disclosure_list.html",
        {"bases": bases, "override_only": kind == "override"},
    )


@login_required
@require_GET
def disclosure_detail(request, public_id):
    basis = selectors.disclosure_get_for(actor=request.actor, public_id=public_id)
    config = sharing_config()
    context = {
        "basis": basis,
        "purpose": config.purposes[basis.purpose].label,
        "categories": config.category_labels(basis.data_categories),
        "shown": display.sender_shown_to_recipient(basis),
    }
    return _render(request, "privacy/disclosure_detail.html", context)


# -- requests of data subjects -----------------------------------------------------------------


@login_required
@require_GET
def request_list(request):
    actor = request.actor
    _require(actor, "privacy.requests")
    requests = selectors.subject_request_list_for(actor=actor)
    return _render(request, "privacy/request_list.html", {"requests": requests})


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request):
    actor = request.actor
    _require(actor, "privacy.requests")
    persons = selectors.person_choices_for(actor=actor)
    status = 200
    if request.method == "POST":
        form = SubjectRequestForm(request.POST, persons=persons)
        if form.is_valid():
            data = form.cleaned_data
            person = person_get_for(actor=actor, public_id=data["person"])
            try:
                subject_request = services.subject_request_register(
                    actor=actor,
                    person=person,
                    kind=data["kind"],
                    requested_by=data["requested_by"],
                    received_on=data["received_on"],
                    description=data["description"],
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("Het verzoek is geregistreerd."))
                return redirect("privacy:request_detail", public_id=subject_request.public_id)
        status = 400
    else:
        form = SubjectRequestForm(
            initial={"person": request.GET.get("persoon", "")}, persons=persons
        )
    return _render(request, "privacy/request_form.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def request_detail(request, public_id):
    actor = request.actor
    subject_request = selectors.subject_request_get_for(actor=actor, public_id=public_id)
    statuses = sorted(services.SUBJECT_REQUEST_TRANSITIONS.get(subject_request.status, set()))
    order = list(SubjectRequest.Status.values)
    statuses.sort(key=order.index)
    form = SubjectRequestUpdateForm(statuses=statuses) if statuses else None
    status = 200
    if request.method == "POST" and statuses:
        form = SubjectRequestUpdateForm(request.POST, statuses=statuses)
        if form.is_valid():
            try:
                services.subject_request_update(
                    actor=actor,
                    request=subject_request,
                    status=form.cleaned_data["status"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("Het verzoek is bijgewerkt."))
                return redirect("privacy:request_detail", public_id=subject_request.public_id)
        status = 400
    context = {"subject_request": subject_request, "form": form}
    return _render(request, "privacy/request_detail.html", context, status=status)


@login_required
@require_GET
def request_export(request, public_id):
    """Everything held about the person of an access request: readable, or as JSON."""
    actor = request.actor
    subject_request = selectors.subject_request_get_for(actor=actor, public_id=public_id)
    export = selectors.subject_access_export_for(actor=actor, request=subject_request)
    if request.GET.get("formaat") == "json":
        response = HttpResponse(
            json.dumps(export, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        name = f"inzage-{str(subject_request.public_id)[:8]}.json"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    sections = [
        {
            "key": section["key"],
            "title": section["title"],
            "rows": [
                [
                    (label, "; ".join(value) if isinstance(value, list) else value)
                    for label, value in row.items()
                ]
                for row in section["rows"]
            ],
        }
        for section in export["sections"]
    ]
    context = {"subject_request": subject_request, "export": export, "sections": sections}
    return _render(request, "privacy/request_export.html", context)


# -- settings --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def privacy_settings(request):
    actor = request.actor
    profile = selectors.privacy_profile_for(actor=actor)
    status = 200
    if request.method == "POST":
        form = PrivacySettingsForm(request.POST)
        if form.is_valid():
            try:
                services.privacy_profile_update(
                    actor=actor, organisation=actor.organisation, **form.cleaned_data
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("De instellingen zijn opgeslagen."))
                return redirect("privacy:settings")
        status = 400
    else:
        form = PrivacySettingsForm(
            initial={
                "privacy_officer_name": profile.privacy_officer_name,
                "privacy_officer_email": profile.privacy_officer_email,
            }
        )
    context = {
        "form": form,
        "designations": selectors.organisation_designations(actor.organisation),
    }
    return _render(request, "privacy/settings.html", context, status=status)
