"""Factories for the privacy app. They write rows directly (no services, no processing log);
tests of behaviour use the services."""

import datetime

import factory
from django.utils import timezone

from schakel.privacy.models import (
    Agreement,
    AgreementEvent,
    Consent,
    ConsentEvent,
    GivenBy,
    SharingDecision,
)
from tests.accounts.factories import MembershipFactory, OrganisationFactory
from tests.people.factories import PersonFactory


def today():
    return timezone.localdate()


class ConsentFactory(factory.django.DjangoModelFactory):
    """A consent with the status "given" (or `status=...`), valid from today for 90 days."""

    class Meta:
        model = Consent
        skip_postgeneration_save = True

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SelfAttribute("person.owner_organisation")
    given_by = GivenBy.PERSON
    purposes = factory.LazyFunction(lambda: ["referral"])
    data_categories = factory.LazyFunction(lambda: ["identificatie", "hulpvraag"])
    recipient_kinds = factory.LazyFunction(list)
    valid_from = factory.LazyFunction(today)
    valid_until = factory.LazyFunction(lambda: today() + datetime.timedelta(days=90))
    config_version = 1
    recorded_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(minutes=5))

    @factory.post_generation
    def recipients(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.recipient_organisations.set(extracted)

    @factory.post_generation
    def status(obj, create, extracted, **kwargs):
        if not create:
            return
        at = obj.recorded_at
        ConsentEvent.objects.create(consent=obj, status="requested", at=at)
        if (extracted or "given") != "requested":
            ConsentEvent.objects.create(
                consent=obj,
                status="given",
                at=at,
                method="written",
                evidence="formulier",
                understanding_checks=["teach_back"],
            )
        if extracted and extracted not in ("requested", "given"):
            ConsentEvent.objects.create(consent=obj, status=extracted, at=at)


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Convenant {n}")
    purposes = factory.LazyFunction(lambda: ["case_coordination"])
    data_categories = factory.LazyFunction(lambda: ["identificatie", "hulpvraag", "tijdlijn"])
    valid_from = factory.LazyFunction(lambda: today() - datetime.timedelta(days=30))
    valid_until = factory.LazyFunction(lambda: today() + datetime.timedelta(days=365))

    @factory.post_generation
    def parties(obj, create, extracted, **kwargs):
        if create:
            obj.parties.set(extracted or [OrganisationFactory(), OrganisationFactory()])
            AgreementEvent.objects.create(agreement=obj, kind="created")


class SharingDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SharingDecision

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SelfAttribute("person.owner_organisation")
    recipient = factory.SubFactory(OrganisationFactory)
    purpose = "report_veilig_thuis"
    data_categories = factory.LazyFunction(lambda: ["identificatie", "signalen"])
    outcome = SharingDecision.Outcome.SHARE
    legal_basis = "meldrecht_veilig_thuis"
    legal_basis_label = "Meldrecht"
    explanation = "Zorgen over veiligheid"
    valid_until = factory.LazyFunction(lambda: today() + datetime.timedelta(days=30))
    config_version = 1
    decided_by = factory.SubFactory(MembershipFactory)
    decided_by_role = "professional"
    decided_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(minutes=1))
