"""The timeline: groups of event kinds, entries as shown, filters."""

import datetime
from dataclasses import dataclass, field

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import sources
from ..access import (
    ASSESSMENT_CATEGORY,
    BASE_CATEGORY,
    event_category,
)
from ..display import event_summary
from ..models import (
    Case,
    CaseMember,
    Event,
)
from ._common import _access, _int

GROUPS = {
    "signals": gettext_lazy("Signalen en screenings"),
    "police": gettext_lazy("Politie en aangifte"),
    "help": gettext_lazy("Hulp, verwijzingen en plaatsingen"),
    "meetings": gettext_lazy("Overleg, besluiten en afspraken"),
    "team": gettext_lazy("Regie en team"),
    "consent": gettext_lazy("Toestemming"),
    "notes": gettext_lazy("Notities"),
}


_KIND_GROUP = {
    Event.Kind.SIGNAL: "signals",
    Event.Kind.POLICE_FIRST_CONTACT: "police",
    Event.Kind.POLICE_INTAKE: "police",
    Event.Kind.POLICE_REPORT: "police",
    Event.Kind.MEETING_PLANNED: "meetings",
    Event.Kind.MEETING_HELD: "meetings",
    Event.Kind.DECISION: "meetings",
    Event.Kind.TASK_DONE: "meetings",
    Event.Kind.NOTE: "notes",
}


for _kind in Event.Kind.values:
    if _kind.startswith(("referral_", "placement_", "crisis_card")) or _kind in (
        Event.Kind.AFTERCARE_PLAN,
        Event.Kind.RESIDENCE,
    ):
        _KIND_GROUP[_kind] = "help"
    _KIND_GROUP.setdefault(_kind, "team")


def kind_group(kind: str) -> str:
    return _KIND_GROUP.get(kind, "team")


@dataclass
class TimelineEntry:
    id: str
    kind: str
    kind_label: str
    group: str
    occurred_on: datetime.date
    recorded_at: datetime.datetime | None = None
    recorded_by: str = ""
    summary: str = ""
    text: str = ""
    source: str = "case"
    event: Event | None = None
    corrects: str = ""
    corrected_by: list[str] = field(default_factory=list)
    warning: str = ""

    @property
    def correctable(self) -> bool:
        return self.event is not None


def _intake_warning(event: Event, lvb_positive: bool) -> str:
    data = event.data or {}
    if (
        event.kind == Event.Kind.POLICE_INTAKE
        and lvb_positive
        and not (data.get("lvb_specialist_present") or data.get("expert_by_experience_present"))
    ):
        return _(
            "Bij deze persoon is een LVB vermoed of vastgesteld, maar er was geen LVB-specialist "
            "of ervaringsdeskundige bij de intake."
        )
    return ""


def timeline_entry(event: Event, lvb_positive: bool) -> TimelineEntry:
    kind = event.kind
    group_kind = event.data.get("corrected_kind", kind) if kind == Event.Kind.CORRECTION else kind
    return TimelineEntry(
        id=f"e{event.pk}",
        kind=kind,
        kind_label=str(event.get_kind_display()),
        group=kind_group(group_kind),
        occurred_on=event.occurred_on,
        recorded_at=event.recorded_at,
        recorded_by=event.recorded_by_label,
        summary=event_summary(kind, event.data),
        text=event.text,
        event=event,
        corrects=f"e{event.corrects_id}" if event.corrects_id else "",
        warning=_intake_warning(event, lvb_positive),
    )


def timeline_for(
    *,
    actor,
    case: Case,
    group: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> list[TimelineEntry]:
    """The timeline, newest first: the case's own events, the consent history recorded by the
    organisations on the case and the person's screenings, each only for members who may see
    that kind of data. `group` and the dates filter."""
    access = _access(actor, case)
    lvb_positive = sources.lvb_positive(sources.lvb_current(case.person))
    entries: list[TimelineEntry] = []
    events = list(Event.objects.filter(case=case).order_by("-occurred_on", "-recorded_at", "-pk"))
    for event in events:
        corrected_kind = event.data.get("corrected_kind", event.kind)
        if not access.sees(event_category(corrected_kind)):
            continue
        entries.append(timeline_entry(event, lvb_positive))
    by_id = {e.id: e for e in entries}
    for entry in entries:
        if entry.corrects and entry.corrects in by_id:
            by_id[entry.corrects].corrected_by.append(entry.id)
    if access.sees(BASE_CATEGORY):
        organisations = set(
            CaseMember.objects.filter(case=case).values_list("organisation_id", flat=True)
        ) | {case.organisation_id}
        for index, change in enumerate(
            sources.consent_changes_of(case.person, organisation_ids=organisations)
        ):
            entries.append(
                TimelineEntry(
                    id=f"consent-{index}",
                    kind="consent",
                    kind_label=_("toestemming %(status)s") % {"status": change.status_label},
                    group="consent",
                    occurred_on=timezone.localtime(change.at).date(),
                    recorded_at=change.at,
                    recorded_by=change.organisation_name,
                    summary=_("%(purposes)s (gegeven door: %(who)s)")
                    % {"purposes": ", ".join(change.purposes), "who": change.given_by_label},
                    source="consent",
                )
            )
    if access.sees(ASSESSMENT_CATEGORY):
        for assessment in sources.assessments_of(case.person):
            entries.append(
                TimelineEntry(
                    id=f"screening-{assessment.public_id}",
                    kind="assessment",
                    kind_label=_("screening"),
                    group="signals",
                    occurred_on=timezone.localtime(assessment.created_at).date(),
                    recorded_at=assessment.created_at,
                    recorded_by=assessment.organisation_name,
                    summary=_("%(title)s: uitkomst %(outcome)s")
                    % {"title": assessment.title, "outcome": assessment.outcome},
                    source="screening",
                )
            )
    if group:
        entries = [e for e in entries if e.group == group]
    if date_from:
        entries = [e for e in entries if e.occurred_on >= date_from]
    if date_to:
        entries = [e for e in entries if e.occurred_on <= date_to]
    epoch = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    entries.sort(key=lambda e: (e.occurred_on, e.recorded_at or epoch), reverse=True)
    return entries


def event_get_for(*, actor, case: Case, pk) -> Event:
    access = _access(actor, case)
    event = Event.objects.filter(case=case, pk=_int(pk)).first()
    if event is None or not access.sees(
        event_category(event.data.get("corrected_kind", event.kind))
    ):
        raise Http404
    return event
