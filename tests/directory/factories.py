import factory

from schakel.accounts.models import Role
from schakel.directory.models import Offer, Provider
from tests.accounts.factories import MembershipFactory


class FunctionalAdminFactory(MembershipFactory):
    role = Role.FUNCTIONAL_ADMIN


class OrgAdminFactory(MembershipFactory):
    role = Role.ORG_ADMIN


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    key = factory.Sequence(lambda n: f"aanbieder-{n}")
    name = factory.Sequence(lambda n: f"Aanbieder {n}")
    from_seed = False


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer

    key = factory.Sequence(lambda n: f"aanbod-{n}")
    name = factory.Sequence(lambda n: f"Aanbod {n}")
    provider = factory.SubFactory(ProviderFactory)
    services = factory.LazyFunction(lambda: ["treatment"])
    scope = "national"
    from_seed = False
