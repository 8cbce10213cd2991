"""Reads of the screening capability.

Instruments are public (no actor needed). Stored assessments are personal data: they are read
through the actor, only for persons the actor may see (others answer 404), and every read is
recorded in the processing log under the activity "screening".
"""

from __future__ import annotations

from functools import lru_cache

from django.db.models import Sum
from django.http import Http404

from schakel.accounts.models import Membership
from schakel.accounts.permissions import can
from schakel.ids import public_id_or_404
from schakel.privacy.services import processing_record

from .instruments import Instrument, build
from .models import Assessment, InstrumentVersion, UsageCount

ACTIVITY = "screening"
POSITIVE_LVB = ("suspected", "screened", "diagnosed")


@lru_cache(maxsize=256)
def _parsed(checksum: str, pk: int) -> Instrument:
    row = InstrumentVersion.objects.get(pk=pk)
    return build(row.definition, checksum=row.checksum)


def instrument_of(row: InstrumentVersion) -> Instrument:
    """The parsed instrument of a stored version (cached by its checksum)."""
    return _parsed(row.checksum, row.pk)


def instrument_rows_current() -> list[InstrumentVersion]:
    """The newest version of every instrument, ordered by title."""
    rows: dict[str, InstrumentVersion] = {}
    for row in InstrumentVersion.objects.defer("definition").order_by("key", "-version"):
        rows.setdefault(row.key, row)
    return sorted(rows.values(), key=lambda r: r.title.lower())


def instrument_list() -> list[Instrument]:
    return [instrument_of(row) for row in instrument_rows_current()]


def instrument_row_get(*, key: str, version: int | None = None) -> InstrumentVersion:
    """The current (newest) or the given version of an instrument; Http404 when unknown."""
    rows = InstrumentVersion.objects.defer("definition").filter(key=key)
    if version is not None:
        rows = rows.filter(version=version)
    row = rows.order_by("-version").first()
    if row is None:
        raise Http404
    return row


def instrument_get(*, key: str, version: int | None = None) -> Instrument:
    return instrument_of(instrument_row_get(key=key, version=version))


def instrument_versions(*, key: str) -> list[InstrumentVersion]:
    return list(InstrumentVersion.objects.defer("definition").filter(key=key))


def _may_see_person(actor: Membership | None, person) -> bool:
    return can(actor, "person.view") and person.owner_organisation_id == actor.organisation_id


def _visible(actor: Membership | None):
    if not can(actor, "person.view"):
        return Assessment.objects.none()
    return Assessment.objects.filter(person__owner_organisation_id=actor.organisation_id)


def assessment_get_for(*, actor: Membership | None, public_id) -> Assessment:
    """A stored assessment of a person the actor may see; otherwise Http404. Logs a read."""
    key = public_id_or_404(public_id)
    assessment = (
        _visible(actor)
        .select_related("instrument", "person", "organisation", "created_by__user")
        .filter(public_id=key)
        .first()
    )
    if assessment is None:
        raise Http404
    processing_record(actor=actor, subject=assessment.person, activity=ACTIVITY, operation="read")
    return assessment


def assessment_list_for_person(*, actor: Membership | None, person) -> list[Assessment]:
    """The assessments of a person the actor may see, newest first. Logs one read."""
    if not _may_see_person(actor, person):
        raise Http404
    assessments = list(
        Assessment.objects.filter(person=person)
        .select_related("instrument", "created_by__user")
        .defer("instrument__definition")
    )
    if assessments:
        processing_record(actor=actor, subject=person, activity=ACTIVITY, operation="read")
    return assessments


def lvb_indication_positive(*, actor: Membership | None, person) -> bool:
    """Whether the person's current LVB indication says suspected, screened or diagnosed."""
    from schakel.people.selectors import lvb_current_for, lvb_history_for

    current = lvb_current_for(lvb_history_for(actor=actor, person=person))
    return current is not None and current.status in POSITIVE_LVB


def usage_totals(*, actor: Membership | None) -> list[dict]:
    """Use counts per month, instrument, way of use and outcome (no personal data)."""
    if not (can(actor, "screening.manage") or can(actor, "monitor.view")):
        raise Http404
    return list(
        UsageCount.objects.values(
            "period", "instrument_key", "instrument_version", "mode", "outcome"
        )
        .annotate(total=Sum("count"))
        .order_by("-period", "instrument_key", "instrument_version", "mode", "outcome")
    )
