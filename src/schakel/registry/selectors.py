"""All reads of meldingen, scoped to the actor. Only the registration office (`registry.view`)
sees records; anyone else gets 404. Every record that is shown or exported is logged."""

from collections.abc import Iterator

from django.core.paginator import Page, Paginator
from django.db.models import Max, Min
from django.http import Http404

from schakel.accounts.models import Membership
from schakel.accounts.permissions import can
from schakel.privacy.services import processing_record_many

from . import keys
from .contract import EXPECTED_COLUMNS
from .models import ImportRun, Melding
from .rows import STORED_FIELDS, values_of

ACTIVITY = "national_registration"
PAGE_SIZE = 25
EXPORT_BATCH = 5000


def _visible(actor: Membership | None):
    if not can(actor, "registry.view"):
        return Melding.objects.none()
    return Melding.objects.all()


def _log_reads(actor, meldingen) -> None:
    subjects = keys.log_subjects([m.persoon_sleutel for m in meldingen])
    processing_record_many(actor=actor, subjects=subjects, activity=ACTIVITY, operation="read")


def melding_list_for(
    *,
    actor: Membership | None,
    year: int | None = None,
    melder: str = "",
    page: int | str | None = 1,
    per_page: int = PAGE_SIZE,
) -> Page:
    """One page of meldingen, newest first, optionally of one year and one melder. Logs a read
    for each melding on the page."""
    meldingen = _visible(actor).order_by("-melddatum", "-pk")
    if year:
        meldingen = meldingen.filter(year=year)
    if melder:
        meldingen = meldingen.filter(melder=melder)
    result = Paginator(meldingen, max(1, min(int(per_page), 100))).get_page(page)
    result.object_list = list(result.object_list)
    if result.object_list:
        _log_reads(actor, result.object_list)
    return result


def melding_get_for(*, actor: Membership | None, melding_id: str) -> Melding:
    melding = (
        _visible(actor).select_related("import_run").filter(melding_id=str(melding_id)).first()
    )
    if melding is None:
        raise Http404
    _log_reads(actor, [melding])
    return melding


def meldingen_of_person_count(*, actor: Membership | None, melding: Melding) -> int:
    """How many meldingen the registry holds for the same person (the key), this one included."""
    return _visible(actor).filter(persoon_sleutel=melding.persoon_sleutel).count()


def melding_export_rows(
    *, actor: Membership | None, year_from: int | None = None, year_to: int | None = None
) -> Iterator[list[str]]:
    """The meldingen as rows of the contract's columns (header first), in batches, oldest first.

    `actor` None is the system (the export command). Logs a read per exported melding as the
    rows are produced. Without `registry.view`: Http404 at once.
    """
    if actor is not None and not can(actor, "registry.view"):
        raise Http404
    return _export_rows(actor, year_from, year_to)


def _export_rows(actor, year_from, year_to) -> Iterator[list[str]]:
    yield list(EXPECTED_COLUMNS)
    meldingen = Melding.objects.all()
    if year_from:
        meldingen = meldingen.filter(year__gte=year_from)
    if year_to:
        meldingen = meldingen.filter(year__lte=year_to)
    last_pk = 0
    while True:
        batch = list(
            meldingen.filter(pk__gt=last_pk)
            .order_by("pk")
            .values("pk", *STORED_FIELDS)[:EXPORT_BATCH]
        )
        if not batch:
            return
        last_pk = batch[-1]["pk"]
        processing_record_many(
            actor=actor,
            subjects=keys.log_subjects([row["persoon_sleutel"] for row in batch]),
            activity=ACTIVITY,
            operation="read",
        )
        for row in batch:
            text = values_of(row).as_row()
            yield [text[column] for column in EXPECTED_COLUMNS]


def import_runs_for(*, actor: Membership | None, limit: int = 20) -> list[ImportRun]:
    if not can(actor, "registry.view"):
        return []
    return list(ImportRun.objects.all()[:limit])


def registry_years() -> tuple[int, int] | None:
    """The first and last year with meldingen (no personal data), or None when empty."""
    span = Melding.objects.aggregate(first=Min("year"), last=Max("year"))
    if span["first"] is None:
        return None
    return span["first"], span["last"]


__all__ = [
    "import_runs_for",
    "melding_export_rows",
    "melding_get_for",
    "melding_list_for",
    "meldingen_of_person_count",
    "registry_years",
]
