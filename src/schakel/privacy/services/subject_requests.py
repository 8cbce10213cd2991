"""Requests of data subjects (access, correction, restriction, erasure): registering one and
moving it on, with the deadlines of AVG art. 12(3)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.accounts.models import Membership
from schakel.accounts.permissions import ensure_can
from schakel.core.dates import add_months
from schakel.core.validation import clean_date, clean_text, raise_if

from ..models import GivenBy, SubjectRequest, SubjectRequestEvent
from ..rules import subject_request_status
from ._common import _ensure_person_of, _recorded

SUBJECT_REQUEST_TRANSITIONS = {
    SubjectRequest.Status.RECEIVED: {
        SubjectRequest.Status.IN_PROGRESS,
        SubjectRequest.Status.EXTENDED,
        SubjectRequest.Status.DONE,
        SubjectRequest.Status.REFUSED,
    },
    SubjectRequest.Status.IN_PROGRESS: {
        SubjectRequest.Status.EXTENDED,
        SubjectRequest.Status.DONE,
        SubjectRequest.Status.REFUSED,
    },
    SubjectRequest.Status.EXTENDED: {SubjectRequest.Status.DONE, SubjectRequest.Status.REFUSED},
    SubjectRequest.Status.DONE: set(),
    SubjectRequest.Status.REFUSED: set(),
}


def subject_request_register(
    *,
    actor: Membership,
    person,
    kind: str,
    requested_by: str,
    received_on,
    description: str = "",
) -> SubjectRequest:
    """Register a request for access, correction, restriction or erasure. The deadline is one
    month after receipt (AVG art. 12(3))."""
    ensure_can(actor, "privacy.requests")
    _ensure_person_of(actor, person)
    errors: dict = {}
    if kind not in SubjectRequest.Kind.values:
        errors["kind"] = _("Kies het soort verzoek.")
    if requested_by not in GivenBy.values:
        errors["requested_by"] = _("Kies wie het verzoek doet.")
    received = clean_date(
        received_on, errors, "received_on", required=True, today=timezone.localdate()
    )
    description = clean_text(description, errors, "description")
    raise_if(errors)
    from schakel.people.pseudonyms import log_pseudonym

    with transaction.atomic():
        request = SubjectRequest.objects.create(
            person=person,
            subject_pseudonym=log_pseudonym(person),
            organisation=actor.organisation,
            kind=kind,
            requested_by=requested_by,
            received_on=received,
            deadline=add_months(received, 1),
            description=description,
            created_by=actor,
        )
        SubjectRequestEvent.objects.create(
            request=request, status=SubjectRequest.Status.RECEIVED, by=actor
        )
        _recorded(actor, person, "subject_rights", "create")
    return request


def subject_request_update(
    *, actor: Membership, request: SubjectRequest, status: str, note: str = ""
) -> SubjectRequest:
    """Move a request on. Extending adds two months to the deadline (AVG art. 12(3)) and needs a
    reason; refusing needs a reason too."""
    ensure_can(actor, "privacy.requests")
    if request.organisation_id != actor.organisation_id:
        raise PermissionDenied("privacy.requests")
    errors: dict = {}
    note = clean_text(note, errors, "note")
    with transaction.atomic():
        current = (
            SubjectRequest.objects.select_for_update().prefetch_related("events").get(pk=request.pk)
        )
        now_status = subject_request_status(current)
        if status not in SUBJECT_REQUEST_TRANSITIONS.get(now_status, set()):
            errors["status"] = _("Deze stap kan nu niet.")
        if status in (SubjectRequest.Status.EXTENDED, SubjectRequest.Status.REFUSED) and not note:
            errors["note"] = _("Schrijf de reden op; de betrokkene krijgt die te horen.")
        raise_if(errors)
        deadline = None
        if status == SubjectRequest.Status.EXTENDED:
            deadline = add_months(current.received_on, 3)
            SubjectRequest.objects.filter(pk=current.pk).update(deadline=deadline)
            current.deadline = deadline
        SubjectRequestEvent.objects.create(
            request=current, status=status, by=actor, note=note, deadline=deadline
        )
        if current.person_id:
            _recorded(actor, current.person, "subject_rights", "update")
    return current
