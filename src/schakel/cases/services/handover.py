"""Handing over the lead: offered, then accepted (after the checklist), declined or
withdrawn. The lead changes only on acceptance.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.accounts.models import Membership
from schakel.core.validation import clean_text, raise_if

from ..access import lead_can_act
from ..display import person_label
from ..models import Case, CaseMember, Event, Handover, Task
from ..rules import case_rules
from ._common import (
    SYSTEM_TASK_KINDS,
    _access,
    _active_member,
    _event,
    _full_basis,
    _lead_or_stand_in,
    _log,
    _may_join,
    _widen_member,
)


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
    message = clean_text(message, errors, "message")
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
    raise_if(errors)
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
    note = clean_text(note, errors, "note")
    raise_if(errors)
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
    reason = clean_text(reason, errors, "reason", required=True, message=_("Schrijf op waarom."))
    raise_if(errors)
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
