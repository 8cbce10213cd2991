"""Demo cases, on top of `seed_demo` (web/demo.py). Demo only: refused under production settings.

Three fictional cases of Demo Zorgaanbieder, led by professional@zorg.demo with
coordinator@zorg.demo as the backup:

- Noa Bakker: victim of sexual exploitation, only Demo Zorgaanbieder; almost 18 (both transition
  tasks), a declined referral and a crisis card she agreed to;
- Milan Jansen: victim and perpetrator (the non-punishment notice), only Demo Zorgaanbieder; a
  placement and an aftercare plan;
- Sem de Vries: victim of criminal exploitation, shared with Demo Scholengroep
  (professional@onderwijs.demo) on Sem's own consent for working together on a case.

Idempotent: a person who already has a case is left alone.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from schakel.accounts.models import Membership, Organisation, Role

ZORG = "Demo Zorgaanbieder"
SCHOOL = "Demo Scholengroep"


def _membership(email: str, organisation: str, role: str) -> Membership | None:
    return (
        Membership.objects.filter(
            user__email=email, organisation__name=organisation, role=role, is_active=True
        )
        .select_related("user", "organisation")
        .first()
    )


def _person(organisation: Organisation, surname: str):
    return next((p for p in organisation.persons.all() if p.surname == surname), None)


def seed_demo_cases(*, today: datetime.date | None = None) -> str:
    """Create the demo cases; returns a one-line summary."""
    if not getattr(settings, "SCHAKEL_DEMO_ALLOWED", False):
        raise ImproperlyConfigured("seed_demo_cases is refused under production settings")
    from .models import Case

    lead = _membership("professional@zorg.demo", ZORG, Role.PROFESSIONAL)
    backup = _membership("coordinator@zorg.demo", ZORG, Role.CARE_COORDINATOR)
    teacher = _membership("professional@onderwijs.demo", SCHOOL, Role.PROFESSIONAL)
    if lead is None or backup is None:
        return "No demo accounts yet: run seed_demo first. No demo cases made."
    today = today or timezone.localdate()
    made = []
    for surname, build in (("Bakker", _noa), ("Jansen", _milan), ("de Vries", _sem)):
        person = _person(lead.organisation, surname)
        if person is None or Case.objects.filter(person=person).exists():
            continue
        with transaction.atomic():
            build(person=person, lead=lead, backup=backup, teacher=teacher, today=today)
        made.append(person.given_names)
    if not made:
        return "Demo cases: already there."
    return "Demo cases made for: " + ", ".join(made) + "."


def _days(today, n) -> datetime.date:
    return today - datetime.timedelta(days=n)


def _noa(*, person, lead, backup, teacher, today):
    from schakel.directory.models import Offer

    from . import services

    case = services.case_create(
        actor=lead,
        person=person,
        involvement="victim",
        backup=backup,
        forms=["seksuele_uitbuiting"],
        help_question=(
            "Noa wil veilig wonen en weer naar school. Ze wil niet steeds opnieuw haar verhaal "
            "vertellen."
        ),
        opened_on=_days(today, 75),
        today=today,
    )
    services.event_record(
        actor=lead,
        case=case,
        kind="signal",
        occurred_on=_days(today, 80),
        text="Noa heeft dure spullen en een nieuwe 'vriend' van 24 die haar ophaalt bij school.",
        domain="zorg",
        forms=["seksuele_uitbuiting"],
        today=today,
    )
    services.event_record(
        actor=lead,
        case=case,
        kind="police_first_contact",
        occurred_on=_days(today, 40),
        text="Telefonisch overleg met de zedenpolitie; aangifte besproken met Noa.",
        today=today,
    )
    services.event_record(
        actor=lead,
        case=case,
        kind="police_intake",
        occurred_on=_days(today, 20),
        text="Intake in de studio, samen met haar begeleider.",
        lvb_specialist_present=True,
        care_present=True,
        today=today,
    )
    offers = list(Offer.objects.filter(is_active=True).order_by("key")[:2])
    if offers:
        referral = services.referral_create(
            actor=lead, case=case, offer=offers[0], need="shelter", note="Veilige opvang gezocht."
        )
        services.referral_transition(
            actor=lead,
            case=case,
            referral=referral,
            action="decline",
            expected_version=referral.version,
            reason="Geen plek binnen 6 weken.",
        )
    services.placement_create(
        actor=lead,
        case=case,
        provider_name="Demo Zorgaanbieder, ambulant team",
        kind="ambulant",
        started_on=_days(today, 30),
        today=today,
    )
    services.crisis_card_save(
        actor=lead,
        case=case,
        expected_version=0,
        agreed_by_person=True,
        call_first="Mijn begeleider bij Demo Zorgaanbieder (overdag), mijn tante (avond).",
        legal_representative="Mijn moeder (gezag).",
        financial_administrator="",
        what_helps="Rustig praten, één persoon tegelijk. Uitleggen wat er gaat gebeuren.",
        what_does_not_help="Hard praten of meerdere mensen tegelijk.",
        communication="Gebruik korte zinnen. Vraag of ik het in mijn eigen woorden wil zeggen.",
        today=today,
    )
    return case


def _milan(*, person, lead, backup, teacher, today):
    from . import services

    case = services.case_create(
        actor=lead,
        person=person,
        involvement="both",
        backup=backup,
        forms=["criminele_uitbuiting", "arbeidsuitbuiting"],
        help_question=(
            "Milan wil van zijn schulden af en een eigen plek. Hij is bang voor de groep."
        ),
        opened_on=_days(today, 200),
        today=today,
    )
    services.event_record(
        actor=lead,
        case=case,
        kind="signal",
        occurred_on=_days(today, 210),
        text="Milan moest drugs vervoeren om een 'schuld' af te betalen.",
        domain="justitie",
        forms=["criminele_uitbuiting"],
        today=today,
    )
    placement = services.placement_create(
        actor=lead,
        case=case,
        provider_name="Demo woonvoorziening (beschermd wonen)",
        kind="open",
        started_on=_days(today, 150),
        today=today,
    )
    services.placement_end(
        actor=lead,
        case=case,
        placement=placement,
        expected_version=placement.version,
        ended_on=_days(today, 20),
        reason="Milan woont nu zelfstandig met ambulante begeleiding.",
        today=today,
    )
    services.placement_create(
        actor=lead,
        case=case,
        provider_name="Demo Zorgaanbieder, ambulante begeleiding",
        kind="ambulant",
        started_on=_days(today, 20),
        today=today,
    )
    services.aftercare_plan_save(
        actor=lead,
        case=case,
        expected_version=0,
        domains={
            "housing": {"situation": "Eigen kamer sinds kort.", "goal": "Woning houden."},
            "income_debts": {
                "situation": "Schulden bij de groep en bij de zorgverzekeraar.",
                "goal": "Schuldhulp via de gemeente; bewindvoering aangevraagd.",
            },
            "safety": {"situation": "Contact met de groep verbroken.", "goal": "Veilig blijven."},
        },
        coach_kind="buddy",
        coach_name="Buddy via het wijkteam",
        coach_contact="Wijkteam Demo",
    )
    services.meeting_create(
        actor=lead,
        case=case,
        kind="mdo",
        date=today + datetime.timedelta(days=10),
        agenda="Nazorg en schulden.",
        participants=list(case.members.all()),
        person_present=True,
        external_lvb_expert=True,
        today=today,
    )
    return case


def _sem(*, person, lead, backup, teacher, today):
    from schakel.privacy.services import consent_record

    from . import services

    case = services.case_create(
        actor=lead,
        person=person,
        involvement="victim",
        backup=backup,
        forms=["criminele_uitbuiting"],
        help_question="Sem wil zijn school afmaken. School en zorg willen samen optrekken.",
        opened_on=_days(today, 30),
        today=today,
    )
    services.event_record(
        actor=lead,
        case=case,
        kind="signal",
        occurred_on=_days(today, 35),
        text="Sem verzuimt vaak en heeft veel geld bij zich. Hij zegt dat hij 'klusjes' doet.",
        domain="onderwijs",
        forms=["criminele_uitbuiting"],
        today=today,
    )
    if teacher is None:
        return case
    consent_record(
        actor=lead,
        person=person,
        given_by="person",
        purposes=["case_coordination"],
        data_categories=["identificatie", "hulpvraag", "hulpverlening", "tijdlijn", "signalen"],
        recipient_organisations=[teacher.organisation],
        valid_from=today,
        valid_until=today + datetime.timedelta(days=180),
        method="written",
        evidence="Demo: ondertekend formulier in het dossier",
        understanding_checks=["easy_read_together", "teach_back"],
        understanding_note="Sem vertelde in eigen woorden dat school en zorg samenwerken.",
    )
    member = services.case_member_add(
        actor=lead,
        case=case,
        membership=teacher,
        role="education",
        data_categories=["identificatie", "hulpvraag", "hulpverlening", "tijdlijn", "signalen"],
    )
    meeting = services.meeting_create(
        actor=lead,
        case=case,
        kind="regietafel",
        date=_days(today, 7),
        agenda="Kennismaking school en zorg; afspraken over verzuim.",
        participants=list(case.members.all()),
        today=today,
    )
    services.meeting_update(
        actor=lead,
        case=case,
        meeting=meeting,
        expected_version=meeting.version,
        status="held",
        minutes="School meldt verzuim dezelfde dag aan de regiehouder.",
        today=today,
    )
    services.task_create(
        actor=lead,
        case=case,
        title="Verzuim dezelfde dag doorgeven aan de regiehouder",
        owner=member.membership,
        due_on=today + datetime.timedelta(days=14),
        meeting=meeting,
    )
    return case
