import pytest

from schakel.accounts.models import Organisation, Role
from schakel.accounts.services import api_token_issue
from schakel.people import crypto
from tests.accounts.factories import MembershipFactory, OrganisationFactory
from tests.people.factories import PersonFactory


@pytest.fixture(autouse=True)
def _fresh_key_ring():
    crypto._ring.cache_clear()
    yield
    crypto._ring.cache_clear()


@pytest.fixture
def professional(db):
    """Anna: an ambulant support worker at a care provider."""
    return MembershipFactory(
        role=Role.PROFESSIONAL, organisation=OrganisationFactory(name="Zorg Noord")
    )


@pytest.fixture
def adam(professional):
    """Adam, 19, a client of Anna's organisation."""
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    return PersonFactory(
        owner_organisation=professional.organisation,
        given_names="Adam",
        surname="Visser",
        date_of_birth=today.replace(year=today.year - 19) - datetime.timedelta(days=3),
    )


@pytest.fixture
def minor(professional):
    """Noa, 14."""
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    return PersonFactory(
        owner_organisation=professional.organisation,
        given_names="Noa",
        surname="Bakker",
        date_of_birth=today.replace(year=today.year - 14) - datetime.timedelta(days=3),
    )


@pytest.fixture
def recipient(db):
    return OrganisationFactory(name="Jeugdhulp Zuid", domain=Organisation.Domain.ZORG)


@pytest.fixture
def veilig_thuis(db):
    from schakel.privacy.models import PrivacyProfile

    organisation = OrganisationFactory(
        name="Veilig Thuis Regio", domain=Organisation.Domain.GEMEENTE
    )
    PrivacyProfile.objects.create(organisation=organisation, designations=["veilig_thuis"])
    return organisation


@pytest.fixture
def police(db):
    return OrganisationFactory(name="Politie Eenheid", domain=Organisation.Domain.POLITIE)


@pytest.fixture
def registration_office(db):
    return OrganisationFactory(name="Registratiebalie", domain=Organisation.Domain.REGISTRATIE)


@pytest.fixture
def api(client):
    def make(membership=None, **membership_kwargs):
        membership = membership or MembershipFactory(**membership_kwargs)
        _token, plaintext = api_token_issue(membership=membership)
        return client, {"Authorization": f"Bearer {plaintext}"}

    return make
