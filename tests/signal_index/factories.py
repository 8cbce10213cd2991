"""Builders for the signal index tests. Registrations are made through the service, so the
pseudonyms, matching and the processing log hold from the start."""

import base64
import datetime

from schakel.accounts.models import Organisation, Role
from schakel.people.pseudonyms import Identifiers
from schakel.signal_index import services
from tests.accounts.factories import MembershipFactory, OrganisationFactory
from tests.people.factories import valid_bsn

TODAY = datetime.date(2026, 6, 1)
PHONE = "020-555 12 34"


def professional(domain=Organisation.Domain.ZORG, organisation=None, role=Role.PROFESSIONAL):
    organisation = organisation or OrganisationFactory(domain=domain)
    return MembershipFactory(organisation=organisation, role=role)


def surname_for(n: int) -> str:
    """A distinct surname per n (digits would vanish in the name normalisation)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    return "Jansen " + letters[n % 26] + letters[(n // 26) % 26] + letters[(n // 676) % 26]


def identifiers(n: int = 1, *, bsn=True, names=True, born=datetime.date(2010, 4, 12)):
    return Identifiers(
        bsn=valid_bsn(n) if bsn else "",
        surname=surname_for(n) if names else "",
        given_names="Sem Pieter" if names else "",
        date_of_birth=born if names else None,
    )


def register(actor, ids=None, *, context="zorgen_over_uitbuiting", today=TODAY, **kwargs):
    kwargs.setdefault("contact_function", "Mentor")
    kwargs.setdefault("contact_phone", PHONE)
    return services.signal_register(
        actor=actor, context=context, identifiers=ids, today=today, **kwargs
    )


def rotation_key(version: int) -> str:
    key = (f"signal-rotation-key-{version}-" * 4).encode()[:32]
    return f"{version}:{base64.b64encode(key).decode()}"
