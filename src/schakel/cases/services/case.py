"""The case itself: start it, change what it is about, close it and open it again."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from schakel.accounts.models import Membership
from schakel.accounts.permissions import ensure_can
from schakel.core.dates import add_months
from schakel.core.validation import clean_date, clean_text, raise_if

from ..access import case_categories
from ..display import person_label
from ..models import AftercarePlan, Case, CaseMember, Event, Involvement, Task
from ..rules import case_rules
from ._common import (
    _clean_forms,
    _default_role,
    _event,
    _lead_or_stand_in,
    _locked,
    _log,
    _manager,
    _may_join,
    _system_task,
    _today,
)
from .tasks import transition_tasks_create


def case_create(
    *,
    actor: Membership,
    person,
    involvement: str,
    backup: Membership | None,
    forms=(),
    help_question: str = "",
    opened_on=None,
    today=None,
) -> Case:
    """Start a case for a person of the actor's organisation. The actor becomes the lead and
    `backup`, a colleague who works with cases, the named backup."""
    ensure_can(actor, "case.create")
    if person is None or person.owner_organisation_id != actor.organisation_id:
        raise PermissionDenied("person.owner")
    today = _today(today)
    errors: dict = {}
    if involvement not in Involvement.values:
        errors["involvement"] = _("Kies of de persoon slachtoffer, dader of allebei is.")
    forms = _clean_forms(forms, errors)
    help_question = clean_text(help_question, errors, "help_question")
    opened = clean_date(opened_on or today, errors, "opened_on", required=True, today=today)
    if not _may_join(backup) or backup.organisation_id != actor.organisation_id:
        errors["backup"] = _(
            "Kies een collega van uw organisatie die met casussen werkt. Iemand van een andere "
            "organisatie kan later achtervang worden, via het team."
        )
    elif backup.pk == actor.pk:
        errors["backup"] = _("De achtervang is iemand anders dan de regiehouder.")
    raise_if(errors)
    everything = sorted(case_categories())
    with transaction.atomic():
        case = Case.objects.create(
            person=person,
            organisation=actor.organisation,
            involvement=involvement,
            forms=forms,
            help_question=help_question,
            lead=actor,
            backup=backup,
            opened_on=opened,
            created_by=actor,
        )
        case.reference = f"C-{opened.year}-{case.pk:05d}"
        case.save(update_fields=["reference"])
        CaseMember.objects.create(
            case=case,
            membership=actor,
            organisation=actor.organisation,
            role=_default_role(actor),
            data_categories=everything,
            joined_by=actor,
        )
        CaseMember.objects.create(
            case=case,
            membership=backup,
            organisation=backup.organisation,
            role=_default_role(backup),
            data_categories=everything,
            joined_by=actor,
        )
        _event(
            case,
            Event.Kind.CASE_OPENED,
            actor,
            occurred_on=opened,
            data={"lead": person_label(actor), "backup": person_label(backup)},
        )
        _log(actor, case, "create")
        transition_tasks_create(case, today=today)
    return case


CASE_FIELD_LABELS = {
    "involvement": _("betrokkenheid"),
    "forms": _("vormen van uitbuiting"),
    "help_question": _("hulpvraag"),
}


def case_update(
    *,
    actor: Membership,
    case: Case,
    expected_version,
    involvement: str | None = None,
    forms=None,
    help_question: str | None = None,
) -> Case:
    """Change what the case is about (lead or backup). Only the fields passed change."""
    _manager(actor, case)
    errors: dict = {}
    changes = {}
    if involvement is not None:
        if involvement not in Involvement.values:
            errors["involvement"] = _("Kies of de persoon slachtoffer, dader of allebei is.")
        changes["involvement"] = involvement
    if forms is not None:
        changes["forms"] = _clean_forms(forms, errors)
    if help_question is not None:
        changes["help_question"] = clean_text(help_question, errors, "help_question")
    raise_if(errors)
    with transaction.atomic():
        current = _locked(Case, case.pk, expected_version)
        changed = {k: v for k, v in changes.items() if getattr(current, k) != v}
        if not changed:
            return current
        for name, value in changed.items():
            setattr(current, name, value)
        current.version += 1
        current.save()
        labels = [str(CASE_FIELD_LABELS[name]) for name in changed]
        _event(
            current,
            Event.Kind.CASE_CHANGED,
            actor,
            data={"fields": sorted(changed), "labels": labels},
        )
        _log(actor, current, "update")
    return current


def case_close(
    *,
    actor: Membership,
    case: Case,
    expected_version,
    reason: str,
    closed_on=None,
    no_aftercare_reason: str = "",
    today=None,
) -> Case:
    """Close the case. Only the lead does this (or the backup when the lead cannot act): a case
    never closes by itself. Plans the aftercare follow-ups (3, 6, 12 months) for the lead."""
    _lead_or_stand_in(actor, case)
    today = _today(today)
    errors: dict = {}
    reason = clean_text(reason, errors, "reason", required=True, message=_("Schrijf op waarom."))
    closed = clean_date(
        closed_on or today,
        errors,
        "closed_on",
        required=True,
        today=today,
        not_before=case.opened_on,
    )
    has_plan = AftercarePlan.objects.filter(case=case).exists()
    no_aftercare_reason = clean_text(no_aftercare_reason, errors, "no_aftercare_reason")
    if not has_plan and not no_aftercare_reason and "no_aftercare_reason" not in errors:
        errors["no_aftercare_reason"] = _(
            "Er is nog geen nazorgplan. Maak er een, of schrijf op waarom er geen nazorg nodig is."
        )
    raise_if(errors)
    with transaction.atomic():
        current = _locked(Case, case.pk, expected_version)
        if current.status != Case.Status.OPEN:
            raise ValidationError({"status": _("Deze casus is al afgesloten.")})
        current.status = Case.Status.CLOSED
        current.closed_on = closed
        current.close_reason = reason
        current.no_aftercare_reason = "" if has_plan else no_aftercare_reason
        current.version += 1
        current.save()
        for months in case_rules().follow_up_months:
            _system_task(
                current,
                kind=Task.Kind.AFTERCARE,
                key=f"aftercare:{closed.isoformat()}:{months}",
                owner=current.lead,
                due_on=add_months(closed, months),
                params={"months": months, "closed_on": closed.isoformat()},
            )
        _event(current, Event.Kind.CASE_CLOSED, actor, occurred_on=closed, text=reason)
        _log(actor, current, "update")
    return current


def case_reopen(*, actor: Membership, case: Case, expected_version, reason: str) -> Case:
    """Open a closed case again; the open aftercare follow-ups lapse."""
    _lead_or_stand_in(actor, case)
    errors: dict = {}
    reason = clean_text(reason, errors, "reason", required=True, message=_("Schrijf op waarom."))
    raise_if(errors)
    with transaction.atomic():
        current = _locked(Case, case.pk, expected_version)
        if current.status != Case.Status.CLOSED:
            raise ValidationError({"status": _("Deze casus loopt nog.")})
        current.status = Case.Status.OPEN
        current.closed_on = None
        current.version += 1
        current.save()
        Task.objects.filter(case=current, kind=Task.Kind.AFTERCARE, status=Task.Status.OPEN).update(
            status=Task.Status.CANCELLED
        )
        _event(current, Event.Kind.CASE_REOPENED, actor, text=reason)
        _log(actor, current, "update")
    return current
