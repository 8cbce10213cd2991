"""What the case services share: who may act, the timeline event and the processing-log
entry every write makes, the version check, and the tasks the system makes itself.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.accounts.models import Membership, Role
from schakel.accounts.permissions import can
from schakel.core.concurrency import StaleEdit
from schakel.privacy.services import processing_record

from .. import sources
from ..access import access_for, case_categories, lead_can_act
from ..display import person_label
from ..models import Case, CaseMember, Event, MemberRole, Task

ACTIVITY = "case_coordination"
SHORT_MAX = 200
SYSTEM_TASK_KINDS = (Task.Kind.TRANSITION, Task.Kind.AFTERCARE, Task.Kind.REFLECTION)


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


def _active_member(case: Case, member: CaseMember | None) -> CaseMember | None:
    if member is None or member.case_id != case.pk or member.ended_at is not None:
        return None
    return member


def _clean_forms(forms, errors: dict) -> list[str]:
    forms = list(dict.fromkeys(forms or []))
    if any(f not in sources.form_values() for f in forms):
        errors["forms"] = _("Kies alleen vormen van uitbuiting uit de lijst.")
    return forms


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
