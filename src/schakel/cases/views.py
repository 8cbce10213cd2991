"""Web pages for cases. Thin: selectors read (and log), services write; these views translate
between HTTP and them. Every page of a case answers 404 to anyone who is not a member."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from schakel.accounts.models import Membership
from schakel.accounts.permissions import can

from . import display, selectors, services, sources
from . import forms as case_forms
from .access import lead_can_act
from .display import task_title
from .models import CARD_FIELDS, Case, Handover, Meeting, Referral, Task
from .rules import add_months, case_rules

TABS = [
    ("detail", gettext_lazy("Overzicht"), None),
    ("timeline", gettext_lazy("Tijdlijn"), None),
    ("team", gettext_lazy("Team"), None),
    ("help", gettext_lazy("Hulp"), "hulpverlening"),
    ("meetings", gettext_lazy("Overleg"), None),
    ("tasks", gettext_lazy("Taken"), None),
    ("aftercare", gettext_lazy("Nazorg"), "hulpverlening"),
    ("crisis_card", gettext_lazy("Hulpkaart"), "hulpverlening"),
    ("easy_read", gettext_lazy("Voor de persoon"), None),
]
REFERRAL_ACTION_LABELS = {
    "accept": gettext_lazy("Aanbieder accepteert"),
    "decline": gettext_lazy("Aanbieder wijst af"),
    "start": gettext_lazy("Hulp is gestart"),
    "end": gettext_lazy("Hulp is gestopt"),
    "withdraw": gettext_lazy("Verwijzing intrekken"),
}


# -- helpers ----------------------------------------------------------------------------------


def _actor(request):
    actor = request.actor
    if not can(actor, "case.view"):
        raise Http404
    return actor


def _case(request, public_id) -> Case:
    return selectors.case_get_for(actor=_actor(request), public_id=public_id)


def _apply_errors(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, texts in error.message_dict.items():
        form.add_error(field if field in form.fields else None, texts)


def _manage(case: Case) -> None:
    if not case.access.can_manage:
        raise PermissionDenied("case.manage")


def _show(value) -> str:
    if value in (None, "", [], {}):
        return "–"
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, datetime.date):
        return date_format(value, "j F Y")
    return str(value)


def _stored_values(form, current) -> list[tuple[str, str]]:
    """What is stored now, field by field, for the conflict notice."""
    if current is None:
        return []
    rows = []
    forms_labels = dict(sources.form_choices())
    for name, field in form.fields.items():
        if name == "version":
            continue
        attribute = "forms" if name == "exploitation" else name
        if not hasattr(current, attribute):
            continue
        value = getattr(current, attribute)
        display = getattr(current, f"get_{attribute}_display", None)
        if display is not None:
            value = display()
        elif attribute == "forms":
            value = ", ".join(str(forms_labels.get(f, f)) for f in value)
        elif hasattr(value, "all"):
            value = ", ".join(str(v) for v in value.all())
        rows.append((str(field.label), _show(value)))
    return rows


def _conflict(request, form_class, conflict, **form_kwargs):
    """Keep what the user typed, with the version that is stored now, and explain."""
    data = request.POST.copy()
    data["version"] = conflict.current_version
    form = form_class(data, **form_kwargs)
    form.is_valid()
    form.add_error(
        None,
        _(
            "Iemand anders heeft dit net gewijzigd. Uw wijziging is niet opgeslagen. Hieronder "
            "staat wat nu is opgeslagen. Pas het formulier zo nodig aan en sla opnieuw op."
        ),
    )
    return form, _stored_values(form, conflict.current)


def _refusal(error) -> dict:
    return {
        "reasons": list(getattr(error, "reasons", []) or [str(error)]),
        "hints": list(getattr(error, "hints", [])),
    }


def _header(request, case: Case) -> dict:
    access = case.access
    rules = case_rules()
    lvb = selectors.lvb_for(actor=request.actor, case=case)
    tabs = [(key, label) for key, label, category in TABS if not category or access.sees(category)]
    person = case.person
    eighteen = add_months(person.date_of_birth, 216) if person.date_of_birth else None
    return {
        "case": case,
        "access": access,
        "rules": rules,
        "lvb": lvb,
        "tabs": tabs,
        "open_handover": selectors.open_handover(case),
        "stand_in": access.is_backup and not lead_can_act(case),
        "eighteen_on": eighteen,
        "is_minor": eighteen is not None and timezone.localdate() < eighteen,
    }


def _page(request, template, case, tab, context=None, status=200):
    ctx = {**_header(request, case), "tab": tab, **(context or {})}
    return render(request, template, ctx, status=status)


def _url(name, case, **kwargs) -> str:
    return reverse(f"cases:{name}", kwargs={"public_id": case.public_id, **kwargs})


# -- start page, new case, figures ------------------------------------------------------------


@login_required
@require_GET
def index(request):
    actor = request.actor
    if not can(actor, "case.view"):
        if can(actor, "case.figures"):
            return redirect("cases:figures")
        raise Http404
    status = request.GET.get("status", "open")
    if status not in ("open", "closed", "all"):
        status = "open"
    cases = selectors.case_list_for(actor=actor)
    tasks = selectors.my_tasks_for(actor=actor, cases=cases)
    for task in tasks:
        task.display_title = task_title(task)
    shown = cases if status == "all" else [c for c in cases if c.status == status]
    context = {
        "cases": shown,
        "status": status,
        "counts": {
            "open": sum(1 for c in cases if c.status == Case.Status.OPEN),
            "closed": sum(1 for c in cases if c.status == Case.Status.CLOSED),
            "all": len(cases),
        },
        "tasks": tasks,
        "overdue": sum(1 for t in tasks if t.overdue),
        "handovers": selectors.handovers_offered_to(actor=actor),
        "stand_in": selectors.stand_in_cases(cases),
        "can_create": can(actor, "case.create"),
        "is_police": actor.organisation.domain == "politie",
    }
    return render(request, "cases/index.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def case_create(request):
    from schakel.people.selectors import person_get_for, person_list_for

    actor = _actor(request)
    if not can(actor, "case.create"):
        raise PermissionDenied("case.create")
    persons = list(person_list_for(actor=actor, per_page=100).object_list)
    chosen = request.GET.get("persoon")
    if chosen and chosen not in {str(p.public_id) for p in persons}:
        persons.insert(0, person_get_for(actor=actor, public_id=chosen))
    colleagues = [
        m
        for m in Membership.objects.filter(
            organisation=actor.organisation, is_active=True, user__is_active=True
        )
        .exclude(pk=actor.pk)
        .select_related("user", "organisation")
        if can(m, "case.view")
    ]
    kwargs = {"persons": persons, "colleagues": colleagues}
    if request.method == "POST":
        form = case_forms.CaseCreateForm(request.POST, **kwargs)
        if form.is_valid():
            data = form.cleaned_data
            person = next(p for p in persons if str(p.public_id) == data["person"])
            try:
                case = services.case_create(
                    actor=actor,
                    person=person,
                    involvement=data["involvement"],
                    backup=form.colleagues.get(data["backup"]),
                    forms=data["exploitation"],
                    help_question=data["help_question"],
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("De casus is gestart. U bent de regiehouder."))
                return redirect("cases:detail", public_id=case.public_id)
    else:
        form = case_forms.CaseCreateForm(initial={"person": chosen or ""}, **kwargs)
    status = 400 if form.errors else 200
    return render(request, "cases/case_form.html", {"form": form}, status=status)


@login_required
@require_GET
def organisation_figures(request):
    figures = selectors.organisation_figures_for(actor=request.actor)
    return render(request, "cases/figures.html", {"figures": figures})


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


# -- the case ---------------------------------------------------------------------------------


@login_required
@require_GET
def case_detail(request, public_id):
    case = _case(request, public_id)
    actor = request.actor
    tasks = [t for t in selectors.tasks_for(actor=actor, case=case) if t.status == Task.Status.OPEN]
    for task in tasks:
        task.display_title = task_title(task)
    context = {
        "figures": selectors.case_figures(actor=actor, case=case),
        "tasks": tasks[:5],
        "forms_labels": [str(dict(sources.form_choices()).get(f, f)) for f in case.forms],
        "can_lead": case.access.is_lead or (case.access.is_backup and not lead_can_act(case)),
    }
    return _page(request, "cases/detail.html", case, "detail", context)


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request, public_id):
    case = _case(request, public_id)
    _manage(case)
    stored, status = [], 200
    if request.method == "POST":
        form = case_forms.CaseEditForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.case_update(
                    actor=request.actor,
                    case=case,
                    expected_version=data["version"],
                    involvement=data["involvement"],
                    forms=data["exploitation"],
                    help_question=data["help_question"],
                )
            except services.StaleEdit as conflict:
                form, stored = _conflict(request, case_forms.CaseEditForm, conflict)
                status = 409
            except ValidationError as error:
                _apply_errors(form, error)
                status = 400
            else:
                messages.success(request, _("De casus is bijgewerkt."))
                return redirect("cases:detail", public_id=case.public_id)
        else:
            status = 400
    else:
        form = case_forms.CaseEditForm(
            initial={
                "version": case.version,
                "involvement": case.involvement,
                "exploitation": case.forms,
                "help_question": case.help_question,
            }
        )
    context = {"form": form, "stored": stored, "title": _("Casus wijzigen")}
    return _page(request, "cases/simple_form.html", case, "detail", context, status)


def _reason_page(request, public_id, *, closing: bool):
    case = _case(request, public_id)
    if not (case.access.is_lead or (case.access.is_backup and not lead_can_act(case))):
        raise PermissionDenied("case.lead")
    form_class = case_forms.CaseCloseForm if closing else case_forms.ReasonForm
    stored, status = [], 200
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if closing:
                    services.case_close(
                        actor=request.actor,
                        case=case,
                        expected_version=data["version"],
                        closed_on=data["closed_on"],
                        reason=data["reason"],
                        no_aftercare_reason=data["no_aftercare_reason"],
                    )
                else:
                    services.case_reopen(
                        actor=request.actor,
                        case=case,
                        expected_version=data["version"],
                        reason=data["reason"],
                    )
            except services.StaleEdit as conflict:
                form, stored = _conflict(request, form_class, conflict)
                status = 409
            except ValidationError as error:
                _apply_errors(form, error)
                status = 400
            else:
                messages.success(
                    request,
                    _("De casus is afgesloten. De nazorgmomenten staan bij de taken.")
                    if closing
                    else _("De casus loopt weer."),
                )
                return redirect("cases:detail", public_id=case.public_id)
        else:
            status = 400
    else:
        initial = {"version": case.version}
        if closing:
            initial["closed_on"] = timezone.localdate()
        form = form_class(initial=initial)
    has_plan = hasattr(case, "aftercare") and case.aftercare is not None
    context = {
        "form": form,
        "stored": stored,
        "closing": closing,
        "has_plan": has_plan,
        "title": _("Casus afsluiten") if closing else _("Casus weer openen"),
    }
    return _page(request, "cases/close.html", case, "detail", context, status)


@login_required
@require_http_methods(["GET", "POST"])
def case_close(request, public_id):
    return _reason_page(request, public_id, closing=True)


@login_required
@require_http_methods(["GET", "POST"])
def case_reopen(request, public_id):
    return _reason_page(request, public_id, closing=False)


@login_required
@require_http_methods(["GET", "POST"])
def residence(request, public_id):
    case = _case(request, public_id)
    _manage(case)
    stored, status = [], 200
    if request.method == "POST":
        form = case_forms.ResidenceForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.residence_update(
                    actor=request.actor, case=case, expected_version=version, **data
                )
            except services.StaleEdit as conflict:
                form, stored = _conflict(request, case_forms.ResidenceForm, conflict)
                status = 409
            except ValidationError as error:
                _apply_errors(form, error)
                status = 400
            else:
                messages.success(request, _("Het verblijf is bijgewerkt."))
                return redirect("cases:detail", public_id=case.public_id)
        else:
            status = 400
    else:
        form = case_forms.ResidenceForm(
            initial={
                "version": case.version,
                **{name: getattr(case, name) for name in services.RESIDENCE_FIELDS},
            }
        )
    context = {
        "form": form,
        "stored": stored,
        "title": _("Verblijf van een buitenlands slachtoffer"),
        "intro": _(
            "De bedenktijd duurt hoogstens 3 maanden. In die tijd beslist de persoon of hij of "
            "zij aangifte doet of meewerkt. Schakel zet twee weken voor het einde een taak klaar "
            "voor de regiehouder."
        ),
    }
    return _page(request, "cases/simple_form.html", case, "detail", context, status)


# -- timeline ---------------------------------------------------------------------------------


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
                _apply_errors(form, error)
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
                _apply_errors(form, error)
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


# -- team -------------------------------------------------------------------------------------


@login_required
@require_GET
def team(request, public_id):
    case = _case(request, public_id)
    actor = request.actor
    members = selectors.members_for(actor=actor, case=case, include_ended=True)
    context = {
        "members": [m for m in members if m.ended_at is None],
        "former": [m for m in members if m.ended_at is not None],
        "handovers": selectors.handovers_for(actor=actor, case=case),
        "can_lead": case.access.is_lead or (case.access.is_backup and not lead_can_act(case)),
    }
    return _page(request, "cases/team.html", case, "team", context)


@login_required
@require_http_methods(["GET", "POST"])
def member_add(request, public_id):
    case = _case(request, public_id)
    _manage(case)
    organisations = selectors.organisations_for_members()
    refusal, status = None, 200
    if request.method == "POST":
        form = case_forms.MemberAddForm(request.POST, organisations=organisations)
        if form.is_valid():
            data = form.cleaned_data
            membership = selectors.membership_for_case(
                organisation=data["organisation"], email=data["email"]
            )
            if membership is None:
                form.add_error(
                    "email",
                    _(
                        "Wij vinden bij deze organisatie geen professional met dit e-mailadres "
                        "die met casussen werkt."
                    ),
                )
                status = 400
            else:
                try:
                    services.case_member_add(
                        actor=request.actor,
                        case=case,
                        membership=membership,
                        role=data["role"],
                        lvb_expertise=data["lvb_expertise"],
                        data_categories=data["data_categories"],
                    )
                except sources.sharing_not_allowed() as error:
                    refusal, status = _refusal(error), 403
                except ValidationError as error:
                    _apply_errors(form, error)
                    status = 400
                else:
                    messages.success(request, _("Het lid is toegevoegd."))
                    return redirect("cases:team", public_id=case.public_id)
        else:
            status = 400
    else:
        form = case_forms.MemberAddForm(organisations=organisations)
    context = {"form": form, "refusal": refusal, "title": _("Lid toevoegen")}
    return _page(request, "cases/member_form.html", case, "team", context, status)


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request, public_id, pk):
    case = _case(request, public_id)
    _manage(case)
    member = selectors.member_get_for(actor=request.actor, case=case, pk=pk)
    full = member.organisation_id == case.organisation_id or member.membership_id in (
        case.lead_id,
        case.backup_id,
    )
    kwargs = {"with_categories": not full}
    refusal, stored, status = None, [], 200
    if request.method == "POST":
        form = case_forms.MemberEditForm(request.POST, **kwargs)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.case_member_update(
                    actor=request.actor,
                    case=case,
                    member=member,
                    expected_version=data["version"],
                    role=data["role"],
                    lvb_expertise=data["lvb_expertise"],
                    data_categories=data.get("data_categories") if not full else None,
                )
            except sources.sharing_not_allowed() as error:
                refusal, status = _refusal(error), 403
            except services.StaleEdit as conflict:
                form, stored = _conflict(request, case_forms.MemberEditForm, conflict, **kwargs)
                status = 409
            except ValidationError as error:
                _apply_errors(form, error)
                status = 400
            else:
                messages.success(request, _("Het lid is bijgewerkt."))
                return redirect("cases:team", public_id=case.public_id)
        else:
            status = 400
    else:
        form = case_forms.MemberEditForm(
            initial={
                "version": member.version,
                "role": member.role,
                "lvb_expertise": member.lvb_expertise,
                "data_categories": member.data_categories,
            },
            **kwargs,
        )
    context = {
        "form": form,
        "member": member,
        "refusal": refusal,
        "stored": stored,
        "end_form": case_forms.MemberEndForm(),
        "title": _("Lid wijzigen"),
    }
    return _page(request, "cases/member_form.html", case, "team", context, status)


@login_required
@require_POST
def member_end(request, public_id, pk):
    case = _case(request, public_id)
    member = selectors.member_get_for(actor=request.actor, case=case, pk=pk)
    form = case_forms.MemberEndForm(request.POST)
    form.is_valid()
    try:
        services.case_member_end(
            actor=request.actor, case=case, member=member, reason=form.cleaned_data.get("reason")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("cases:team", public_id=case.public_id)
    if member.membership_id == request.actor.pk:
        messages.success(request, _("U doet niet meer mee aan deze casus."))
        return redirect("cases:index")
    messages.success(request, _("Het lid doet niet meer mee. Open taken gaan naar de regiehouder."))
    return redirect("cases:team", public_id=case.public_id)


@login_required
@require_POST
def member_recheck(request, public_id, pk):
    case = _case(request, public_id)
    member = selectors.member_get_for(actor=request.actor, case=case, pk=pk)
    try:
        services.case_member_recheck(actor=request.actor, case=case, member=member)
    except sources.sharing_not_allowed() as error:
        messages.error(request, " ".join(_refusal(error)["reasons"]))
    else:
        messages.success(request, _("Er is een geldige grondslag vastgelegd."))
    return redirect("cases:team", public_id=case.public_id)


@login_required
@require_http_methods(["GET", "POST"])
def backup_set(request, public_id):
    case = _case(request, public_id)
    if not case.access.is_lead:
        raise PermissionDenied("case.lead")
    members = [
        m
        for m in selectors.members_for(actor=request.actor, case=case)
        if m.membership_id not in (case.lead_id, case.backup_id)
    ]
    refusal, stored, status = None, [], 200
    if request.method == "POST":
        form = case_forms.BackupForm(request.POST, members=members)
        if form.is_valid():
            try:
                services.case_backup_set(
                    actor=request.actor,
                    case=case,
                    member=form.member("backup"),
                    expected_version=form.cleaned_data["version"],
                )
            except sources.sharing_not_allowed() as error:
                refusal, status = _refusal(error), 403
            except services.StaleEdit as conflict:
                form, stored = _conflict(request, case_forms.BackupForm, conflict, members=members)
                status = 409
            except ValidationError as error:
                _apply_errors(form, error)
                status = 400
            else:
                messages.success(request, _("De achtervang is gewijzigd."))
                return redirect("cases:team", public_id=case.public_id)
        else:
            status = 400
    else:
        form = case_forms.BackupForm(initial={"version": case.version}, members=members)
    context = {"form": form, "refusal": refusal, "stored": stored, "title": _("Achtervang kiezen")}
    return _page(request, "cases/member_form.html", case, "team", context, status)


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
                _apply_errors(form, error)
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
                _apply_errors(accept_form, error)
            elif action == "decline":
                _apply_errors(decline_form, error)
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


# -- help: referrals and placements -----------------------------------------------------------


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
                _apply_errors(form, error)
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
                data = request.POST.copy()
                data[f"{action}-version"] = conflict.current_version
                form = case_forms.ReferralStepForm(data, prefix=action)
                form.is_valid()
                form.add_error(None, conflict.messages[0])
                current = conflict.current
                stored = [
                    (_("Status"), str(current.get_status_display())),
                    (_("Reden"), current.decline_reason or current.end_reason or "–"),
                ]
                status = 409
            except ValidationError as error:
                _apply_errors(form, error)
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
                _apply_errors(form, error)
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
                    _apply_errors(form, error)
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


# -- meetings and tasks -----------------------------------------------------------------------


@login_required
@require_GET
def meetings(request, public_id):
    case = _case(request, public_id)
    context = {"meetings": selectors.meetings_for(actor=request.actor, case=case)}
    return _page(request, "cases/meetings.html", case, "meetings", context)


def _active_members(request, case):
    return selectors.members_for(actor=request.actor, case=case)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request, public_id):
    case = _case(request, public_id)
    _manage(case)
    members = _active_members(request, case)
    status = 200
    if request.method == "POST":
        form = case_forms.MeetingForm(request.POST, members=members)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("participants")
            try:
                meeting = services.meeting_create(
                    actor=request.actor, case=case, participants=form.chosen_members(), **data
                )
            except ValidationError as error:
                _apply_errors(form, error)
                status = 400
            else:
                messages.success(request, _("Het overleg is gepland."))
                return redirect("cases:meeting", public_id=case.public_id, pk=meeting.pk)
        else:
            status = 400
    else:
        form = case_forms.MeetingForm(
            initial={
                "kind": Meeting.Kind.REGIETAFEL,
                "participants": [str(m.pk) for m in members],
            },
            members=members,
        )
    context = {"form": form, "lvb_positive": selectors.lvb_for(actor=request.actor, case=case)}
    return _page(request, "cases/meeting_form.html", case, "meetings", context, status)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_detail(request, public_id, pk):
    case = _case(request, public_id)
    actor = request.actor
    meeting = selectors.meeting_get_for(actor=actor, case=case, pk=pk)
    members = _active_members(request, case)
    manage = case.access.can_manage
    status, stored = 200, []
    edit_form = decision_form = task_form = None
    if manage:
        edit_form = case_forms.MeetingEditForm(
            initial={
                "version": meeting.version,
                "kind": meeting.kind,
                "date": meeting.date,
                "time": meeting.time,
                "agenda": meeting.agenda,
                "participants": [str(m.pk) for m in meeting.participants.all()],
                "other_participants": meeting.other_participants,
                "person_present": meeting.person_present,
                "external_lvb_expert": meeting.external_lvb_expert,
                "status": meeting.status,
                "minutes": meeting.minutes,
            },
            members=members,
        )
        decision_form = case_forms.DecisionForm()
        task_form = case_forms.TaskForm(members=members, prefix="taak")
    if request.method == "POST":
        if not manage:
            raise PermissionDenied("case.manage")
        what = request.POST.get("what")
        if what == "meeting":
            edit_form = case_forms.MeetingEditForm(request.POST, members=members)
            if edit_form.is_valid():
                data = dict(edit_form.cleaned_data)
                data.pop("participants")
                version = data.pop("version")
                try:
                    services.meeting_update(
                        actor=actor,
                        case=case,
                        meeting=meeting,
                        expected_version=version,
                        participants=edit_form.chosen_members(),
                        **data,
                    )
                except services.StaleEdit as conflict:
                    edit_form, stored = _conflict(
                        request, case_forms.MeetingEditForm, conflict, members=members
                    )
                    status = 409
                except ValidationError as error:
                    _apply_errors(edit_form, error)
                    status = 400
                else:
                    messages.success(request, _("Het overleg is bijgewerkt."))
                    return redirect("cases:meeting", public_id=case.public_id, pk=meeting.pk)
            else:
                status = 400
        elif what == "decision":
            decision_form = case_forms.DecisionForm(request.POST)
            decision_form.is_valid()
            try:
                services.event_record(
                    actor=actor,
                    case=case,
                    kind="decision",
                    occurred_on=min(meeting.date, timezone.localdate()),
                    text=decision_form.cleaned_data.get("text", ""),
                    meeting=meeting,
                )
            except ValidationError as error:
                _apply_errors(decision_form, error)
                status = 400
            else:
                messages.success(request, _("Het besluit staat op de tijdlijn."))
                return redirect(_url("meeting", case, pk=meeting.pk) + "#besluiten")
        elif what == "task":
            task_form = case_forms.TaskForm(request.POST, members=members, prefix="taak")
            if task_form.is_valid():
                data = task_form.cleaned_data
                try:
                    services.task_create(
                        actor=actor,
                        case=case,
                        title=data["title"],
                        owner=task_form.chosen_owner(),
                        due_on=data["due_on"],
                        description=data["description"],
                        meeting=meeting,
                    )
                except ValidationError as error:
                    _apply_errors(task_form, error)
                    status = 400
                else:
                    messages.success(request, _("De afspraak is een taak geworden."))
                    return redirect(_url("meeting", case, pk=meeting.pk) + "#afspraken")
            else:
                status = 400
        else:
            raise Http404
        meeting = selectors.meeting_get_for(actor=actor, case=case, pk=pk)
    for task in meeting.agreements:
        task.display_title = task_title(task)
    context = {
        "meeting": meeting,
        "edit_form": edit_form,
        "decision_form": decision_form,
        "task_form": task_form,
        "stored": stored,
    }
    return _page(request, "cases/meeting.html", case, "meetings", context, status)


@login_required
@require_GET
def tasks(request, public_id):
    case = _case(request, public_id)
    items = selectors.tasks_for(actor=request.actor, case=case)
    for task in items:
        task.display_title = task_title(task)
    context = {
        "open_tasks": [t for t in items if t.status == Task.Status.OPEN],
        "closed_tasks": [t for t in items if t.status != Task.Status.OPEN],
    }
    return _page(request, "cases/tasks.html", case, "tasks", context)


@login_required
@require_http_methods(["GET", "POST"])
def task_create(request, public_id):
    case = _case(request, public_id)
    _manage(case)
    members = _active_members(request, case)
    status = 200
    if request.method == "POST":
        form = case_forms.TaskForm(request.POST, members=members)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.task_create(
                    actor=request.actor,
                    case=case,
                    title=data["title"],
                    owner=form.chosen_owner(),
                    due_on=data["due_on"],
                    description=data["description"],
                )
            except ValidationError as error:
                _apply_errors(form, error)
                status = 400
            else:
                messages.success(request, _("De taak is gemaakt."))
                return redirect("cases:tasks", public_id=case.public_id)
        else:
            status = 400
    else:
        form = case_forms.TaskForm(members=members)
    context = {"form": form, "title": _("Taak maken")}
    return _page(request, "cases/simple_form.html", case, "tasks", context, status)


@login_required
@require_http_methods(["GET", "POST"])
def task_detail(request, public_id, pk):
    case = _case(request, public_id)
    task = selectors.task_get_for(actor=request.actor, case=case, pk=pk)
    task.display_title = task_title(task)
    may_update = case.access.can_manage or task.owner_id == request.actor.pk
    stored, status = [], 200
    form = None
    if may_update:
        if request.method == "POST":
            form = case_forms.TaskUpdateForm(request.POST, task=task)
            if form.is_valid():
                data = form.cleaned_data
                checklist = None
                if "checklist" in form.fields:
                    checklist = {key: key in data["checklist"] for key in task.checklist}
                try:
                    services.task_update(
                        actor=request.actor,
                        case=case,
                        task=task,
                        expected_version=data["version"],
                        status=data["status"],
                        checklist=checklist,
                    )
                except services.StaleEdit as conflict:
                    form, stored = _conflict(
                        request, case_forms.TaskUpdateForm, conflict, task=task
                    )
                    if conflict.current is not None:
                        done = [k for k, v in conflict.current.checklist.items() if v]
                        stored.append((_("Afgevinkt"), ", ".join(done) or "–"))
                    status = 409
                except ValidationError as error:
                    _apply_errors(form, error)
                    status = 400
                else:
                    messages.success(request, _("De taak is bijgewerkt."))
                    return redirect("cases:tasks", public_id=case.public_id)
            else:
                status = 400
        else:
            form = case_forms.TaskUpdateForm(
                initial={
                    "version": task.version,
                    "status": task.status,
                    "checklist": [k for k, v in (task.checklist or {}).items() if v],
                },
                task=task,
            )
    elif request.method == "POST":
        raise PermissionDenied("case.task")
    context = {"task": task, "form": form, "stored": stored}
    return _page(request, "cases/task.html", case, "tasks", context, status)


# -- aftercare and the crisis card ------------------------------------------------------------


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
                    _apply_errors(form, error)
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
                    _apply_errors(form, error)
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


# -- the overview for the person --------------------------------------------------------------


@login_required
@require_GET
def easy_read(request, public_id):
    case = _case(request, public_id)
    context = {"overview": selectors.easy_read_for(actor=request.actor, case=case)}
    return _page(request, "cases/easy_read.html", case, "easy_read", context)
