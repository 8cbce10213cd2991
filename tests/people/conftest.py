import pytest

from schakel.accounts.models import Role
from schakel.accounts.services import api_token_issue
from schakel.people import crypto
from tests.accounts.factories import MembershipFactory

from .factories import PersonFactory


@pytest.fixture(autouse=True)
def _fresh_key_ring():
    """Tests override SCHAKEL_PERSON_KEYS; never let a cached ring leak between tests."""
    crypto._ring.cache_clear()
    yield
    crypto._ring.cache_clear()


@pytest.fixture
def professional(db):
    return MembershipFactory(role=Role.PROFESSIONAL)


@pytest.fixture
def colleague(professional):
    """Another professional of the same organisation."""
    return MembershipFactory(role=Role.PROFESSIONAL, organisation=professional.organisation)


@pytest.fixture
def outsider(db):
    """A professional of another organisation."""
    return MembershipFactory(role=Role.PROFESSIONAL)


@pytest.fixture
def person(professional):
    return PersonFactory(
        owner_organisation=professional.organisation,
        given_names="Noa",
        surname="Bakker",
        bsn="111222333",
    )


@pytest.fixture
def api(client):
    """Factory: (client, headers) for a token of `membership` (default: a new professional)."""

    def make(membership=None, **membership_kwargs):
        membership = membership or MembershipFactory(**membership_kwargs)
        _token, plaintext = api_token_issue(membership=membership)
        return client, {"Authorization": f"Bearer {plaintext}"}

    return make
