"""Case meetings: plan, change, record the minutes, mark held or cancelled."""

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from schakel.accounts.models import Membership
from schakel.core.validation import clean_date, clean_text, raise_if

from ..display import lvb_expertise_present
from ..models import Case, CaseMember, Event, Meeting
from ._common import _active_member, _event, _locked, _log, _manager, _today


def _clean_participants(case: Case, participants, errors: dict) -> list[CaseMember]:
    chosen = list({m.pk: m for m in participants or []}.values())
    if any(_active_member(case, m) is None for m in chosen):
        errors["participants"] = _("Kies alleen leden van deze casus.")
    return chosen


MEETING_FIELDS = (
    "kind",
    "date",
    "time",
    "agenda",
    "other_participants",
    "person_present",
    "external_lvb_expert",
    "minutes",
    "status",
)


def _clean_meeting(values: dict, errors: dict, *, today) -> dict:
    cleaned = {}
    if "kind" in values:
        if values["kind"] not in Meeting.Kind.values:
            errors["kind"] = _("Kies de soort overleg.")
        cleaned["kind"] = values["kind"]
    if "date" in values:
        cleaned["date"] = clean_date(values["date"], errors, "date", required=True)
    if "time" in values:
        cleaned["time"] = values["time"] or None
    for name in ("agenda", "other_participants", "minutes"):
        if name in values:
            cleaned[name] = clean_text(values[name], errors, name)
    for name in ("person_present", "external_lvb_expert"):
        if name in values:
            cleaned[name] = bool(values[name])
    if "status" in values:
        if values["status"] not in Meeting.Status.values:
            errors["status"] = _("Kies een status.")
        cleaned["status"] = values["status"]
        if (
            values["status"] == Meeting.Status.HELD
            and cleaned.get("date")
            and (cleaned["date"] > today)
        ):
            errors["status"] = _("Een overleg in de toekomst kan nog niet gehouden zijn.")
    return cleaned


def meeting_create(
    *,
    actor: Membership,
    case: Case,
    kind: str,
    date,
    time=None,
    agenda: str = "",
    participants=(),
    other_participants: str = "",
    person_present: bool = False,
    external_lvb_expert: bool = False,
    today=None,
) -> Meeting:
    """Plan a case meeting (lead or backup)."""
    _manager(actor, case)
    today = _today(today)
    errors: dict = {}
    values = _clean_meeting(
        {
            "kind": kind,
            "date": date,
            "time": time,
            "agenda": agenda,
            "other_participants": other_participants,
            "person_present": person_present,
            "external_lvb_expert": external_lvb_expert,
        },
        errors,
        today=today,
    )
    chosen = _clean_participants(case, participants, errors)
    raise_if(errors)
    with transaction.atomic():
        meeting = Meeting.objects.create(case=case, created_by=actor, **values)
        meeting.participants.set(chosen)
        _event(
            case,
            Event.Kind.MEETING_PLANNED,
            actor,
            occurred_on=min(meeting.date, today),
            text=meeting.agenda,
            data={
                "kind_label": str(meeting.get_kind_display()),
                "date": meeting.date.isoformat(),
            },
            meeting=meeting,
        )
        _log(actor, case, "update")
    return meeting


def meeting_update(
    *,
    actor: Membership,
    case: Case,
    meeting: Meeting,
    expected_version,
    participants=None,
    today=None,
    **fields,
) -> Meeting:
    """Change a meeting, record the minutes, or mark it held or cancelled."""
    _manager(actor, case)
    if meeting.case_id != case.pk:
        raise Http404
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"meeting_update() got unknown fields: {', '.join(sorted(unknown))}")
    today = _today(today)
    errors: dict = {}
    merged = {"date": fields.get("date", meeting.date), **fields}
    cleaned = _clean_meeting(merged, errors, today=today)
    cleaned = {k: v for k, v in cleaned.items() if k in fields}
    chosen = None
    if participants is not None:
        chosen = _clean_participants(case, participants, errors)
    raise_if(errors)
    with transaction.atomic():
        current = _locked(Meeting, meeting.pk, expected_version)
        was_held = current.status == Meeting.Status.HELD
        for name, value in cleaned.items():
            setattr(current, name, value)
        current.version += 1
        current.save()
        if chosen is not None:
            current.participants.set(chosen)
        if current.status == Meeting.Status.HELD and not was_held:
            _event(
                case,
                Event.Kind.MEETING_HELD,
                actor,
                occurred_on=current.date,
                text=current.minutes,
                data={
                    "kind_label": str(current.get_kind_display()),
                    "lvb_expertise": lvb_expertise_present(current),
                    "participants": current.participants.count(),
                },
                meeting=current,
            )
        _log(actor, case, "update")
    return current
