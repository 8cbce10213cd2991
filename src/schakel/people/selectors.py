"""All reads of persons, scoped to the actor. A person the actor may not see answers 404.

Every read that shows a person's data records a processing entry (activity "person_record").
"""

from django.core.paginator import InvalidPage, Page, Paginator
from django.http import Http404

from schakel.accounts.models import Membership
from schakel.accounts.permissions import can
from schakel.ids import public_id_or_404
from schakel.privacy.services import processing_record, processing_record_many

from .models import LvbIndication, Person

ACTIVITY = "person_record"
PAGE_SIZE = 25
MAX_PAGE_SIZE = 100


def _visible_persons(actor: Membership | None):
    if not can(actor, "person.view"):
        return Person.objects.none()
    return Person.objects.filter(owner_organisation_id=actor.organisation_id)


def _record_reads(actor: Membership, persons) -> None:
    processing_record_many(actor=actor, subjects=persons, activity=ACTIVITY, operation="read")


def person_list_for(
    *,
    actor: Membership | None,
    page: int | str | None = 1,
    per_page: int = PAGE_SIZE,
    strict: bool = False,
) -> Page:
    """One page of the persons of the actor's own organisation, newest first.

    Empty without "person.view". An invalid page number gives the first (or last) page, or
    Http404 when `strict`. Logs a read for each person on the page: their data is shown.
    """
    per_page = max(1, min(int(per_page), MAX_PAGE_SIZE))
    persons = _visible_persons(actor).order_by("-created_at", "-pk")
    paginator = Paginator(persons, per_page)
    if strict:
        try:
            result = paginator.page(page)
        except InvalidPage:
            raise Http404 from None
    else:
        result = paginator.get_page(page)
    result.object_list = list(result.object_list)
    if result.object_list:
        _record_reads(actor, result.object_list)
    return result


def person_get_for(*, actor: Membership | None, public_id) -> Person:
    """The person with `public_id`, if the actor may see it; otherwise Http404. Logs a read."""
    key = public_id_or_404(public_id)
    person = _visible_persons(actor).filter(public_id=key).first()
    if person is None:
        raise Http404
    processing_record(actor=actor, subject=person, activity=ACTIVITY, operation="read")
    return person


def _ensure_visible(actor: Membership | None, person: Person) -> None:
    if not can(actor, "person.view") or person.owner_organisation_id != actor.organisation_id:
        raise Http404


def lvb_history_for(*, actor: Membership | None, person: Person) -> list[LvbIndication]:
    """The LVB history of a person the actor may see, newest first.

    Each entry gets `corrected_by`: the later entries that correct it (for the history table).
    The read itself is logged by `person_get_for`, which gave the caller `person`.
    """
    _ensure_visible(actor, person)
    entries = list(LvbIndication.objects.filter(person=person))
    by_pk = {entry.pk: entry for entry in entries}
    for entry in entries:
        entry.corrected_by = []
    for entry in entries:
        target = by_pk.get(entry.corrects_id)
        if target is not None:
            target.corrected_by.append(entry)
            # Reuse the loaded object, so templates can follow `corrects` without a query.
            entry.corrects = target
    return entries


def lvb_current_for(entries: list[LvbIndication]) -> LvbIndication | None:
    """The newest entry that no later entry corrects (entries as from `lvb_history_for`)."""
    return next((entry for entry in entries if not entry.corrected_by), None)


def lvb_indication_get_for(*, actor: Membership | None, person: Person, pk) -> LvbIndication | None:
    """An entry of this person's LVB history, or None (for pointing a correction at it)."""
    _ensure_visible(actor, person)
    try:
        return LvbIndication.objects.filter(person=person, pk=int(pk)).first()
    except (TypeError, ValueError):
        return None
