import datetime

import pytest

from schakel.accounts.models import Role
from schakel.accounts.services import api_token_issue
from schakel.people import crypto
from tests.accounts.factories import MembershipFactory

from .factories import make_case


@pytest.fixture(autouse=True)
def _fresh_key_ring():
    crypto._ring.cache_clear()
    yield
    crypto._ring.cache_clear()


@pytest.fixture
def lead(db):
    return MembershipFactory(role=Role.PROFESSIONAL)


@pytest.fixture
def colleague(lead):
    return MembershipFactory(role=Role.PROFESSIONAL, organisation=lead.organisation)


@pytest.fixture
def outsider(db):
    """A professional of another organisation."""
    return MembershipFactory(role=Role.PROFESSIONAL)


@pytest.fixture
def case(lead, colleague):
    # A fixed adult: a random date of birth made consent rules (under 16: a parent) flaky.
    return make_case(lead=lead, backup=colleague, date_of_birth=datetime.date(2000, 5, 17))


@pytest.fixture
def api(client):
    """Factory: (client, headers) for a token of `membership`."""

    def make(membership):
        _token, plaintext = api_token_issue(membership=membership)
        return client, {"Authorization": f"Bearer {plaintext}"}

    return make
