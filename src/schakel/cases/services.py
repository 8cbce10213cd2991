"""All writes of the case capability. Each function checks who may do it, validates (errors name
the field), writes inside one transaction with a timeline event and a processing-log entry
(activity "case_coordination"), and refuses a stale edit with StaleEdit.

Invariants kept here:
- a case always has exactly one lead and a named backup (two non-null fields, never equal, both
  active members); the lead changes only when the new lead accepts a handover;
- nothing changes by itself: the daily job only adds tasks, it never changes a case;
- the timeline is append-only; a correction is a new event pointing at the old one;
- every organisation that joins, every referral and every shared crisis card passes the privacy
  gate (`sources.share`) before anything is written.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.accounts.models import Membership, Organisation, Role
from schakel.accounts.permissions import can, ensure_can
from schakel.core.concurrency import StaleEdit
from schakel.privacy.services import processing_record

from . import sources
from .access import BASE_CATEGORY, access_for, case_categories, lead_can_act
from .models import (
    AftercarePlan,
    Case,
    CaseMember,
    CrisisCard,
    CrisisCardShare,
    Event,
    Handover,
    Involvement,
    Meeting,
    MemberRole,
    Placement,
    PlacementKind,
    Referral,
    ResidenceStatus,
    Task,
)
from .rules import add_months, case_rules

ACTIVITY = "case_coordination"
TEXT_MAX = 4000
SHORT_MAX = 200
DEFAULT_MEMBER_CATEGORIES = ["identificatie", "hulpvraag", "hulpverlening", "tijdlijn"]
DEFAULT_REFERRAL_CATEGORIES = ["identificatie", "hulpvraag"]
MANUAL_KINDS = (
    Event.Kind.SIGNAL,
    Event.Kind.NOTE,
    Event.Kind.DECISION,
    Event.Kind.POLICE_FIRST_CONTACT,
    Event.Kind.POLICE_INTAKE,
    Event.Kind.POLICE_REPORT,
)
SYSTEM_TASK_KINDS = (Task.Kind.TRANSITION, Task.Kind.AFTERCARE, Task.Kind.REFLECTION)


# -- helpers ----------------------------------------------------------------------------------


def _log(actor, case: Case, operation: str) -> None:
    processing_record(actor=actor, subject=case.person, activity=ACTIVITY, operation=operation)


def _today(today=None) -> datetime.date:
    return today or timezone.localdate()


def _access(actor, case: Case):
    access = access_for(actor, case)
    if access is None:
        raise Http404
    return access


def _manager(actor, case: Case):
    """The lead or the backup."""
    access = _access(actor, case)
    if not access.can_manage:
        raise PermissionDenied("case.manage")
    return access


def _lead_or_stand_in(actor, case: Case):
    """The lead; or the backup when the lead can no longer act."""
    access = _access(actor, case)
    if access.is_lead or (access.is_backup and not lead_can_act(case)):
        return access
    raise PermissionDenied("case.lead")


def person_label(membership: Membership | None) -> str:
    if membership is None:
        return _("Schakel (automatisch)")
    user = membership.user
    return f"{user.full_name or user.email} ({membership.organisation.name})"


def _event(case, kind, actor, *, occurred_on=None, text="", data=None, **links) -> Event:
    return Event.objects.create(
        case=case,
        kind=kind,
        occurred_on=occurred_on or timezone.localdate(),
        recorded_by=actor,
        recorded_by_label=person_label(actor),
        text=text,
        data=data or {},
        **links,
    )


def _text(value, errors: dict, field: str, *, required=False, limit=TEXT_MAX, message=None):
    value = (value or "").strip()
    if required and not value:
        errors[field] = message or _("Vul dit in.")
    elif len(value) > limit:
        errors[field] = _("Gebruik hier hoogstens %(limit)d tekens.") % {"limit": limit}
    return value


def _date(value, errors: dict, field: str, *, required=True, today=None, not_before=None):
    if value in (None, ""):
        if required:
            errors[field] = _("Vul een datum in.")
        return None
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not isinstance(value, datetime.date):
        try:
            value = datetime.date.fromisoformat(str(value))
        except ValueError:
            errors[field] = _("Vul een geldige datum in, bijvoorbeeld 2026-11-24.")
            return None
    if today is not None and value > today:
        errors[field] = _("Deze datum ligt in de toekomst.")
    elif not_before is not None and value < not_before:
        errors[field] = _("Deze datum ligt voor %(day)s.") % {"day": not_before.isoformat()}
    return value


def _expected(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError(
            {"version": _("De versie ontbreekt. Laad de pagina opnieuw.")}
        ) from None


def _locked(model, pk, expected_version):
    """The row, locked for this transaction; StaleEdit when its version is not the expected."""
    expected = _expected(expected_version)
    current = model.objects.select_for_update().get(pk=pk)
    if current.version != expected:
        raise StaleEdit(current_version=current.version, current=current)
    return current


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _may_join(membership: Membership | None) -> bool:
    return (
        membership is not None
        and membership.is_active
        and membership.user.is_active
        and can(membership, "case.view")
    )


def _default_role(membership: Membership) -> str:
    if membership.role == Role.CARE_COORDINATOR:
        return MemberRole.CARE_COORDINATOR
    return MemberRole.CAREGIVER


def _full_basis(*, actor, case: Case, membership: Membership):
    """The basis for a member who will see the whole case (lead or backup from elsewhere)."""
    if membership.organisation_id == case.organisation_id:
        return None
    return sources.share(
        actor=actor,
        person=case.person,
        recipient=membership.organisation,
        purpose=sources.CASE_PURPOSE,
        categories=sorted(case_categories()),
    )


def _member_data(member: CaseMember) -> dict:
    return {
        "name": member.membership.user.full_name or member.membership.user.email,
        "organisation": member.organisation.name,
        "role": member.role,
    }


def _name(membership: Membership) -> str:
    return membership.user.full_name or membership.user.email


def _active_member(case: Case, member: CaseMember | None) -> CaseMember | None:
    if member is None or member.case_id != case.pk or member.ended_at is not None:
        return None
    return member


# -- the case ---------------------------------------------------------------------------------


def _clean_forms(forms, errors: dict) -> list[str]:
    forms = list(dict.fromkeys(forms or []))
    if any(f not in sources.form_values() for f in forms):
        errors["forms"] = _("Kies alleen vormen van uitbuiting uit de lijst.")
    return forms


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
    help_question = _text(help_question, errors, "help_question")
    opened = _date(opened_on or today, errors, "opened_on", today=today)
    if not _may_join(backup) or backup.organisation_id != actor.organisation_id:
        errors["backup"] = _(
            "Kies een collega van uw organisatie die met casussen werkt. Iemand van een andere "
            "organisatie kan later achtervang worden, via het team."
        )
    elif backup.pk == actor.pk:
        errors["backup"] = _("De achtervang is iemand anders dan de regiehouder.")
    _raise(errors)
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
        transition_tasks_for(case, today=today)
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
        changes["help_question"] = _text(help_question, errors, "help_question")
    _raise(errors)
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
    reason = _text(reason, errors, "reason", required=True, message=_("Schrijf op waarom."))
    closed = _date(closed_on or today, errors, "closed_on", today=today, not_before=case.opened_on)
    has_plan = AftercarePlan.objects.filter(case=case).exists()
    no_aftercare_reason = _text(no_aftercare_reason, errors, "no_aftercare_reason")
    if not has_plan and not no_aftercare_reason and "no_aftercare_reason" not in errors:
        errors["no_aftercare_reason"] = _(
            "Er is nog geen nazorgplan. Maak er een, of schrijf op waarom er geen nazorg nodig is."
        )
    _raise(errors)
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
    reason = _text(reason, errors, "reason", required=True, message=_("Schrijf op waarom."))
    _raise(errors)
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


# -- members ----------------------------------------------------------------------------------


def _clean_categories(keys, errors: dict, *, field="data_categories") -> list[str]:
    allowed = case_categories()
    keys = list(dict.fromkeys(keys or []))
    if any(k not in allowed for k in keys):
        errors[field] = _("Kies alleen gegevens uit de lijst.")
    elif BASE_CATEGORY not in keys:
        errors[field] = _(
            "Kies in elk geval 'tijdlijn van de casus': zonder dat kan niemand meedoen."
        )
    return keys


def case_member_add(
    *,
    actor: Membership,
    case: Case,
    membership: Membership | None,
    role: str,
    lvb_expertise: bool = False,
    data_categories=None,
) -> CaseMember:
    """Add a professional to the case (lead or backup). From another organisation this passes
    the privacy gate first, for the chosen data; a refusal raises SharingNotAllowed."""
    _manager(actor, case)
    errors: dict = {}
    if not _may_join(membership):
        errors["membership"] = _("Kies een professional die met casussen werkt.")
    elif CaseMember.objects.filter(
        case=case, membership=membership, ended_at__isnull=True
    ).exists():
        errors["membership"] = _("Deze professional doet al mee.")
    if role not in MemberRole.values:
        errors["role"] = _("Kies een rol.")
    if data_categories is None:
        data_categories = DEFAULT_MEMBER_CATEGORIES
    categories = _clean_categories(data_categories, errors)
    _raise(errors)
    holder = membership.organisation_id == case.organisation_id
    if holder:
        categories = sorted(case_categories())
    plan = None
    if not holder:  # the decision before the transaction: a refusal stays in the log
        plan = sources.share_plan(
            actor=actor,
            person=case.person,
            recipient=membership.organisation,
            purpose=sources.CASE_PURPOSE,
            categories=categories,
        )
    with transaction.atomic():  # the basis and its "share" entry only with the member
        try:
            with transaction.atomic():
                basis = sources.share_record(actor=actor, plan=plan) if plan else None
                member = CaseMember.objects.create(
                    case=case,
                    membership=membership,
                    organisation=membership.organisation,
                    role=role,
                    lvb_expertise=bool(lvb_expertise),
                    data_categories=categories,
                    basis=basis,
                    joined_by=actor,
                )
        except IntegrityError:
            raise ValidationError({"membership": _("Deze professional doet al mee.")}) from None
        _event(case, Event.Kind.MEMBER_JOINED, actor, data=_member_data(member))
        _log(actor, case, "update" if holder else "share")
    return member


def case_member_update(
    *,
    actor: Membership,
    case: Case,
    member: CaseMember,
    expected_version,
    role: str | None = None,
    lvb_expertise: bool | None = None,
    data_categories=None,
) -> CaseMember:
    """Change a member's role, LVB expertise or data (more data passes the gate again)."""
    _manager(actor, case)
    if _active_member(case, member) is None:
        raise Http404
    errors: dict = {}
    if role is not None and role not in MemberRole.values:
        errors["role"] = _("Kies een rol.")
    categories = None
    full = member.membership_id in (case.lead_id, case.backup_id)
    holder = member.organisation_id == case.organisation_id
    if data_categories is not None and not (full or holder):
        categories = _clean_categories(data_categories, errors)
    _raise(errors)
    basis = None
    if categories is not None and not set(categories) <= set(member.data_categories):
        basis = sources.share(
            actor=actor,
            person=case.person,
            recipient=member.organisation,
            purpose=sources.CASE_PURPOSE,
            categories=categories,
        )
    with transaction.atomic():
        current = _locked(CaseMember, member.pk, expected_version)
        changed = False
        if role is not None and role != current.role:
            current.role, changed = role, True
        if lvb_expertise is not None and bool(lvb_expertise) != current.lvb_expertise:
            current.lvb_expertise, changed = bool(lvb_expertise), True
        if categories is not None and sorted(categories) != sorted(current.data_categories):
            current.data_categories, changed = categories, True
            if basis is not None:
                current.basis = basis
        if not changed:
            return current
        current.version += 1
        current.save()
        _event(case, Event.Kind.MEMBER_CHANGED, actor, data=_member_data(current))
        _log(actor, case, "share" if basis is not None else "update")
    return current


def case_member_recheck(*, actor: Membership, case: Case, member: CaseMember) -> CaseMember:
    """Pass the gate again for a member whose basis lapsed (a new consent or agreement)."""
    _manager(actor, case)
    if _active_member(case, member) is None:
        raise Http404
    if member.organisation_id == case.organisation_id:
        return member
    full = member.membership_id in (case.lead_id, case.backup_id)
    categories = sorted(case_categories()) if full else member.data_categories
    basis = sources.share(
        actor=actor,
        person=case.person,
        recipient=member.organisation,
        purpose=sources.CASE_PURPOSE,
        categories=categories,
    )
    with transaction.atomic():
        CaseMember.objects.filter(pk=member.pk).update(basis=basis, version=member.version + 1)
        member.basis, member.version = basis, member.version + 1
        _log(actor, case, "share")
    return member


def case_member_end(*, actor: Membership, case: Case, member: CaseMember, reason: str = ""):
    """End a membership (lead or backup; or the member themselves). From that moment the
    member gets 404 for the case. Their open tasks go to the lead."""
    access = _access(actor, case)
    if _active_member(case, member) is None:
        raise Http404
    if not access.can_manage and member.membership_id != actor.pk:
        raise PermissionDenied("case.manage")
    errors: dict = {}
    reason = _text(reason, errors, "reason")
    if member.membership_id == case.lead_id:
        errors["member"] = _("Dit is de regiehouder. Draag eerst de regie over.")
    elif member.membership_id == case.backup_id:
        errors["member"] = _("Dit is de achtervang. Kies eerst een andere achtervang.")
    elif Handover.objects.filter(
        case=case, status=Handover.Status.OFFERED, to_lead=member.membership
    ).exists():
        errors["member"] = _("Er staat een overdracht van de regie open voor deze professional.")
    _raise(errors)
    with transaction.atomic():
        current = CaseMember.objects.select_for_update().get(pk=member.pk)
        if current.ended_at is not None:
            raise Http404
        locked_case = Case.objects.select_for_update().get(pk=case.pk)
        if current.membership_id in (locked_case.lead_id, locked_case.backup_id):
            raise ValidationError({"member": _("Dit is de regiehouder of de achtervang.")})
        current.ended_at = timezone.now()
        current.ended_by = actor
        current.end_reason = reason
        current.version += 1
        current.save()
        Task.objects.filter(case=case, owner=current.membership, status=Task.Status.OPEN).update(
            owner=locked_case.lead
        )
        _event(case, Event.Kind.MEMBER_LEFT, actor, text=reason, data=_member_data(current))
        _log(actor, case, "update")
    return current


def case_backup_set(*, actor: Membership, case: Case, member: CaseMember, expected_version) -> Case:
    """Name another member as the backup (the lead does this)."""
    access = _access(actor, case)
    if not access.is_lead:
        raise PermissionDenied("case.lead")
    errors: dict = {}
    if _active_member(case, member) is None or not _may_join(member.membership):
        errors["backup"] = _("Kies een lid van de casus dat met casussen werkt.")
    elif member.membership_id == case.lead_id:
        errors["backup"] = _("De achtervang is iemand anders dan de regiehouder.")
    _raise(errors)
    if member.membership_id == case.backup_id:
        return case
    basis = _full_basis(actor=actor, case=case, membership=member.membership)
    with transaction.atomic():
        current = _locked(Case, case.pk, expected_version)
        previous = current.backup
        current.backup = member.membership
        current.version += 1
        current.save()
        _widen_member(current, member.membership, basis)
        _event(
            current,
            Event.Kind.BACKUP_CHANGED,
            actor,
            data={"backup": person_label(member.membership), "previous": person_label(previous)},
        )
        _log(actor, current, "update")
    return current


def _widen_member(case: Case, membership: Membership, basis) -> None:
    """The lead and the backup see the whole case."""
    member = CaseMember.objects.select_for_update().get(
        case=case, membership=membership, ended_at__isnull=True
    )
    member.data_categories = sorted(case_categories())
    if basis is not None:
        member.basis = basis
    member.version += 1
    member.save()


# -- lead handover ----------------------------------------------------------------------------


def handover_offer(
    *,
    actor: Membership,
    case: Case,
    to_member: CaseMember,
    new_backup: CaseMember | None = None,
    message: str = "",
) -> Handover:
    """Offer the lead to another member. Nothing changes until they accept."""
    _lead_or_stand_in(actor, case)
    errors: dict = {}
    message = _text(message, errors, "message")
    to = _active_member(case, to_member)
    if to is None or not _may_join(to.membership):
        errors["to_member"] = _("Kies een lid van de casus dat met casussen werkt.")
    elif to.membership_id == case.lead_id:
        errors["to_member"] = _("Dit is al de regiehouder.")
    backup = None
    if new_backup is not None:
        backup = _active_member(case, new_backup)
        if backup is None or not _may_join(backup.membership):
            errors["new_backup"] = _("Kies een lid van de casus dat met casussen werkt.")
        elif to is not None and backup.membership_id == to.membership_id:
            errors["new_backup"] = _("De achtervang is iemand anders dan de nieuwe regiehouder.")
    if (
        to is not None
        and "to_member" not in errors
        and backup is None
        and to.membership_id == case.backup_id
        and not lead_can_act(case)
    ):
        errors["new_backup"] = _(
            "De regiehouder kan geen achtervang worden. Kies een nieuwe achtervang."
        )
    if Handover.objects.filter(case=case, status=Handover.Status.OFFERED).exists():
        errors["to_member"] = _(
            "Er staat al een overdracht open. Trek die eerst in of wacht op het antwoord."
        )
    _raise(errors)
    basis = _full_basis(actor=actor, case=case, membership=to.membership)
    backup_basis = None
    if backup is not None and backup.membership_id != case.backup_id:
        backup_basis = _full_basis(actor=actor, case=case, membership=backup.membership)
    with transaction.atomic():
        try:
            with transaction.atomic():
                handover = Handover.objects.create(
                    case=case,
                    from_lead=case.lead,
                    to_lead=to.membership,
                    new_backup=backup.membership if backup else None,
                    message=message,
                    basis=basis,
                    backup_basis=backup_basis,
                    offered_by=actor,
                )
        except IntegrityError:
            raise ValidationError({"to_member": _("Er staat al een overdracht open.")}) from None
        _event(
            case,
            Event.Kind.HANDOVER_OFFERED,
            actor,
            text=message,
            data={"from": person_label(case.lead), "to": person_label(to.membership)},
        )
        _log(actor, case, "update")
    return handover


def handover_accept(
    *,
    actor: Membership,
    handover: Handover,
    talked_with_person: bool,
    history_read: bool,
    appointments_moved: bool,
    note: str = "",
) -> Case:
    """The new lead accepts, after the warm-handover checklist. Only now the lead changes."""
    case = handover.case
    _access(actor, case)
    if handover.to_lead_id != actor.pk:
        raise PermissionDenied("handover.to_lead")
    errors: dict = {}
    checks = {
        "talked_with_person": talked_with_person,
        "history_read": history_read,
        "appointments_moved": appointments_moved,
    }
    for item in case_rules().handover_checklist:
        if not checks[item.key]:
            errors[item.key] = _("Vink dit aan als het gedaan is: %(item)s.") % {"item": item.label}
    note = _text(note, errors, "note")
    _raise(errors)
    with transaction.atomic():
        current = Handover.objects.select_for_update().get(pk=handover.pk)
        if current.status != Handover.Status.OFFERED:
            raise ValidationError({"status": _("Deze overdracht staat niet meer open.")})
        locked = Case.objects.select_for_update().select_related("lead", "backup").get(pk=case.pk)
        if locked.lead_id != current.from_lead_id:
            raise ValidationError({"status": _("De regie is intussen al overgedragen.")})
        previous_lead = locked.lead
        if current.new_backup_id:
            backup = current.new_backup
        elif locked.backup_id != current.to_lead_id:
            backup = locked.backup
        else:
            backup = previous_lead
        backup_member = CaseMember.objects.filter(
            case=locked, membership=backup, ended_at__isnull=True
        ).first()
        if backup_member is None or not _may_join(backup) or backup.pk == actor.pk:
            raise ValidationError(
                {"new_backup": _("Er is geen geldige achtervang. Vraag om een nieuwe overdracht.")}
            )
        locked.lead = current.to_lead
        locked.backup = backup
        locked.version += 1
        locked.save()
        _widen_member(locked, current.to_lead, current.basis)
        if backup.pk != previous_lead.pk:
            _widen_member(locked, backup, current.backup_basis)
        Task.objects.filter(
            case=locked,
            owner=previous_lead,
            kind__in=SYSTEM_TASK_KINDS,
            status=Task.Status.OPEN,
        ).update(owner=current.to_lead)
        current.status = Handover.Status.ACCEPTED
        current.decided_at = timezone.now()
        current.talked_with_person = True
        current.history_read = True
        current.appointments_moved = True
        current.acceptance_note = note
        current.save()
        _event(
            locked,
            Event.Kind.HANDOVER_ACCEPTED,
            actor,
            text=note,
            data={
                "from": person_label(previous_lead),
                "to": person_label(current.to_lead),
                "backup": person_label(backup),
            },
        )
        _log(actor, locked, "update")
    return locked


def handover_decline(*, actor: Membership, handover: Handover, reason: str) -> Handover:
    """The member the lead was offered to says no (with a reason). The lead stays."""
    case = handover.case
    _access(actor, case)
    if handover.to_lead_id != actor.pk:
        raise PermissionDenied("handover.to_lead")
    errors: dict = {}
    reason = _text(reason, errors, "reason", required=True, message=_("Schrijf op waarom."))
    _raise(errors)
    return _close_handover(actor, handover, Handover.Status.DECLINED, reason)


def handover_withdraw(*, actor: Membership, handover: Handover) -> Handover:
    """The lead (or the backup standing in) withdraws an open offer."""
    _lead_or_stand_in(actor, handover.case)
    return _close_handover(actor, handover, Handover.Status.WITHDRAWN, "")


def _close_handover(actor, handover: Handover, status: str, reason: str) -> Handover:
    with transaction.atomic():
        current = Handover.objects.select_for_update().get(pk=handover.pk)
        if current.status != Handover.Status.OFFERED:
            raise ValidationError({"status": _("Deze overdracht staat niet meer open.")})
        current.status = status
        current.decided_at = timezone.now()
        current.decline_reason = reason
        current.save()
        kind = (
            Event.Kind.HANDOVER_DECLINED
            if status == Handover.Status.DECLINED
            else Event.Kind.HANDOVER_WITHDRAWN
        )
        _event(
            current.case,
            kind,
            actor,
            text=reason,
            data={"from": person_label(current.from_lead), "to": person_label(current.to_lead)},
        )
        _log(actor, current.case, "update")
    return current


# -- the timeline -----------------------------------------------------------------------------


def event_record(
    *,
    actor: Membership,
    case: Case,
    kind: str,
    occurred_on=None,
    text: str = "",
    domain: str = "",
    forms=(),
    lvb_specialist_present: bool = False,
    expert_by_experience_present: bool = False,
    care_present: bool = False,
    meeting: Meeting | None = None,
    today=None,
) -> Event:
    """Add an event to the timeline: a signal, a note, a decision or a step towards a police
    report. Any member may, for the kinds of data they see."""
    access = _access(actor, case)
    if kind not in MANUAL_KINDS:
        raise ValidationError({"kind": _("Kies wat u wilt vastleggen.")})
    if not access.sees_event(kind):
        raise PermissionDenied("case.category")
    today = _today(today)
    errors: dict = {}
    needs_text = kind in (Event.Kind.SIGNAL, Event.Kind.NOTE, Event.Kind.DECISION)
    text = _text(text, errors, "text", required=needs_text)
    occurred = _date(occurred_on or today, errors, "occurred_on", today=today)
    data: dict = {}
    if kind == Event.Kind.SIGNAL:
        if domain and domain not in Organisation.Domain.values:
            errors["domain"] = _("Kies een domein uit de lijst.")
        forms = _clean_forms(forms, errors)
        labels = dict(sources.form_choices())
        data = {
            "domain": domain,
            "forms": forms,
            "forms_labels": [str(labels[f]) for f in forms if f in labels],
        }
    elif kind == Event.Kind.POLICE_INTAKE:
        data = {
            "lvb_specialist_present": bool(lvb_specialist_present),
            "expert_by_experience_present": bool(expert_by_experience_present),
            "care_present": bool(care_present),
        }
    if meeting is not None and (kind != Event.Kind.DECISION or meeting.case_id != case.pk):
        errors["meeting"] = _("Dit overleg hoort niet bij deze casus.")
    _raise(errors)
    with transaction.atomic():
        event = _event(
            case, kind, actor, occurred_on=occurred, text=text, data=data, meeting=meeting
        )
        _log(actor, case, "update")
    return event


def event_correct(
    *, actor: Membership, case: Case, event: Event, text: str, occurred_on=None, today=None
) -> Event:
    """Correct an event: a new event that points at it. The old one stays as it was."""
    access = _access(actor, case)
    if event.case_id != case.pk:
        raise Http404
    corrected_kind = event.data.get("corrected_kind", event.kind)
    if not access.sees_event(corrected_kind):
        raise Http404
    today = _today(today)
    errors: dict = {}
    text = _text(
        text, errors, "text", required=True, message=_("Schrijf op wat er niet klopte en wat wel.")
    )
    occurred = _date(occurred_on or event.occurred_on, errors, "occurred_on", today=today)
    _raise(errors)
    with transaction.atomic():
        correction = _event(
            case,
            Event.Kind.CORRECTION,
            actor,
            occurred_on=occurred,
            text=text,
            data={"corrected_kind": corrected_kind},
            corrects=event,
        )
        _log(actor, case, "update")
    return correction


# -- referrals and placements -----------------------------------------------------------------


def _clean_referral_categories(keys, errors: dict) -> list[str]:
    allowed = set(sources.purpose_categories(sources.REFERRAL_PURPOSE))
    keys = list(dict.fromkeys(keys or []))
    if not keys:
        errors["data_categories"] = _("Kies welke gegevens de aanbieder krijgt.")
    elif any(k not in allowed for k in keys):
        errors["data_categories"] = _("Kies alleen gegevens uit de lijst.")
    return keys


def referral_create(
    *,
    actor: Membership,
    case: Case,
    offer,
    need: str = "",
    note: str = "",
    data_categories=None,
    override_reason: str = "",
    today=None,
) -> Referral:
    """Refer to an offer of the wegwijzer (lead or backup). When the provider works in Schakel,
    the data that travels passes the privacy gate first."""
    _manager(actor, case)
    today = _today(today)
    errors: dict = {}
    if offer is None or not offer.is_active:
        errors["offer"] = _("Kies een aanbod uit de wegwijzer.")
    if need and need not in dict(sources.need_choices()):
        errors["need"] = _("Kies de soort hulp uit de lijst.")
    note = _text(note, errors, "note")
    categories = _clean_referral_categories(
        DEFAULT_REFERRAL_CATEGORIES if data_categories is None else data_categories, errors
    )
    if case.status != Case.Status.OPEN:
        errors["offer"] = _("De casus is afgesloten. Open hem eerst weer.")
    _raise(errors)
    provider = offer.provider
    recipient = provider.organisation if provider and provider.organisation_id else None
    if recipient is not None and not recipient.is_active:
        recipient = None
    basis = None
    if recipient is not None and recipient.pk != actor.organisation_id:
        basis = sources.share(
            actor=actor,
            person=case.person,
            recipient=recipient,
            purpose=sources.REFERRAL_PURPOSE,
            categories=categories,
            override_reason=override_reason,
        )
    with transaction.atomic():
        referral = Referral.objects.create(
            case=case,
            offer=offer,
            offer_key=offer.key,
            offer_name=offer.name,
            provider_name=provider.name if provider else "",
            need=need,
            recipient=recipient,
            basis=basis,
            requested_on=today,
            note=note,
            requested_by=actor,
        )
        _event(
            case,
            Event.Kind.REFERRAL_REQUESTED,
            actor,
            occurred_on=today,
            text=note,
            data=_referral_data(referral),
            referral=referral,
        )
        _log(actor, case, "share" if basis else "update")
    return referral


def _referral_data(referral: Referral) -> dict:
    return {"offer": referral.offer_name, "provider": referral.provider_name}


REFERRAL_STEPS = {
    "accept": (
        {Referral.Status.REQUESTED},
        Referral.Status.ACCEPTED,
        "accepted_on",
        Event.Kind.REFERRAL_ACCEPTED,
    ),
    "decline": (
        {Referral.Status.REQUESTED, Referral.Status.ACCEPTED},
        Referral.Status.DECLINED,
        "declined_on",
        Event.Kind.REFERRAL_DECLINED,
    ),
    "start": (
        {Referral.Status.REQUESTED, Referral.Status.ACCEPTED},
        Referral.Status.STARTED,
        "started_on",
        Event.Kind.REFERRAL_STARTED,
    ),
    "end": (
        {Referral.Status.STARTED},
        Referral.Status.ENDED,
        "ended_on",
        Event.Kind.REFERRAL_ENDED,
    ),
    "withdraw": (
        {Referral.Status.REQUESTED, Referral.Status.ACCEPTED},
        Referral.Status.WITHDRAWN,
        "",
        Event.Kind.REFERRAL_WITHDRAWN,
    ),
}


def referral_actions(referral: Referral) -> list[str]:
    return [name for name, step in REFERRAL_STEPS.items() if referral.status in step[0]]


def referral_transition(
    *,
    actor: Membership,
    case: Case,
    referral: Referral,
    action: str,
    expected_version,
    on=None,
    reason: str = "",
    today=None,
) -> Referral:
    """Move a referral on: accept, decline (reason required), start, end (reason required) or
    withdraw. The lead, the backup, or a member of the receiving organisation may record it."""
    access = _access(actor, case)
    if referral.case_id != case.pk:
        raise Http404
    receiving = referral.recipient_id is not None and referral.recipient_id == actor.organisation_id
    if not (access.can_manage or (receiving and action != "withdraw")):
        raise PermissionDenied("case.manage")
    step = REFERRAL_STEPS.get(action)
    if step is None:
        raise ValidationError({"action": _("Kies een stap.")})
    allowed_from, new_status, date_field, kind = step
    today = _today(today)
    errors: dict = {}
    needs_reason = action in ("decline", "end")
    reason = _text(
        reason,
        errors,
        "reason",
        required=needs_reason,
        message=_("Schrijf de reden op. Die helpt bij de volgende verwijzing."),
    )
    not_before = referral.accepted_on or referral.requested_on
    if action == "end":
        not_before = referral.started_on or not_before
    day = _date(on or today, errors, "on", today=today, not_before=not_before)
    _raise(errors)
    with transaction.atomic():
        current = _locked(Referral, referral.pk, expected_version)
        if current.status not in allowed_from:
            raise ValidationError(
                {
                    "action": _("Deze stap kan nu niet: de verwijzing is %(status)s.")
                    % {"status": current.get_status_display()}
                }
            )
        current.status = new_status
        if date_field:
            setattr(current, date_field, day)
        if action == "decline":
            current.decline_reason = reason
        elif action == "end":
            current.end_reason = reason
        current.version += 1
        current.save()
        _event(
            case,
            kind,
            actor,
            occurred_on=day,
            text=reason,
            data=_referral_data(current),
            referral=current,
        )
        _log(actor, case, "update")
    return current


def referral_waiting_days(referral: Referral, *, today=None) -> int | None:
    """Days between the request and the start (or until today while it is still waiting)."""
    if referral.started_on:
        return (referral.started_on - referral.requested_on).days
    if referral.status in (Referral.Status.REQUESTED, Referral.Status.ACCEPTED):
        return (_today(today) - referral.requested_on).days
    return None


def placement_create(
    *,
    actor: Membership,
    case: Case,
    provider_name: str,
    kind: str,
    started_on,
    referral: Referral | None = None,
    today=None,
) -> Placement:
    """Record help that started: a provider, ambulant / open / closed / crisis, the start."""
    _manager(actor, case)
    today = _today(today)
    errors: dict = {}
    provider_name = _text(provider_name, errors, "provider_name", required=True, limit=300)
    if kind not in PlacementKind.values:
        errors["kind"] = _("Kies de soort plaatsing.")
    started = _date(started_on, errors, "started_on", today=today)
    if referral is not None and referral.case_id != case.pk:
        errors["referral"] = _("Deze verwijzing hoort niet bij deze casus.")
    _raise(errors)
    with transaction.atomic():
        placement = Placement.objects.create(
            case=case,
            provider_name=provider_name,
            kind=kind,
            started_on=started,
            referral=referral,
            created_by=actor,
        )
        _event(
            case,
            Event.Kind.PLACEMENT_STARTED,
            actor,
            occurred_on=started,
            data={"provider": provider_name, "kind": kind},
            placement=placement,
        )
        _log(actor, case, "update")
    return placement


def placement_end(
    *,
    actor: Membership,
    case: Case,
    placement: Placement,
    expected_version,
    ended_on,
    reason: str,
    today=None,
) -> Placement:
    """Record the end of a placement, with the reason. The case itself does not change."""
    _manager(actor, case)
    if placement.case_id != case.pk:
        raise Http404
    today = _today(today)
    errors: dict = {}
    reason = _text(reason, errors, "end_reason", required=True, message=_("Schrijf op waarom."))
    ended = _date(ended_on, errors, "ended_on", today=today, not_before=placement.started_on)
    _raise(errors)
    with transaction.atomic():
        current = _locked(Placement, placement.pk, expected_version)
        if current.ended_on is not None:
            raise ValidationError({"ended_on": _("Deze plaatsing is al gestopt.")})
        current.ended_on = ended
        current.end_reason = reason
        current.version += 1
        current.save()
        _event(
            case,
            Event.Kind.PLACEMENT_ENDED,
            actor,
            occurred_on=ended,
            text=reason,
            data={"provider": current.provider_name, "kind": current.kind},
            placement=current,
        )
        _log(actor, case, "update")
    return current


# -- meetings and tasks -----------------------------------------------------------------------


def lvb_expertise_present(meeting: Meeting, participants=None) -> bool:
    """Is LVB expertise at the table: a participant with LVB expertise or in the role of LVB
    expert, or an LVB expert from outside Schakel."""
    if meeting.external_lvb_expert:
        return True
    members = participants if participants is not None else meeting.participants.all()
    return any(m.lvb_expertise or m.role == MemberRole.LVB_EXPERT for m in members)


def _clean_participants(case: Case, participants, errors: dict) -> list[CaseMember]:
    chosen = list({m.pk: m for m in participants or []}.values())
    if any(_active_member(case, m) is None for m in chosen):
        errors["participants"] = _("Kies alleen leden van deze casus.")
    return chosen


MEETING_FIELDS = (
    "kind",
    "date",
    "time",
    "agenda",
    "other_participants",
    "person_present",
    "external_lvb_expert",
    "minutes",
    "status",
)


def _clean_meeting(values: dict, errors: dict, *, today) -> dict:
    cleaned = {}
    if "kind" in values:
        if values["kind"] not in Meeting.Kind.values:
            errors["kind"] = _("Kies de soort overleg.")
        cleaned["kind"] = values["kind"]
    if "date" in values:
        cleaned["date"] = _date(values["date"], errors, "date")
    if "time" in values:
        cleaned["time"] = values["time"] or None
    for name in ("agenda", "other_participants", "minutes"):
        if name in values:
            cleaned[name] = _text(values[name], errors, name)
    for name in ("person_present", "external_lvb_expert"):
        if name in values:
            cleaned[name] = bool(values[name])
    if "status" in values:
        if values["status"] not in Meeting.Status.values:
            errors["status"] = _("Kies een status.")
        cleaned["status"] = values["status"]
        if (
            values["status"] == Meeting.Status.HELD
            and cleaned.get("date")
            and (cleaned["date"] > today)
        ):
            errors["status"] = _("Een overleg in de toekomst kan nog niet gehouden zijn.")
    return cleaned


def meeting_create(
    *,
    actor: Membership,
    case: Case,
    kind: str,
    date,
    time=None,
    agenda: str = "",
    participants=(),
    other_participants: str = "",
    person_present: bool = False,
    external_lvb_expert: bool = False,
    today=None,
) -> Meeting:
    """Plan a case meeting (lead or backup)."""
    _manager(actor, case)
    today = _today(today)
    errors: dict = {}
    values = _clean_meeting(
        {
            "kind": kind,
            "date": date,
            "time": time,
            "agenda": agenda,
            "other_participants": other_participants,
            "person_present": person_present,
            "external_lvb_expert": external_lvb_expert,
        },
        errors,
        today=today,
    )
    chosen = _clean_participants(case, participants, errors)
    _raise(errors)
    with transaction.atomic():
        meeting = Meeting.objects.create(case=case, created_by=actor, **values)
        meeting.participants.set(chosen)
        _event(
            case,
            Event.Kind.MEETING_PLANNED,
            actor,
            occurred_on=min(meeting.date, today),
            text=meeting.agenda,
            data={
                "kind_label": str(meeting.get_kind_display()),
                "date": meeting.date.isoformat(),
            },
            meeting=meeting,
        )
        _log(actor, case, "update")
    return meeting


def meeting_update(
    *,
    actor: Membership,
    case: Case,
    meeting: Meeting,
    expected_version,
    participants=None,
    today=None,
    **fields,
) -> Meeting:
    """Change a meeting, record the minutes, or mark it held or cancelled."""
    _manager(actor, case)
    if meeting.case_id != case.pk:
        raise Http404
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"meeting_update() got unknown fields: {', '.join(sorted(unknown))}")
    today = _today(today)
    errors: dict = {}
    merged = {"date": fields.get("date", meeting.date), **fields}
    cleaned = _clean_meeting(merged, errors, today=today)
    cleaned = {k: v for k, v in cleaned.items() if k in fields}
    chosen = None
    if participants is not None:
        chosen = _clean_participants(case, participants, errors)
    _raise(errors)
    with transaction.atomic():
        current = _locked(Meeting, meeting.pk, expected_version)
        was_held = current.status == Meeting.Status.HELD
        for name, value in cleaned.items():
            setattr(current, name, value)
        current.version += 1
        current.save()
        if chosen is not None:
            current.participants.set(chosen)
        if current.status == Meeting.Status.HELD and not was_held:
            _event(
                case,
                Event.Kind.MEETING_HELD,
                actor,
                occurred_on=current.date,
                text=current.minutes,
                data={
                    "kind_label": str(current.get_kind_display()),
                    "lvb_expertise": lvb_expertise_present(current),
                    "participants": current.participants.count(),
                },
                meeting=current,
            )
        _log(actor, case, "update")
    return current


def task_create(
    *,
    actor: Membership,
    case: Case,
    title: str,
    owner: Membership | None,
    due_on,
    description: str = "",
    meeting: Meeting | None = None,
) -> Task:
    """Make an agreement a task with an owner and a due date (lead or backup)."""
    _manager(actor, case)
    errors: dict = {}
    title = _text(title, errors, "title", required=True, limit=SHORT_MAX)
    description = _text(description, errors, "description")
    due = _date(due_on, errors, "due_on")
    if (
        owner is None
        or not CaseMember.objects.filter(
            case=case, membership=owner, ended_at__isnull=True
        ).exists()
    ):
        errors["owner"] = _("Kies een lid van de casus.")
    if meeting is not None and meeting.case_id != case.pk:
        errors["meeting"] = _("Dit overleg hoort niet bij deze casus.")
    _raise(errors)
    with transaction.atomic():
        task = Task.objects.create(
            case=case,
            meeting=meeting,
            kind=Task.Kind.AGREEMENT,
            title=title,
            description=description,
            owner=owner,
            due_on=due,
            created_by=actor,
        )
        _log(actor, case, "update")
    return task


def task_update(
    *,
    actor: Membership,
    case: Case,
    task: Task,
    expected_version,
    status: str | None = None,
    checklist: dict | None = None,
    due_on=None,
    owner: Membership | None = None,
    today=None,
) -> Task:
    """The owner, the lead or the backup updates a task: status and checklist; the lead or the
    backup also the due date and the owner."""
    access = _access(actor, case)
    if task.case_id != case.pk:
        raise Http404
    is_owner = task.owner_id == actor.pk
    if not (access.can_manage or is_owner):
        raise PermissionDenied("case.task")
    if (due_on is not None or owner is not None) and not access.can_manage:
        raise PermissionDenied("case.manage")
    today = _today(today)
    errors: dict = {}
    if status is not None and status not in Task.Status.values:
        errors["status"] = _("Kies een status.")
    due = _date(due_on, errors, "due_on", required=False) if due_on is not None else None
    if (
        owner is not None
        and not CaseMember.objects.filter(
            case=case, membership=owner, ended_at__isnull=True
        ).exists()
    ):
        errors["owner"] = _("Kies een lid van de casus.")
    known = set(task.checklist or {})
    if checklist is not None and not set(checklist) <= known:
        errors["checklist"] = _("Kies alleen punten van de lijst.")
    _raise(errors)
    with transaction.atomic():
        current = _locked(Task, task.pk, expected_version)
        became_done = status == Task.Status.DONE and current.status != Task.Status.DONE
        if status is not None:
            current.status = status
            current.done_on = today if status == Task.Status.DONE else None
            current.done_by = actor if status == Task.Status.DONE else None
        if checklist is not None:
            current.checklist = {k: bool(checklist.get(k, False)) for k in current.checklist}
        if due is not None:
            current.due_on = due
        if owner is not None:
            current.owner = owner
        current.version += 1
        current.save()
        if became_done:
            from .display import task_title

            _event(
                case,
                Event.Kind.TASK_DONE,
                actor,
                occurred_on=today,
                data={"title": task_title(current)},
                meeting=current.meeting,
            )
        _log(actor, case, "update")
    return current


def _system_task(case, *, kind, key, owner, due_on, params, checklist=None) -> Task | None:
    """A task the system makes once per key; None when it was made before."""
    if Task.objects.filter(case=case, key=key).exists():
        return None
    try:
        with transaction.atomic():
            return Task.objects.create(
                case=case,
                kind=kind,
                key=key,
                params=params,
                owner=owner,
                due_on=due_on,
                checklist=checklist or {},
            )
    except IntegrityError:  # made at the same moment by another process
        return None


def transition_tasks_for(case: Case, *, today=None) -> list[Task]:
    """The 18th-birthday tasks that are due for this case on `today` (made once each).

    At 17 years and 6 months, and again at 17 years and 11 months, the lead gets a task with
    the transition checklist. Nothing else happens: the case, the lead and the members stay.
    """
    today = _today(today)
    dob = case.person.date_of_birth
    if dob is None:
        return []
    eighteen = add_months(dob, 216)
    if today >= eighteen:
        return []
    rules = case_rules()
    made = []
    for stage in rules.stages:
        if today < add_months(dob, stage.at_months):
            continue
        task = _system_task(
            case,
            kind=Task.Kind.TRANSITION,
            key=f"transition:{stage.key}",
            owner=case.lead,
            due_on=add_months(dob, stage.due_at_months),
            params={"stage": stage.key, "birthday": eighteen.isoformat()},
            checklist=dict.fromkeys(rules.transition_keys(), False),
        )
        if task is not None:
            made.append(task)
    return made


def case_tasks_due_create(*, today=None) -> int:
    """The daily job: the 18th-birthday tasks for open cases and for cases in aftercare (closed
    less than a year ago). Returns how many tasks were made. Changes nothing else."""
    today = _today(today)
    recent = add_months(today, -12)
    cases = (
        Case.objects.filter(Q(status=Case.Status.OPEN) | Q(closed_on__gte=recent))
        .select_related("person", "lead")
        .order_by("pk")
    )
    made = 0
    for case in cases.iterator(chunk_size=500):
        with transaction.atomic():
            tasks = transition_tasks_for(case, today=today)
            if tasks:
                _log(None, case, "create")
        made += len(tasks)
    return made


# -- aftercare, crisis card, residence --------------------------------------------------------


def _clean_domains(domains: dict, errors: dict) -> dict:
    known = case_rules().aftercare_domain_keys()
    cleaned = {}
    for key, value in (domains or {}).items():
        if key not in known:
            errors["domains"] = _("Onbekend leefgebied: %(key)s.") % {"key": key}
            continue
        value = value or {}
        entry = {}
        for part in ("situation", "goal"):
            entry[part] = _text(value.get(part, ""), errors, f"{key}_{part}", limit=2000)
        if entry["situation"] or entry["goal"]:
            cleaned[key] = entry
    return cleaned


def aftercare_plan_save(
    *,
    actor: Membership,
    case: Case,
    expected_version,
    domains: dict,
    coach_kind: str = "",
    coach_name: str = "",
    coach_contact: str = "",
    notes: str = "",
) -> AftercarePlan:
    """Write the aftercare plan (lead or backup). A new plan is saved with `expected_version`
    0; a change of an existing plan needs the version that was read."""
    _manager(actor, case)
    expected = _expected(expected_version)
    errors: dict = {}
    cleaned = _clean_domains(domains, errors)
    if coach_kind not in AftercarePlan.CoachKind.values:
        errors["coach_kind"] = _("Kies coach, buddy of ervaringsdeskundige.")
    coach_name = _text(coach_name, errors, "coach_name", limit=SHORT_MAX)
    coach_contact = _text(coach_contact, errors, "coach_contact", limit=SHORT_MAX)
    notes = _text(notes, errors, "notes")
    _raise(errors)
    values = {
        "domains": cleaned,
        "coach_kind": coach_kind,
        "coach_name": coach_name,
        "coach_contact": coach_contact,
        "notes": notes,
    }
    with transaction.atomic():
        Case.objects.select_for_update().get(pk=case.pk)  # one writer of the plan at a time
        plan = AftercarePlan.objects.select_for_update().filter(case=case).first()
        created = plan is None
        if created:
            if expected != 0:
                raise StaleEdit(current_version=0, current=None)
            plan = AftercarePlan(case=case, version=0)
        elif plan.version != expected:
            raise StaleEdit(current_version=plan.version, current=plan)
        for name, value in values.items():
            setattr(plan, name, value)
        plan.version += 1
        plan.updated_by = actor
        plan.updated_at = timezone.now()
        plan.save()
        labels = {d.key: d.label for d in case_rules().aftercare_domains}
        _event(
            case,
            Event.Kind.AFTERCARE_PLAN,
            actor,
            data={
                "created": created,
                "domains": [labels[k] for k in labels if cleaned.get(k, {}).get("goal")],
            },
        )
        _log(actor, case, "create" if created else "update")
    return plan


CARD_FIELDS = (
    "call_first",
    "legal_representative",
    "financial_administrator",
    "what_helps",
    "what_does_not_help",
    "communication",
)


def crisis_card_save(
    *,
    actor: Membership,
    case: Case,
    expected_version,
    agreed_by_person: bool,
    today=None,
    **fields,
) -> CrisisCard:
    """Write the crisis card (lead or backup). When its content changes, the person has to
    agree again before it can be shared."""
    _manager(actor, case)
    unknown = set(fields) - set(CARD_FIELDS)
    if unknown:
        raise TypeError(f"crisis_card_save() got unknown fields: {', '.join(sorted(unknown))}")
    expected = _expected(expected_version)
    today = _today(today)
    errors: dict = {}
    values = {name: _text(fields.get(name, ""), errors, name, limit=1000) for name in CARD_FIELDS}
    if not values["call_first"]:
        errors["call_first"] = _("Schrijf op wie de politie of hulpverlening moet bellen.")
    _raise(errors)
    with transaction.atomic():
        Case.objects.select_for_update().get(pk=case.pk)
        card = CrisisCard.objects.select_for_update().filter(case=case).first()
        if card is None:
            if expected != 0:
                raise StaleEdit(current_version=0, current=None)
            card = CrisisCard(case=case, version=0)
        elif card.version != expected:
            raise StaleEdit(current_version=card.version, current=card)
        content_changed = any(getattr(card, n) != v for n, v in values.items())
        for name, value in values.items():
            setattr(card, name, value)
        if agreed_by_person:
            if content_changed or not card.agreed_by_person:
                card.agreed_on = today
            card.agreed_by_person = True
        else:
            card.agreed_by_person = False
            card.agreed_on = None
        card.version += 1
        card.updated_by = actor
        card.updated_at = timezone.now()
        card.save()
        _event(case, Event.Kind.CRISIS_CARD, actor, data={"agreed": card.agreed_by_person})
        _log(actor, case, "update")
    return card


def crisis_card_snapshot(case: Case, card: CrisisCard) -> dict:
    person = case.person
    lead = case.lead
    return {
        "case_reference": case.reference,
        "name": person.display_name,
        "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else "",
        **{name: getattr(card, name) for name in CARD_FIELDS},
        "agreed_on": card.agreed_on.isoformat() if card.agreed_on else "",
        "lead": _name(lead),
        "lead_organisation": lead.organisation.name,
    }


def crisis_card_share(
    *, actor: Membership, case: Case, recipient: Organisation | None, override_reason: str = ""
) -> CrisisCardShare:
    """Share the crisis card, as the person agreed to it, with the police (through the gate)."""
    _manager(actor, case)
    card = CrisisCard.objects.filter(case=case).first()
    errors: dict = {}
    if card is None or not card.agreed_by_person:
        errors["card"] = _(
            "De persoon moet eerst instemmen met de hulpkaart. Bespreek de kaart en sla hem "
            "dan op met 'De persoon is het ermee eens'."
        )
    if recipient is None or not recipient.is_active:
        errors["recipient"] = _("Kies de politie-eenheid.")
    elif recipient.domain != Organisation.Domain.POLITIE:
        errors["recipient"] = _("De hulpkaart is alleen voor de politie.")
    _raise(errors)
    basis = sources.share(
        actor=actor,
        person=case.person,
        recipient=recipient,
        purpose=sources.CRISIS_CARD_PURPOSE,
        categories=sources.CRISIS_CARD_CATEGORIES,
        override_reason=override_reason,
    )
    with transaction.atomic():
        shared = CrisisCardShare.objects.create(
            card=card,
            recipient=recipient,
            basis=basis,
            snapshot=crisis_card_snapshot(case, card),
            card_version=card.version,
            shared_by=actor,
        )
        _event(case, Event.Kind.CRISIS_CARD_SHARED, actor, data={"recipient": recipient.name})
        _log(actor, case, "share")
    return shared


def crisis_card_share_revoke(*, actor: Membership, case: Case, share: CrisisCardShare):
    """Stop showing a shared crisis card to the recipient (for instance when it is outdated)."""
    _manager(actor, case)
    if share.card.case_id != case.pk:
        raise Http404
    with transaction.atomic():
        updated = CrisisCardShare.objects.filter(pk=share.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if updated:
            _event(
                case,
                Event.Kind.CRISIS_CARD,
                actor,
                text=_("Delen met %(recipient)s gestopt.") % {"recipient": share.recipient.name},
                data={"agreed": True, "revoked": share.recipient.name},
            )
            _log(actor, case, "update")
    share.refresh_from_db()
    return share


RESIDENCE_FIELDS = (
    "foreign_victim",
    "residence_status",
    "reflection_start",
    "reflection_end",
    "residence_applied_on",
    "residence_decision",
    "residence_decision_on",
)
RESIDENCE_LABELS = {
    "foreign_victim": _("buitenlands slachtoffer"),
    "residence_status": _("verblijfsstatus"),
    "reflection_start": _("begin bedenktijd"),
    "reflection_end": _("einde bedenktijd"),
    "residence_applied_on": _("aanvraag verblijfsvergunning"),
    "residence_decision": _("besluit op de aanvraag"),
    "residence_decision_on": _("datum besluit"),
}


def residence_update(
    *, actor: Membership, case: Case, expected_version, today=None, **fields
) -> Case:
    """Residence of a foreign victim: status, the reflection period (at most 3 months, with a
    reminder for the lead before it ends) and the application and its decision."""
    _manager(actor, case)
    unknown = set(fields) - set(RESIDENCE_FIELDS)
    if unknown:
        raise TypeError(f"residence_update() got unknown fields: {', '.join(sorted(unknown))}")
    today = _today(today)
    rules = case_rules()
    errors: dict = {}
    values = Case.objects.filter(pk=case.pk).values(*RESIDENCE_FIELDS).get()
    values.update(fields)
    values["foreign_victim"] = bool(values["foreign_victim"])
    if values["residence_status"] not in ResidenceStatus.values:
        errors["residence_status"] = _("Kies een verblijfsstatus.")
    if values["residence_decision"] not in Case.ResidenceDecision.values:
        errors["residence_decision"] = _("Kies een besluit.")
    start = _date(values["reflection_start"], errors, "reflection_start", required=False)
    end = _date(values["reflection_end"], errors, "reflection_end", required=False)
    applied = _date(
        values["residence_applied_on"], errors, "residence_applied_on", required=False, today=today
    )
    decided = _date(
        values["residence_decision_on"],
        errors,
        "residence_decision_on",
        required=False,
        today=today,
    )
    if end and not start:
        errors["reflection_start"] = _("Vul ook het begin van de bedenktijd in.")
    elif start and end:
        if end < start:
            errors["reflection_end"] = _("Het einde ligt voor het begin.")
        elif end > add_months(start, rules.reflection_max_months):
            errors["reflection_end"] = _(
                "De bedenktijd duurt hoogstens %(n)d maanden: uiterlijk tot en met %(day)s."
            ) % {
                "n": rules.reflection_max_months,
                "day": add_months(start, rules.reflection_max_months).isoformat(),
            }
    elif start and not end:
        end = add_months(start, rules.reflection_max_months)
    if values["residence_decision"] and not applied:
        errors["residence_decision"] = _("Een besluit hoort bij een aanvraag: vul die datum in.")
    if values["residence_decision"] and not decided:
        errors["residence_decision_on"] = _("Vul de datum van het besluit in.")
    if decided and applied and decided < applied:
        errors["residence_decision_on"] = _("Het besluit ligt voor de aanvraag.")
    _raise(errors)
    values.update(
        reflection_start=start,
        reflection_end=end,
        residence_applied_on=applied,
        residence_decision_on=decided,
    )
    with transaction.atomic():
        current = _locked(Case, case.pk, expected_version)
        changed = [n for n in RESIDENCE_FIELDS if getattr(current, n) != values[n]]
        if not changed:
            return current
        old_end = current.reflection_end
        for name in changed:
            setattr(current, name, values[name])
        current.version += 1
        current.save()
        if current.reflection_end != old_end:
            Task.objects.filter(
                case=current, kind=Task.Kind.REFLECTION, status=Task.Status.OPEN
            ).update(status=Task.Status.CANCELLED)
            if current.reflection_end and current.reflection_end >= today:
                _system_task(
                    current,
                    kind=Task.Kind.REFLECTION,
                    key=f"reflection:{current.reflection_end.isoformat()}",
                    owner=current.lead,
                    due_on=max(
                        today,
                        current.reflection_end
                        - datetime.timedelta(days=rules.reflection_reminder_days),
                    ),
                    params={"reflection_end": current.reflection_end.isoformat()},
                )
        _event(
            current,
            Event.Kind.RESIDENCE,
            actor,
            data={
                "fields": changed,
                "labels": [str(RESIDENCE_LABELS[n]) for n in changed],
                "status": current.residence_status,
                "reflection_end": (
                    current.reflection_end.isoformat() if current.reflection_end else ""
                ),
                "decision": current.residence_decision,
            },
        )
        _log(actor, current, "update")
    return current
