"""Encryption at rest: round trips, tampering, and key rotation."""

import base64
import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schakel.people import crypto
from schakel.people.fields import EncryptedDateField, EncryptedTextField
from schakel.people.models import Person
from schakel.people.services import encrypted_field_names, person_keys_rotate

from .factories import PersonFactory

KEY_A = "A:" + base64.b64encode(bytes(range(32))).decode()
KEY_B = "B:" + base64.b64encode(bytes(range(100, 132))).decode()


def raw_columns(person: Person) -> dict[str, str | None]:
    """The stored column values, read past the fields' decryption."""
    names = encrypted_field_names()
    columns = ", ".join(connection.ops.quote_name(name) for name in names)
    table = connection.ops.quote_name(Person._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table} WHERE id = %s", [person.pk])  # noqa: S608
        return dict(zip(names, cursor.fetchone(), strict=True))


@given(st.text(), st.binary(max_size=16))
def test_encrypt_decrypt_round_trip(plaintext, aad):
    token = crypto.encrypt(plaintext, aad=aad)
    assert token.startswith("v1:t1:")
    assert crypto.decrypt(token, aad=aad) == plaintext


@given(st.text(min_size=1))
def test_text_field_round_trip(plaintext):
    field = EncryptedTextField()
    stored = field.get_prep_value(plaintext)
    assert stored != plaintext
    assert field.from_db_value(stored, None, connection) == plaintext


@given(st.dates(min_value=datetime.date(1900, 1, 1)))
def test_date_field_round_trip(day):
    field = EncryptedDateField()
    stored = field.get_prep_value(day)
    assert day.isoformat() not in stored
    assert field.from_db_value(stored, None, connection) == day


def test_same_plaintext_encrypts_differently_each_time():
    assert crypto.encrypt("111222333") != crypto.encrypt("111222333")


@pytest.mark.django_db
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(surname=st.text(min_size=1, max_size=60), given_names=st.text(max_size=60))
def test_database_holds_ciphertext_not_plaintext(surname, given_names):
    person = PersonFactory(surname=surname, given_names=given_names, bsn="111222333")
    raw = raw_columns(person)
    assert raw["surname"].startswith("v1:t1:")
    assert raw["surname"] != surname
    assert crypto.decrypt(raw["surname"]) == surname
    assert "111222333" not in raw["bsn"]
    assert person.date_of_birth.isoformat() not in raw["date_of_birth"]
    loaded = Person.objects.get(pk=person.pk)
    assert (loaded.surname, loaded.given_names, loaded.bsn) == (surname, given_names, "111222333")


@pytest.mark.django_db
def test_empty_values_stay_empty():
    person = PersonFactory(address="", phone="", date_of_birth=None)
    raw = raw_columns(person)
    assert raw["address"] == "" and raw["phone"] == ""
    assert raw["date_of_birth"] is None
    assert Person.objects.get(pk=person.pk).date_of_birth is None


def _flip(token: str, index: int) -> str:
    prefix, key_id, body = token.split(":", 2)
    raw = bytearray(base64.b64decode(body))
    raw[index] ^= 0x01
    return f"{prefix}:{key_id}:{base64.b64encode(bytes(raw)).decode()}"


@pytest.mark.parametrize("index", [0, 12, -1])  # nonce, ciphertext, tag
def test_tampered_ciphertext_fails(index):
    token = crypto.encrypt("Bakker")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(_flip(token, index))


@pytest.mark.parametrize("token", ["", "garbage", "v2:t1:AAAA", "v1:t1:!!!", "v1:zz:AAAA"])
def test_malformed_or_unknown_tokens_fail(token):
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token)


@pytest.mark.django_db
def test_tampered_database_value_fails_on_load():
    person = PersonFactory(surname="Bakker")
    tampered = _flip(raw_columns(person)["surname"], 20)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE people_person SET surname = %s WHERE id = %s", [tampered, person.pk])
    with pytest.raises(crypto.DecryptionError):
        Person.objects.get(pk=person.pk)


@pytest.mark.django_db
def test_key_rotation():
    with override_settings(SCHAKEL_PERSON_KEYS=KEY_A):
        crypto._ring.cache_clear()
        persons = [PersonFactory(surname=f"Jansen {n}", address=f"Straat {n}") for n in range(7)]
        PersonFactory(surname="Zonder", bsn="", date_of_birth=None, phone="", address="")
        assert {raw_columns(p)["surname"].split(":")[1] for p in persons} == {"A"}

    with override_settings(SCHAKEL_PERSON_KEYS=f"{KEY_B},{KEY_A}"):
        crypto._ring.cache_clear()
        assert person_keys_rotate(batch_size=3) == 8
        for person in persons:
            raw = raw_columns(person)
            assert {value.split(":")[1] for value in raw.values() if value} == {"B"}
        assert person_keys_rotate(batch_size=3) == 0  # idempotent

    with override_settings(SCHAKEL_PERSON_KEYS=KEY_B):
        crypto._ring.cache_clear()
        for n, person in enumerate(persons):
            loaded = Person.objects.get(pk=person.pk)
            assert loaded.surname == f"Jansen {n}"
            assert loaded.address == f"Straat {n}"
            assert loaded.date_of_birth == person.date_of_birth

    with override_settings(SCHAKEL_PERSON_KEYS=KEY_A):
        crypto._ring.cache_clear()
        with pytest.raises(crypto.DecryptionError):
            Person.objects.get(pk=persons[0].pk)


@pytest.mark.django_db
def test_rotation_skips_rows_already_on_the_current_key():
    with override_settings(SCHAKEL_PERSON_KEYS=KEY_A):
        crypto._ring.cache_clear()
        first, second = PersonFactory(), PersonFactory()
    with override_settings(SCHAKEL_PERSON_KEYS=f"{KEY_B},{KEY_A}"):
        crypto._ring.cache_clear()
        first.save()  # a normal save already re-encrypts with the current key
        assert person_keys_rotate() == 1
        assert raw_columns(second)["bsn"].split(":")[1] == "B"


@pytest.mark.django_db
def test_rotate_command_prints_the_count(capsys):
    with override_settings(SCHAKEL_PERSON_KEYS=KEY_A):
        crypto._ring.cache_clear()
        PersonFactory.create_batch(2)
    with override_settings(SCHAKEL_PERSON_KEYS=f"{KEY_B},{KEY_A}"):
        crypto._ring.cache_clear()
        call_command("rotate_person_keys", "--batch-size", "1")
    assert "2 person(s) re-encrypted" in capsys.readouterr().out


@pytest.mark.django_db
def test_rotate_command_explains_a_missing_old_key():
    with override_settings(SCHAKEL_PERSON_KEYS=KEY_A):
        crypto._ring.cache_clear()
        PersonFactory()
    with override_settings(SCHAKEL_PERSON_KEYS=KEY_B):
        crypto._ring.cache_clear()
        with pytest.raises(CommandError, match="old key"):
            call_command("rotate_person_keys")


def test_key_ids_may_hold_letters_digits_and_underscores():
    key = base64.b64encode(bytes(32)).decode()
    assert list(crypto.parse_key_ring(f"k_2026:{key}, signal_index:{key}")) == [
        "k_2026",
        "signal_index",
    ]


@pytest.mark.parametrize("spec", ["", "nokey", "a b:AAAA", "k1:not base64!", "k1:AAAA"])
def test_bad_key_rings_are_refused(spec):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        crypto.parse_key_ring(spec)
