"""Residence of a foreign victim: status, the reflection period, the application."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from schakel.accounts.models import Membership
from schakel.core.dates import add_months
from schakel.core.validation import clean_date, raise_if

from ..models import Case, Event, ResidenceStatus, Task
from ..rules import case_rules
from ._common import _event, _locked, _log, _manager, _system_task, _today

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
    start = clean_date(values["reflection_start"], errors, "reflection_start")
    end = clean_date(values["reflection_end"], errors, "reflection_end")
    applied = clean_date(
        values["residence_applied_on"], errors, "residence_applied_on", today=today
    )
    decided = clean_date(
        values["residence_decision_on"],
        errors,
        "residence_decision_on",
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
    raise_if(errors)
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
