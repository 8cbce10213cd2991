"""Retention of a person's file (data category `persoonsdossier` of the processing register).

A person goes, with their screenings, LVB history, consents and sharing decisions, when
- no case about them remains (cases have their own, longer-running category `casus`, applied
  first), and
- nothing in their file changed within the retention period: not the person record itself, no
  screening, no LVB indication, no consent event, no consent still valid at the cutoff, and no
  sharing decision.

Disclosures (`SharingBasis`) and requests of the data subject keep their own retention; they only
lose the link to the person (their subject pseudonym stays until their own period ends). The
processing log keeps the fact: one entry per person, activity `person_record`, operation
`delete`, by the system, under the person's log pseudonym.
"""

import datetime

from django.apps import apps
from django.db.models import Exists, OuterRef
from django.utils import timezone

from schakel.privacy.retention import delete_corrections_first, register_retention_handler

from .models import LvbIndication, Person

# (model label, lookup to the person, field that dates a change in the file)
ACTIVITY_SOURCES = (
    ("screening.Assessment", "person", "created_at"),
    ("people.LvbIndication", "person", "recorded_at"),
    ("privacy.ConsentEvent", "consent__person", "at"),
    ("privacy.SharingDecision", "person", "decided_at"),
)


def _find(cutoff: datetime.datetime, now: datetime.datetime) -> list[Person]:
    persons = Person.objects.filter(updated_at__lt=cutoff).exclude(
        Exists(apps.get_model("cases", "Case").objects.filter(person=OuterRef("pk")))
    )
    for label, to_person, stamp in ACTIVITY_SOURCES:
        recent = apps.get_model(label).objects.filter(
            **{to_person: OuterRef("pk"), f"{stamp}__gte": cutoff}
        )
        persons = persons.exclude(Exists(recent))
    still_valid = apps.get_model("privacy", "Consent").objects.filter(
        person=OuterRef("pk"), valid_until__gte=timezone.localtime(cutoff).date()
    )
    return list(persons.exclude(Exists(still_valid)).order_by("pk"))


def _apply(items: list[Person], now: datetime.datetime) -> int:
    from schakel.privacy.services import processing_record_many

    ids = [person.pk for person in items]
    processing_record_many(actor=None, subjects=items, activity="person_record", operation="delete")
    delete_corrections_first(LvbIndication.objects.filter(person_id__in=ids))
    Person.objects.filter(pk__in=ids).delete()
    return len(items)


def _describe(person: Person) -> str:
    changed = timezone.localtime(person.updated_at).date()
    return f"persoon {str(person.public_id)[:8]} (laatst gewijzigd {changed.isoformat()})"


def register() -> None:
    register_retention_handler("persoonsdossier", find=_find, apply=_apply, describe=_describe)
