import pytest

from schakel.accounts.models import Organisation, Role
from schakel.accounts.services import api_token_issue
from schakel.knowledge import data
from schakel.knowledge.services import knowledge_load
from tests.accounts.factories import MembershipFactory


@pytest.fixture(autouse=True)
def _fresh_tracking_start():
    data.tracking_since.cache_clear()
    yield
    data.tracking_since.cache_clear()


@pytest.fixture
def loaded(db):
    """The knowledge items, themes and recommendations from the app's data files."""
    return knowledge_load()


@pytest.fixture
def functional_admin(db):
    return MembershipFactory(
        role=Role.FUNCTIONAL_ADMIN,
        organisation__name="Schakel platformbeheer",
        organisation__domain=Organisation.Domain.OVERIG,
    )


@pytest.fixture
def analyst(db):
    return MembershipFactory(
        role=Role.ANALYST, organisation__domain=Organisation.Domain.REGISTRATIE
    )


@pytest.fixture
def professional(db):
    return MembershipFactory(role=Role.PROFESSIONAL, organisation__domain=Organisation.Domain.ZORG)


@pytest.fixture
def teacher(db):
    return MembershipFactory(
        role=Role.PROFESSIONAL, organisation__domain=Organisation.Domain.ONDERWIJS
    )


@pytest.fixture
def api(client):
    """Factory: (client, headers) for a token of `membership`."""

    def make(membership):
        _token, plaintext = api_token_issue(membership=membership)
        return client, {"Authorization": f"Bearer {plaintext}"}

    return make
