"""The timeline: record an event, correct one (a new event that points at the old)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from schakel.accounts.models import Membership, Organisation
from schakel.core.validation import clean_date, clean_text, raise_if

from .. import sources
from ..models import Case, Event, Meeting
from ._common import _access, _clean_forms, _event, _log, _today

MANUAL_KINDS = (
    Event.Kind.SIGNAL,
    Event.Kind.NOTE,
    Event.Kind.DECISION,
    Event.Kind.POLICE_FIRST_CONTACT,
    Event.Kind.POLICE_INTAKE,
    Event.Kind.POLICE_REPORT,
)


def event_record(
    *,
    actor: Membership,
    case: Case,
    kind: str,
    occurred_on=None,
    text: str = "",
    domain: str = "",
    forms=(),
    lvb_specialist_present: bool = False,
    expert_by_experience_present: bool = False,
    care_present: bool = False,
    meeting: Meeting | None = None,
    today=None,
) -> Event:
    """Add an event to the timeline: a signal, a note, a decision or a step towards a police
    report. Any member may, for the kinds of data they see."""
    access = _access(actor, case)
    if kind not in MANUAL_KINDS:
        raise ValidationError({"kind": _("Kies wat u wilt vastleggen.")})
    if not access.sees_event(kind):
        raise PermissionDenied("case.category")
    today = _today(today)
    errors: dict = {}
    needs_text = kind in (Event.Kind.SIGNAL, Event.Kind.NOTE, Event.Kind.DECISION)
    text = clean_text(text, errors, "text", required=needs_text)
    occurred = clean_date(occurred_on or today, errors, "occurred_on", required=True, today=today)
    data: dict = {}
    if kind == Event.Kind.SIGNAL:
        if domain and domain not in Organisation.Domain.values:
            errors["domain"] = _("Kies een domein uit de lijst.")
        forms = _clean_forms(forms, errors)
        labels = dict(sources.form_choices())
        data = {
            "domain": domain,
            "forms": forms,
            "forms_labels": [str(labels[f]) for f in forms if f in labels],
        }
    elif kind == Event.Kind.POLICE_INTAKE:
        data = {
            "lvb_specialist_present": bool(lvb_specialist_present),
            "expert_by_experience_present": bool(expert_by_experience_present),
            "care_present": bool(care_present),
        }
    if meeting is not None and (kind != Event.Kind.DECISION or meeting.case_id != case.pk):
        errors["meeting"] = _("Dit overleg hoort niet bij deze casus.")
    raise_if(errors)
    with transaction.atomic():
        event = _event(
            case, kind, actor, occurred_on=occurred, text=text, data=data, meeting=meeting
        )
        _log(actor, case, "update")
    return event


def event_correct(
    *, actor: Membership, case: Case, event: Event, text: str, occurred_on=None, today=None
) -> Event:
    """Correct an event: a new event that points at it. The old one stays as it was."""
    access = _access(actor, case)
    if event.case_id != case.pk:
        raise Http404
    corrected_kind = event.data.get("corrected_kind", event.kind)
    if not access.sees_event(corrected_kind):
        raise Http404
    today = _today(today)
    errors: dict = {}
    text = clean_text(
        text, errors, "text", required=True, message=_("Schrijf op wat er niet klopte en wat wel.")
    )
    occurred = clean_date(
        occurred_on or event.occurred_on, errors, "occurred_on", required=True, today=today
    )
    raise_if(errors)
    with transaction.atomic():
        correction = _event(
            case,
            Event.Kind.CORRECTION,
            actor,
            occurred_on=occurred,
            text=text,
            data={"corrected_kind": corrected_kind},
            corrects=event,
        )
        _log(actor, case, "update")
    return correction
