"""The aftercare plan."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.accounts.models import Membership
from schakel.core.concurrency import StaleEdit
from schakel.core.validation import clean_text, raise_if

from ..models import AftercarePlan, Case, Event
from ..rules import case_rules
from ._common import SHORT_MAX, _event, _expected, _log, _manager


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
            entry[part] = clean_text(value.get(part, ""), errors, f"{key}_{part}", limit=2000)
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
    coach_name = clean_text(coach_name, errors, "coach_name", limit=SHORT_MAX)
    coach_contact = clean_text(coach_contact, errors, "coach_contact", limit=SHORT_MAX)
    notes = clean_text(notes, errors, "notes")
    raise_if(errors)
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
