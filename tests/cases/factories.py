"""Factories and builders for the case tests. Cases are made through the services (so the
invariants and the processing log hold from the start); wegwijzer offers directly."""

import datetime

import factory

from schakel.accounts.models import Role
from schakel.cases import services
from schakel.directory.models import Offer, Provider
from schakel.privacy.models import SharingBasis
from tests.accounts.factories import MembershipFactory
from tests.people.factories import LvbIndicationFactory, PersonFactory
from tests.privacy.factories import AgreementFactory

ALL_CASE_CATEGORIES = [
    "identificatie",
    "contactgegevens",
    "hulpvraag",
    "hulpverlening",
    "lvb-indicatie",
    "signalen",
    "screening",
    "tijdlijn",
]


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    key = factory.Sequence(lambda n: f"aanbieder-{n}")
    name = factory.Sequence(lambda n: f"Aanbieder {n}")


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer

    key = factory.Sequence(lambda n: f"aanbod-{n}")
    provider = factory.SubFactory(ProviderFactory)
    name = factory.Sequence(lambda n: f"Hulpprogramma {n}")
    services = factory.LazyFunction(lambda: ["ambulant"])
    scope = "national"


def agreement_between(*organisations, categories=None, purposes=None):
    """A valid convenant for case coordination between the organisations."""
    return AgreementFactory(
        parties=list(organisations),
        purposes=purposes or ["case_coordination", "referral", "crisis_card"],
        data_categories=categories or ALL_CASE_CATEGORIES + ["hulpkaart"],
    )


def make_case(
    *,
    lead=None,
    backup=None,
    person=None,
    involvement="victim",
    date_of_birth=None,
    lvb=False,
    today=None,
    **kwargs,
):
    """A case made by `lead` (a professional) with a colleague as backup."""
    lead = lead or MembershipFactory(role=Role.PROFESSIONAL)
    backup = backup or MembershipFactory(role=Role.PROFESSIONAL, organisation=lead.organisation)
    if person is None:
        extra = {"date_of_birth": date_of_birth} if date_of_birth else {}
        person = PersonFactory(owner_organisation=lead.organisation, **extra)
    if lvb:
        LvbIndicationFactory(person=person, observed_on=datetime.date(2020, 1, 1))
    return services.case_create(
        actor=lead,
        person=person,
        involvement=involvement,
        backup=backup,
        today=today,
        **kwargs,
    )


def add_member(case, membership, *, by=None, role="caregiver", categories=None, agree=True):
    """Add `membership` to the case; from another organisation with a convenant first."""
    by = by or case.lead
    if (
        agree
        and membership.organisation_id != case.organisation_id
        and not SharingBasis.objects.filter(
            sender=by.organisation, recipient=membership.organisation
        ).exists()
    ):
        agreement_between(by.organisation, membership.organisation)
    return services.case_member_add(
        actor=by,
        case=case,
        membership=membership,
        role=role,
        data_categories=categories or ALL_CASE_CATEGORIES,
    )


def police_organisation():
    from tests.accounts.factories import OrganisationFactory

    return OrganisationFactory(domain="politie")


def full_case(*, lead=None, today=None):
    """A case with one of everything: a member from another organisation, a referral, a
    placement, a meeting with a decision and an agreement, an open handover, an aftercare plan
    and a crisis card shared with the police. Returns a dict of the objects."""
    from schakel.cases.models import Event

    lead = lead or MembershipFactory(role=Role.PROFESSIONAL)
    backup = MembershipFactory(role=Role.CARE_COORDINATOR, organisation=lead.organisation)
    case = make_case(lead=lead, backup=backup, date_of_birth=datetime.date(2009, 6, 1), today=today)
    guest = MembershipFactory(role=Role.PROFESSIONAL)
    guest_member = add_member(case, guest)
    police = police_organisation()
    agreement_between(lead.organisation, police)
    offer = OfferFactory()
    referral = services.referral_create(actor=lead, case=case, offer=offer)
    placement = services.placement_create(
        actor=lead,
        case=case,
        provider_name="Aanbieder A",
        kind="ambulant",
        started_on=datetime.date(2026, 1, 5),
    )
    meeting = services.meeting_create(
        actor=lead,
        case=case,
        kind="regietafel",
        date=datetime.date(2026, 2, 1),
        participants=list(case.members.all()),
    )
    services.event_record(
        actor=lead,
        case=case,
        kind="decision",
        text="Besluit",
        meeting=meeting,
        occurred_on=datetime.date(2026, 2, 1),
    )
    task = services.task_create(
        actor=lead,
        case=case,
        title="Afspraak",
        owner=guest,
        due_on=datetime.date(2026, 3, 1),
        meeting=meeting,
    )
    event = services.event_record(actor=lead, case=case, kind="note", text="Notitie")
    services.aftercare_plan_save(
        actor=lead,
        case=case,
        expected_version=0,
        domains={"housing": {"situation": "Kamer", "goal": "Blijven wonen"}},
    )
    services.crisis_card_save(
        actor=lead,
        case=case,
        expected_version=0,
        agreed_by_person=True,
        call_first="Moeder",
    )
    share = services.crisis_card_share(actor=lead, case=case, recipient=police)
    handover = services.handover_offer(actor=lead, case=case, to_member=guest_member)
    case.refresh_from_db()
    return {
        "case": case,
        "lead": lead,
        "backup": backup,
        "guest": guest,
        "guest_member": guest_member,
        "police": police,
        "offer": offer,
        "referral": referral,
        "placement": placement,
        "meeting": meeting,
        "task": task,
        "event": event,
        "share": share,
        "handover": handover,
        "events": Event.objects.filter(case=case).count(),
    }
