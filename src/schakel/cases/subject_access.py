"""The cases section of a data subject's access request (AVG art. 15), for privacy's export."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def _day(value) -> str:
    return date_format(value, "j F Y") if value else ""


def build(*, person) -> list[dict]:
    from .display import event_summary
    from .models import Case

    rows = []
    for case in Case.objects.filter(person=person).select_related("organisation"):
        events = [
            f"{_day(e.occurred_on)} · {e.get_kind_display()}"
            + (f": {event_summary(e.kind, e.data)}" if event_summary(e.kind, e.data) else "")
            + (f" — {e.text}" if e.text else "")
            for e in case.events.order_by("occurred_on", "pk")
        ]
        rows.append(
            {
                _("Casus"): case.reference or "",
                _("Organisatie"): case.organisation.name,
                _("Status"): str(case.get_status_display()),
                _("Gestart op"): _day(case.opened_on),
                _("Afgesloten op"): _day(case.closed_on),
                _("Hulpvraag"): case.help_question,
                _("Tijdlijn"): events,
            }
        )
    return rows


def register() -> None:
    try:
        from schakel.privacy.subject_access import register_section
    except ImportError:  # the privacy capability without access requests
        return
    register_section("cases", gettext_lazy("Casussen"), build)
