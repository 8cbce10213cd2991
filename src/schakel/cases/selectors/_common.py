"""What the case selectors share: the read log, the access check (404), the rows of a case."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from schakel.privacy.services import processing_record_many

from ..access import access_for
from ..models import Case

ACTIVITY = "case_coordination"


def _log_reads(actor, cases) -> None:
    persons = {case.person_id: case.person for case in cases}
    if persons:
        processing_record_many(
            actor=actor, subjects=list(persons.values()), activity=ACTIVITY, operation="read"
        )


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def _case_rows():
    return Case.objects.select_related(
        "person",
        "organisation__municipality",
        "lead__user",
        "lead__organisation",
        "backup__user",
        "backup__organisation",
    )


def _access(actor, case: Case):
    access = getattr(case, "access", None)
    if access is None or access.actor.pk != getattr(actor, "pk", None):
        access = access_for(actor, case)
        if access is None:
            raise Http404
        case.access = access
    return access


def _require(access, category: str) -> None:
    if not access.sees(category):
        raise PermissionDenied("case.category")
