"""Everything held about a person, for an access request (AVG art. 15): readable and as JSON.

Sections come from this app and from any app that registers one in its AppConfig.ready():

    from schakel.privacy.subject_access import register_section
    register_section("cases", gettext_lazy("Casussen"), build)   # build(*, person) -> list[dict]

Each builder returns a list of rows (dicts of label -> value, values plain strings or lists).
Activities the register marks `confidential` are left out: their processing log entries, and
decisions and disclosures whose purpose belongs to such an activity.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .register import processing_register


@dataclass(frozen=True)
class Section:
    key: str
    title: object
    build: Callable


SECTIONS: dict[str, Section] = {}


def register_section(key: str, title, build) -> None:
    SECTIONS[key] = Section(key, title, build)


def _day(value) -> str:
    return date_format(value, "j F Y") if value else ""


def _moment(value) -> str:
    return date_format(timezone.localtime(value), "j F Y H:i") if value else ""


def _confidential_activities() -> set[str]:
    return {a.key for a in processing_register().activities.values() if a.confidential}


def _purpose_confidential(purpose_key: str) -> bool:
    from .sharing_config import sharing_config

    purpose = sharing_config().purposes.get(purpose_key)
    return purpose is None or purpose.activity in _confidential_activities()


def _person(*, person) -> list[dict]:
    return [
        {
            _("Voornamen"): person.given_names,
            _("Achternaam"): person.surname,
            _("BSN"): person.bsn,
            _("Geboortedatum"): _day(person.date_of_birth),
            _("Geslacht"): str(person.get_gender_display()),
            _("Adres"): person.address,
            _("Telefoonnummer"): person.phone,
            _("Vastgelegd door"): person.owner_organisation.name,
            _("Vastgelegd op"): _moment(person.created_at),
        }
    ]


def _lvb(*, person) -> list[dict]:
    return [
        {
            _("Datum"): _day(entry.observed_on),
            _("Status"): str(entry.get_status_display()),
            _("Soort bron"): str(entry.get_source_kind_display()),
            _("Bron"): entry.source,
            _("Toelichting"): entry.note,
        }
        for entry in person.lvb_history.all()
    ]


def _consents(*, person) -> list[dict]:
    from .sharing_config import sharing_config

    config = sharing_config()
    rows = []
    for consent in person.consents.select_related("organisation").prefetch_related(
        "events__files", "recipient_organisations"
    ):
        rows.append(
            {
                _("Organisatie"): consent.organisation.name,
                _("Gegeven door"): str(consent.get_given_by_display()),
                _("Doelen"): [
                    config.purposes[p].label for p in consent.purposes if p in config.purposes
                ],
                _("Gegevens"): config.category_labels(consent.data_categories),
                _("Ontvangers"): [o.name for o in consent.recipient_organisations.all()]
                + list(consent.recipient_kinds),
                _("Geldig"): f"{_day(consent.valid_from)} – {_day(consent.valid_until)}",
                _("Geschiedenis"): [
                    f"{_moment(e.at)}: {e.get_status_display()}" for e in consent.events.all()
                ],
                # The files themselves are handed over on request, from the consent page.
                _("Bewijsstukken"): [
                    f"{f.file_name} ({f.size} bytes, SHA-256 {f.sha256})"
                    for e in consent.events.all()
                    for f in e.files.all()
                ],
            }
        )
    return rows


def _decisions(*, person) -> list[dict]:
    from .reasons import render_all
    from .sharing_config import sharing_config

    config = sharing_config()
    rows = []
    for decision in person.sharing_decisions.select_related("organisation", "recipient"):
        if _purpose_confidential(decision.purpose):
            continue
        rows.append(
            {
                _("Datum"): _moment(decision.decided_at),
                _("Organisatie"): decision.organisation.name,
                _("Ontvanger"): decision.recipient.name,
                _("Doel"): config.purposes[decision.purpose].label,
                _("Gegevens"): config.category_labels(decision.data_categories),
                _("Uitkomst"): str(decision.get_outcome_display()),
                _("Grondslag"): decision.legal_basis_label,
                _("Redenen"): render_all(decision.reasons),
                _("Toelichting"): decision.explanation,
            }
        )
    return rows


def _disclosures(*, person) -> list[dict]:
    from .sharing_config import sharing_config

    config = sharing_config()
    rows = []
    for basis in person.sharing_bases.select_related("sender", "recipient"):
        if _purpose_confidential(basis.purpose) or basis.kind == "own":
            continue
        rows.append(
            {
                _("Datum"): _moment(basis.created_at),
                _("Van"): basis.sender.name,
                _("Aan"): basis.recipient.name,
                _("Doel"): config.purposes[basis.purpose].label,
                _("Gegevens"): config.category_labels(basis.data_categories),
                _("Grondslag"): basis.legal_basis_label,
            }
        )
    return rows


def _requests(*, person) -> list[dict]:
    return [
        {
            _("Soort verzoek"): str(r.get_kind_display()),
            _("Ontvangen op"): _day(r.received_on),
            _("Uiterste datum"): _day(r.deadline),
            _("Geschiedenis"): [
                f"{_moment(e.at)}: {e.get_status_display()}" for e in r.events.all()
            ],
        }
        for r in person.subject_requests.prefetch_related("events")
    ]


def _processing_log(*, person) -> list[dict]:
    from schakel.accounts.models import Organisation, Role
    from schakel.people.pseudonyms import log_pseudonym

    from .models import ProcessingEntry

    register = processing_register()
    hidden = _confidential_activities()
    entries = (
        ProcessingEntry.objects.filter(subject_pseudonym=log_pseudonym(person))
        .exclude(activity__in=hidden)
        .order_by("seq")
    )
    names = dict(Organisation.objects.values_list("pk", "name"))
    roles = dict(Role.choices)
    rows = []
    for entry in entries:
        activity = register.activities.get(entry.activity)
        rows.append(
            {
                _("Wanneer"): _moment(entry.occurred_at),
                _("Verwerking"): activity.text("name") if activity else entry.activity,
                _("Handeling"): str(entry.get_operation_display()),
                _("Organisatie"): names.get(entry.organisation_id, _("het systeem")),
                _("Rol"): str(roles.get(entry.role, entry.role)),
                _("Resultaat"): str(entry.get_outcome_display()),
            }
        )
    return rows


register_section("person", gettext_lazy("Uw gegevens"), _person)
register_section("lvb", gettext_lazy("LVB-indicaties"), _lvb)
register_section("consents", gettext_lazy("Toestemmingen"), _consents)
register_section("decisions", gettext_lazy("Besluiten over delen"), _decisions)
register_section("disclosures", gettext_lazy("Gedeeld met andere organisaties"), _disclosures)
register_section("requests", gettext_lazy("Uw verzoeken"), _requests)
register_section(
    "processing_log", gettext_lazy("Wie wanneer iets met uw gegevens deed"), _processing_log
)


def subject_access_export(*, person) -> dict:
    """The export itself (callers check access and log the read)."""
    register = processing_register()
    return {
        "generated_at": timezone.now().isoformat(),
        "register_version": register.version,
        "controller": register.controller,
        "sections": [
            {"key": section.key, "title": str(section.title), "rows": section.build(person=person)}
            for section in SECTIONS.values()
        ],
    }
