import datetime
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schakel.people.models import Person
from schakel.people.pseudonyms import (
    PURPOSES,
    Identifiers,
    normalise_name,
    pseudonym_for,
    pseudonyms_for,
)

from .factories import PersonFactory

DOB = datetime.date(2008, 12, 1)


def test_pseudonyms_differ_per_purpose():
    ids = Identifiers(bsn="111222333")
    values = {pseudonym_for(ids, purpose) for purpose in PURPOSES}
    assert len(values) == len(PURPOSES)
    assert all(len(v) == 64 and "111222333" not in v for v in values)


def test_same_identifiers_give_the_same_pseudonym():
    assert pseudonym_for(Identifiers(bsn="111222333"), "log") == pseudonym_for(
        Identifiers(bsn="111222333", surname="Anders"), "log"
    )


def test_name_case_and_accents_do_not_matter():
    plain = Identifiers(surname="celik de vries", given_names="AYSE", date_of_birth=DOB)
    fancy = Identifiers(surname="Çelik-de Vries ", given_names="Ayşe", date_of_birth=DOB)
    for purpose in PURPOSES:
        assert pseudonym_for(plain, purpose) == pseudonym_for(fancy, purpose)


def test_date_of_birth_matters():
    one = Identifiers(surname="Bakker", date_of_birth=DOB)
    other = Identifiers(surname="Bakker", date_of_birth=DOB + datetime.timedelta(days=1))
    assert pseudonym_for(one, "log") != pseudonym_for(other, "log")


letters = st.text(alphabet=string.ascii_letters + " -'", min_size=1, max_size=30).filter(
    lambda s: any(c.isalpha() for c in s)
)


@given(letters, letters)
def test_case_never_changes_the_pseudonym(surname, given_names):
    base = Identifiers(surname=surname, given_names=given_names, date_of_birth=DOB)
    for variant in (str.upper, str.lower, str.swapcase):
        other = Identifiers(
            surname=variant(surname), given_names=variant(given_names), date_of_birth=DOB
        )
        assert pseudonyms_for(base, "signal_index") == pseudonyms_for(other, "signal_index")


def test_normalise_name():
    assert normalise_name("Çelik-de Vries ") == "celikdevries"


@pytest.mark.django_db
def test_stored_person_without_identifiers_falls_back_to_its_id():
    person = PersonFactory(bsn="", surname="", date_of_birth=None)
    assert pseudonym_for(person, "log") == pseudonym_for(person, "log")
    assert pseudonym_for(person, "log") != pseudonym_for(PersonFactory(bsn="", surname=""), "log")


def test_unsaved_person_without_identifiers_has_no_pseudonym():
    with pytest.raises(ValueError):
        pseudonym_for(Person(), "log")


def test_unknown_purpose_is_refused():
    with pytest.raises(ValueError):
        pseudonym_for(Identifiers(bsn="111222333"), "marketing")
