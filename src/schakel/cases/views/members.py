"""The team: add, change, end and recheck members; choose the backup."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from schakel.core.forms import apply_errors

from .. import forms as case_forms
from .. import selectors, services, sources
from ..access import lead_can_act
from ._common import _case, _conflict, _manage, _page, _refusal


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
                    apply_errors(form, error)
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
                apply_errors(form, error)
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
                apply_errors(form, error)
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
