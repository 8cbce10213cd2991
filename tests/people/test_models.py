import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schakel.people.models import Person


def age(dob, on):
    return Person(date_of_birth=dob).age_on(on)


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (datetime.date(2026, 3, 13), 17),  # the day before the 18th birthday
        (datetime.date(2026, 3, 14), 18),  # the birthday itself
        (datetime.date(2026, 3, 15), 18),
        (datetime.date(2027, 3, 13), 18),
    ],
)
def test_age_around_a_birthday(on, expected):
    assert age(datetime.date(2008, 3, 14), on) == expected


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (datetime.date(2026, 2, 28), 17),
        (datetime.date(2026, 3, 1), 18),  # in a common year, 1 March is the first day at 18
        (datetime.date(2028, 2, 28), 19),
        (datetime.date(2028, 2, 29), 20),
    ],
)
def test_age_of_someone_born_on_29_february(on, expected):
    assert age(datetime.date(2008, 2, 29), on) == expected


def test_no_date_of_birth_means_no_age():
    assert Person().age is None


@given(
    st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2025, 12, 31)),
    st.integers(0, 80),
)
def test_age_goes_up_by_one_on_the_birthday(dob, years):
    if (dob.month, dob.day) == (2, 29):
        dob = dob.replace(day=28)
    birthday = dob.replace(year=dob.year + years)
    assert age(dob, birthday) == years
    assert age(dob, birthday - datetime.timedelta(days=1)) == years - 1


def test_display_name():
    assert Person(given_names="Noa", surname="Bakker").display_name == "Noa Bakker"
    assert Person(surname="Bakker").display_name == "Bakker"
    assert str(Person().display_name) == "(naam onbekend)"
