"""What the case pages and the API show that is worked out from stored records, without writing:
words for things the system writes itself (task titles, event summaries, made at display time so
they follow the reader's language), how a member is named, the crisis card as it is printed and
shared, how long a referral waits and whether a meeting had LVB expertise at the table."""

import contextlib
import datetime
import re

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import (
    CARD_FIELDS,
    Case,
    CrisisCard,
    Event,
    Meeting,
    MemberRole,
    PlacementKind,
    Referral,
    Task,
)


def person_label(membership) -> str:
    """A professional as the timeline names them: name (organisation); the system itself when
    there is no one."""
    if membership is None:
        return _("Schakel (automatisch)")
    user = membership.user
    return f"{user.full_name or user.email} ({membership.organisation.name})"


def crisis_card_snapshot(case: Case, card: CrisisCard) -> dict:
    """The crisis card as it is printed, and as a shared copy keeps it."""
    person = case.person
    lead = case.lead
    return {
        "case_reference": case.reference,
        "name": person.display_name,
        "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else "",
        **{name: getattr(card, name) for name in CARD_FIELDS},
        "agreed_on": card.agreed_on.isoformat() if card.agreed_on else "",
        "lead": lead.user.full_name or lead.user.email,
        "lead_organisation": lead.organisation.name,
    }


def lvb_expertise_present(meeting: Meeting, participants=None) -> bool:
    """Is LVB expertise at the table: a participant with LVB expertise or in the role of LVB
    expert, or an LVB expert from outside Schakel."""
    if meeting.external_lvb_expert:
        return True
    members = participants if participants is not None else meeting.participants.all()
    return any(m.lvb_expertise or m.role == MemberRole.LVB_EXPERT for m in members)


def referral_waiting_days(referral: Referral, *, today=None) -> int | None:
    """Days between the request and the start (or until today while it is still waiting)."""
    if referral.started_on:
        return (referral.started_on - referral.requested_on).days
    if referral.status in (Referral.Status.REQUESTED, Referral.Status.ACCEPTED):
        return ((today or timezone.localdate()) - referral.requested_on).days
    return None


def stage_label(key: str) -> str:
    """'17y6m' → '17 jaar en 6 maanden'."""
    match = re.fullmatch(r"(\d+)y(\d+)m", key or "")
    if not match:
        return key
    years, months = int(match.group(1)), int(match.group(2))
    return _("%(years)d jaar en %(months)s") % {
        "years": years,
        "months": ngettext("%(n)d maand", "%(n)d maanden", months) % {"n": months},
    }


def _day(value) -> str:
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return date_format(value, "j F Y") if value else ""


def task_title(task: Task) -> str:
    params = task.params or {}
    if task.kind == Task.Kind.TRANSITION:
        return _("Plan de overgang naar 18 jaar (de persoon is nu %(age)s)") % {
            "age": stage_label(params.get("stage", ""))
        }
    if task.kind == Task.Kind.AFTERCARE:
        months = int(params.get("months", 0))
        return ngettext(
            "Nazorg: neem contact op, %(n)d maand na het afsluiten",
            "Nazorg: neem contact op, %(n)d maanden na het afsluiten",
            months,
        ) % {"n": months}
    if task.kind == Task.Kind.REFLECTION:
        return _("De bedenktijd eindigt op %(day)s: bespreek de volgende stap") % {
            "day": _day(params.get("reflection_end"))
        }
    return task.title


def _member_text(data: dict) -> str:
    role = data.get("role", "")
    with contextlib.suppress(ValueError):
        role = MemberRole(role).label
    return _("%(name)s (%(organisation)s), als %(role)s") % {
        "name": data.get("name", ""),
        "organisation": data.get("organisation", ""),
        "role": role,
    }


class _Known(dict):
    """Formatting values: a key that is missing shows as a dash instead of failing."""

    def __missing__(self, key):
        return "–"


def event_summary(kind: str, data: dict) -> str:  # noqa: C901 - to be split
    """One line about a system event; '' when the event's own text says it all."""
    data = _Known(data or {})
    if kind in (Event.Kind.MEMBER_JOINED, Event.Kind.MEMBER_LEFT, Event.Kind.MEMBER_CHANGED):
        return _member_text(data)
    if kind == Event.Kind.HANDOVER_ACCEPTED:
        return _("Regiehouder: %(to)s (was %(from)s). Achtervang: %(backup)s.") % data
    if kind == Event.Kind.HANDOVER_OFFERED:
        return _("%(from)s biedt de regie aan aan %(to)s.") % data
    if kind in (Event.Kind.HANDOVER_DECLINED, Event.Kind.HANDOVER_WITHDRAWN):
        return _("Overdracht van %(from)s aan %(to)s.") % data
    if kind == Event.Kind.BACKUP_CHANGED:
        return _("Achtervang: %(backup)s (was %(previous)s).") % data
    if kind == Event.Kind.CASE_OPENED:
        return _("Regiehouder: %(lead)s. Achtervang: %(backup)s.") % data
    if kind == Event.Kind.CASE_CHANGED:
        return _("Gewijzigd: %(fields)s.") % {"fields": ", ".join(data.get("labels", []))}
    if kind.startswith("referral_"):
        return _("%(offer)s (%(provider)s)") % {
            "offer": data.get("offer", ""),
            "provider": data.get("provider", "") or "–",
        }
    if kind in (Event.Kind.PLACEMENT_STARTED, Event.Kind.PLACEMENT_ENDED):
        placement_kind = data.get("kind", "")
        with contextlib.suppress(ValueError):
            placement_kind = PlacementKind(placement_kind).label
        return _("%(provider)s, %(kind)s") % {
            "provider": data.get("provider", ""),
            "kind": placement_kind,
        }
    if kind == Event.Kind.POLICE_INTAKE:
        present = []
        if data.get("lvb_specialist_present"):
            present.append(_("een LVB-specialist"))
        if data.get("expert_by_experience_present"):
            present.append(_("een ervaringsdeskundige"))
        if data.get("care_present"):
            present.append(_("de hulpverlening"))
        if not present:
            return _("Zonder LVB-specialist, ervaringsdeskundige of hulpverlening erbij.")
        return _("Erbij: %(who)s.") % {"who": ", ".join(present)}
    if kind == Event.Kind.MEETING_HELD:
        if data.get("lvb_expertise"):
            return _("%(kind)s, met LVB-expertise.") % {"kind": data.get("kind_label", "")}
        return _("%(kind)s, zonder LVB-expertise.") % {"kind": data.get("kind_label", "")}
    if kind == Event.Kind.MEETING_PLANNED:
        return _("%(kind)s op %(day)s.") % {
            "kind": data.get("kind_label", ""),
            "day": _day(data.get("date")),
        }
    if kind == Event.Kind.CRISIS_CARD_SHARED:
        return _("Gedeeld met %(recipient)s.") % {"recipient": data.get("recipient", "")}
    if kind == Event.Kind.CRISIS_CARD:
        if data.get("agreed"):
            return _("Hulpkaart opgeslagen; de persoon is het ermee eens.")
        return _("Hulpkaart opgeslagen; de persoon moet er nog mee instemmen.")
    if kind == Event.Kind.AFTERCARE_PLAN:
        return _("Leefgebieden met een doel: %(domains)s.") % {
            "domains": ", ".join(data.get("domains", [])) or "–"
        }
    if kind == Event.Kind.TASK_DONE:
        return data.get("title", "")
    if kind == Event.Kind.RESIDENCE:
        return ", ".join(data.get("labels", []))
    if kind == Event.Kind.SIGNAL and data.get("forms_labels"):
        return _("Vorm: %(forms)s.") % {"forms": ", ".join(data["forms_labels"])}
    return ""
