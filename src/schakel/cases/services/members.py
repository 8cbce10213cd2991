"""The team of a case: add, change, recheck and end members; name the backup. A member
from another organisation passes the privacy gate for the data they will see.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.accounts.models import Membership
from schakel.core.validation import clean_text, raise_if

from .. import sources
from ..access import BASE_CATEGORY, case_categories
from ..display import person_label
from ..models import Case, CaseMember, Event, Handover, MemberRole, Task
from ._common import (
    _access,
    _active_member,
    _event,
    _full_basis,
    _locked,
    _log,
    _manager,
    _may_join,
    _member_data,
    _widen_member,
)

DEFAULT_MEMBER_CATEGORIES = ["identificatie", "hulpvraag", "hulpverlening", "tijdlijn"]


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
    raise_if(errors)
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
    raise_if(errors)
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
    reason = clean_text(reason, errors, "reason")
    if member.membership_id == case.lead_id:
        errors["member"] = _("Dit is de regiehouder. Draag eerst de regie over.")
    elif member.membership_id == case.backup_id:
        errors["member"] = _("Dit is de achtervang. Kies eerst een andere achtervang.")
    elif Handover.objects.filter(
        case=case, status=Handover.Status.OFFERED, to_lead=member.membership
    ).exists():
        errors["member"] = _("Er staat een overdracht van de regie open voor deze professional.")
    raise_if(errors)
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
    raise_if(errors)
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
