import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import assume, given
from hypothesis import strategies as st

from schakel.people.validators import (
    bsn_is_valid,
    normalise_bsn,
    validate_bsn,
    validate_date_of_birth,
)

from .factories import bsn_with_check_digit

eight_digits = st.text(alphabet="0123456789", min_size=8, max_size=8)


@pytest.mark.parametrize("bsn", ["111222333", "123456782", "999990019", "000000012"])
def test_known_valid_bsns(bsn):
    assert bsn_is_valid(bsn)
    validate_bsn(bsn)


@pytest.mark.parametrize(
    ("bsn", "message"),
    [
        ("123456789", "Dit BSN klopt niet (elfproef)."),
        ("111222334", "Dit BSN klopt niet (elfproef)."),
        ("12345678", "Een BSN heeft 9 cijfers."),
        ("1234567820", "Een BSN heeft 9 cijfers."),
        ("12345678a", "Een BSN heeft 9 cijfers."),
        ("１２３４５６７８２", "Een BSN heeft 9 cijfers."),  # full-width digits
        ("", "Een BSN heeft 9 cijfers."),
        ("000000000", "Een BSN kan niet alleen uit nullen bestaan."),
    ],
)
def test_invalid_bsns_have_a_clear_message(bsn, message):
    assert not bsn_is_valid(bsn)
    with pytest.raises(ValidationError) as caught:
        validate_bsn(bsn)
    assert caught.value.messages == [message]


def test_normalise_bsn_removes_separators():
    assert normalise_bsn(" 1112.22.333 ") == "111222333"
    assert normalise_bsn("111-222-333") == "111222333"
    assert normalise_bsn(None) == ""


@given(eight_digits)
def test_completed_numbers_pass_the_elfproef(first_eight):
    bsn = bsn_with_check_digit(first_eight)
    assume(bsn is not None)
    assert bsn_is_valid(bsn)


@given(eight_digits, st.integers(0, 8), st.integers(1, 9))
def test_changing_one_digit_is_always_caught(first_eight, position, delta):
    bsn = bsn_with_check_digit(first_eight)
    assume(bsn is not None)
    digits = list(bsn)
    digits[position] = str((int(digits[position]) + delta) % 10)
    assert not bsn_is_valid("".join(digits))


@given(eight_digits, st.integers(0, 7))
def test_swapping_neighbouring_digits_is_always_caught(first_eight, position):
    bsn = bsn_with_check_digit(first_eight)
    assume(bsn is not None and bsn[position] != bsn[position + 1])
    digits = list(bsn)
    digits[position], digits[position + 1] = digits[position + 1], digits[position]
    assert not bsn_is_valid("".join(digits))


@given(st.text(max_size=12).filter(lambda s: len(s) != 9 or not s.isdigit()))
def test_anything_but_nine_digits_is_rejected(value):
    assert not bsn_is_valid(value)


TODAY = datetime.date(2026, 11, 24)


@pytest.mark.parametrize("day", [datetime.date(1900, 1, 1), datetime.date(2008, 2, 29), TODAY])
def test_dates_of_birth_that_are_possible(day):
    validate_date_of_birth(day, today=TODAY)


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (TODAY + datetime.timedelta(days=1), "De geboortedatum kan niet in de toekomst liggen."),
        (datetime.date(1899, 12, 31), "De geboortedatum kan niet voor 1900 liggen."),
    ],
)
def test_impossible_dates_of_birth(day, message):
    with pytest.raises(ValidationError) as caught:
        validate_date_of_birth(day, today=TODAY)
    assert caught.value.messages == [message]
