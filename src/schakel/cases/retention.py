"""Retention of cases (data category `casus` of the processing register).

A closed case goes, with everything that hangs under it (timeline, members, handovers,
referrals, placements, meetings, tasks, aftercare plan and crisis card), once its closing date is
older than the category's retention period (Youth Act: 20 years). An open case never goes, and a
reopened case counts from its new closing date. The processing log keeps the fact: one entry per
case, activity `case_coordination`, operation `delete`, by the system.

The person stays: whether their file can go as well is the `persoonsdossier` category's question
(people/retention.py), asked after this one because the register lists `casus` first.
"""

import datetime

from django.utils import timezone

from schakel.privacy.retention import delete_corrections_first, register_retention_handler

from .models import Case, Event


def _find(cutoff: datetime.datetime, now: datetime.datetime) -> list[Case]:
    last_day = timezone.localtime(cutoff).date()
    return list(
        Case.objects.filter(status=Case.Status.CLOSED, closed_on__lt=last_day)
        .select_related("person")
        .order_by("pk")
    )


def _apply(items: list[Case], now: datetime.datetime) -> int:
    from schakel.privacy.services import processing_record_many

    ids = [case.pk for case in items]
    processing_record_many(
        actor=None,
        subjects=[case.person for case in items],
        activity="case_coordination",
        operation="delete",
    )
    # A correction points at the event it corrects (PROTECT, history is never edited), so the
    # newest corrections go first, down the chain, before the cases and the rest cascade.
    delete_corrections_first(Event.objects.filter(case_id__in=ids))
    Case.objects.filter(pk__in=ids).delete()
    return len(items)


def _describe(case: Case) -> str:
    return f"casus {str(case.public_id)[:8]} (afgesloten op {case.closed_on.isoformat()})"


def register() -> None:
    register_retention_handler("casus", find=_find, apply=_apply, describe=_describe)
