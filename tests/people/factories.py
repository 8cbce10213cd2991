import datetime

import factory
from factory import fuzzy

from schakel.people.models import LvbIndication, Person
from schakel.people.validators import BSN_WEIGHTS
from tests.accounts.factories import OrganisationFactory


def bsn_with_check_digit(first_eight: str) -> str | None:
    """Complete 8 digits to a BSN that passes the elfproef, or None when no digit fits."""
    total = sum(w * int(d) for w, d in zip(BSN_WEIGHTS, first_eight, strict=False))
    check = total % 11  # the ninth digit has weight -1: it must equal total mod 11
    if check > 9 or set(first_eight + str(check)) == {"0"}:
        return None
    return first_eight + str(check)


def valid_bsn(n: int) -> str:
    """The n-th valid BSN from a fixed sequence (distinct for distinct n)."""
    candidate = 10_000_000 + n * 7
    while True:
        bsn = bsn_with_check_digit(f"{candidate:08d}")
        if bsn is not None:
            return bsn
        candidate += 1


class PersonFactory(factory.django.DjangoModelFactory):
    """A stored person, created directly (no service, so no processing log entry)."""

    class Meta:
        model = Person

    given_names = factory.Faker("first_name", locale="nl_NL")
    surname = factory.Faker("last_name", locale="nl_NL")
    bsn = factory.Sequence(valid_bsn)
    date_of_birth = fuzzy.FuzzyDate(datetime.date(1990, 1, 1), datetime.date(2012, 12, 31))
    gender = Person.Gender.UNKNOWN
    owner_organisation = factory.SubFactory(OrganisationFactory)


class LvbIndicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LvbIndication

    person = factory.SubFactory(PersonFactory)
    status = LvbIndication.Status.SUSPECTED
    source_kind = LvbIndication.SourceKind.OBSERVATION
    source = "Mentor: begrijpt afspraken vaak niet"
    observed_on = datetime.date(2026, 9, 1)
