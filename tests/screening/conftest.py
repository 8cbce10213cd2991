"""Fixtures for screening: the shipped instruments published, actors, persons, fake wegwijzer."""

import io
import types

import pytest
from django.core.management import call_command

from schakel.accounts.models import Role
from schakel.people import crypto
from schakel.screening import contacts, selectors
from tests.accounts.factories import MembershipFactory
from tests.people.factories import PersonFactory

from .factories import FAKE_CONTACTS, FakeContact


@pytest.fixture(autouse=True)
def _fresh_caches():
    crypto._ring.cache_clear()
    selectors._parsed.cache_clear()
    yield
    crypto._ring.cache_clear()
    selectors._parsed.cache_clear()


@pytest.fixture
def instruments(db):
    """The five shipped instruments, published as `make setup` does."""
    call_command("load_instruments", verbosity=0)


@pytest.fixture
def municipalities(db):
    call_command("load_reference_data", verbosity=0, stdout=io.StringIO())


@pytest.fixture
def wegwijzer(monkeypatch):
    """A stand-in for the directory's contact selectors (the wegwijzer)."""
    coordinator = FakeContact(
        key="zorgcoordinator_test",
        name="Zorgcoördinator mensenhandel Testregio",
        phone="",
        email="zorgcoordinator@testregio.example",
        url="",
        hours="",
        available_24_7=False,
        note="",
    )
    fake = types.SimpleNamespace(
        contacts_by_key=lambda *, keys: {k: FAKE_CONTACTS[k] for k in keys if k in FAKE_CONTACTS},
        care_coordinators_for=lambda *, municipality_code: (
            [coordinator] if municipality_code == "GM0080" else []
        ),
    )
    monkeypatch.setattr(contacts, "_directory", lambda: fake)
    return fake


@pytest.fixture
def professional(db):
    return MembershipFactory(role=Role.PROFESSIONAL)


@pytest.fixture
def outsider(db):
    return MembershipFactory(role=Role.PROFESSIONAL)


@pytest.fixture
def person(professional):
    return PersonFactory(
        owner_organisation=professional.organisation, given_names="Sam", surname="de Vries"
    )
