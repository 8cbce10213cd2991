import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from schakel.accounts.models import Role
from schakel.people.models import LvbIndication, Person
from schakel.people.pseudonyms import log_pseudonym
from schakel.people.services import (
    StaleEdit,
    lvb_indication_record,
    person_create,
    person_update,
)
from schakel.privacy.models import ProcessingEntry
from schakel.privacy.services import processing_log_verify
from tests.accounts.factories import MembershipFactory

from .factories import LvbIndicationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def snapshot(person):
    stored = Person.objects.get(pk=person.pk)
    return {
        name: getattr(stored, name)
        for name in (
            "given_names",
            "surname",
            "bsn",
            "date_of_birth",
            "address",
            "phone",
            "gender",
            "version",
        )
    }


# -- person_create ---------------------------------------------------------------------------


def test_create_records_the_person_and_logs_it(professional):
    person = person_create(
        actor=professional,
        given_names=" Noa ",
        surname="Bakker",
        bsn="1112 22 333",
        date_of_birth=datetime.date(2008, 12, 1),
        gender="v",
        phone="06-12345678",
    )
    person.refresh_from_db()
    assert person.bsn == "111222333"
    assert person.given_names == "Noa"
    assert person.owner_organisation == professional.organisation
    assert person.created_by == professional
    assert person.version == 1
    (entry,) = ProcessingEntry.objects.all()
    assert entry.operation == "create"
    assert entry.activity == "person_record"
    assert entry.subject_pseudonym == log_pseudonym(person)
    assert entry.organisation_id == professional.organisation_id
    assert entry.role == Role.PROFESSIONAL
    assert entry.audit.user_id == professional.user_id
    assert processing_log_verify().ok


def test_create_with_only_a_bsn(professional):
    assert person_create(actor=professional, bsn="123456782").surname == ""


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"surname": "Bakker", "bsn": "123456789"}, {"bsn": ["Dit BSN klopt niet (elfproef)."]}),
        ({"surname": "Bakker", "bsn": "12345"}, {"bsn": ["Een BSN heeft 9 cijfers."]}),
        ({"given_names": "Noa"}, {"surname": ["Vul een achternaam of een BSN in."]}),
        (
            {"surname": "Bakker", "date_of_birth": datetime.date(1899, 12, 31)},
            {"date_of_birth": ["De geboortedatum kan niet voor 1900 liggen."]},
        ),
        (
            {"surname": "Bakker", "date_of_birth": "morgen"},
            {"date_of_birth": ["Vul een geldige datum in, bijvoorbeeld 2008-03-14."]},
        ),
        (
            {"surname": "Bakker", "gender": "q"},
            {"gender": ["Kies een van de mogelijkheden."]},
        ),
        (
            {"surname": "B" * 201},
            {"surname": ["Gebruik hier hoogstens 200 tekens."]},
        ),
        (
            {"surname": "Bakker", "phone": "bel me"},
            {"phone": ["Een telefoonnummer bevat alleen cijfers, spaties en + - ( )."]},
        ),
    ],
)
def test_create_rejects_bad_input_and_changes_nothing(professional, fields, errors):
    with pytest.raises(ValidationError) as caught:
        person_create(actor=professional, **fields)
    assert caught.value.message_dict == errors
    assert not Person.objects.exists()
    assert not ProcessingEntry.objects.exists()


def test_create_names_every_wrong_field_at_once(professional):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        person_create(
            actor=professional, given_names="N" * 201, bsn="123456789", date_of_birth=tomorrow
        )
    assert set(caught.value.message_dict) == {"given_names", "bsn", "date_of_birth"}
    assert caught.value.message_dict["date_of_birth"] == [
        "De geboortedatum kan niet in de toekomst liggen."
    ]


@pytest.mark.parametrize("role", [Role.ANALYST, Role.FUNCTIONAL_ADMIN, Role.ORG_ADMIN])
def test_create_needs_permission(role):
    with pytest.raises(PermissionDenied):
        person_create(actor=MembershipFactory(role=role), surname="Bakker")
    assert not Person.objects.exists()


def test_inactive_membership_cannot_create():
    actor = MembershipFactory(is_active=False)
    with pytest.raises(PermissionDenied):
        person_create(actor=actor, surname="Bakker")


# -- person_update ---------------------------------------------------------------------------


def test_update_changes_only_the_given_fields_and_bumps_the_version(professional, person):
    before = snapshot(person)
    updated = person_update(
        actor=professional, person=person, expected_version=1, address="Dorpsstraat 1"
    )
    assert updated.version == 2
    after = snapshot(person)
    assert after == {**before, "address": "Dorpsstraat 1", "version": 2}
    (entry,) = ProcessingEntry.objects.all()
    assert (entry.operation, entry.subject_pseudonym) == ("update", log_pseudonym(updated))
    assert processing_log_verify().ok


def test_update_without_changes_keeps_the_version(professional, person):
    updated = person_update(actor=professional, person=person, expected_version=1, surname="Bakker")
    assert updated.version == 1
    assert not ProcessingEntry.objects.exists()


def test_stale_edit_is_a_conflict_and_changes_nothing(professional, colleague, person):
    person_update(actor=colleague, person=person, expected_version=1, phone="0612345678")
    before = snapshot(person)
    with pytest.raises(StaleEdit) as caught:
        person_update(actor=professional, person=person, expected_version=1, surname="Visser")
    assert caught.value.current_version == 2
    assert "Iemand anders heeft deze gegevens gewijzigd" in caught.value.message_dict["version"][0]
    assert isinstance(caught.value, ValidationError)
    assert snapshot(person) == before
    assert ProcessingEntry.objects.filter(operation="update").count() == 1


def test_update_with_bad_input_changes_nothing(professional, person):
    before = snapshot(person)
    with pytest.raises(ValidationError) as caught:
        person_update(actor=professional, person=person, expected_version=1, surname="", bsn="")
    assert caught.value.message_dict == {"surname": ["Vul een achternaam of een BSN in."]}
    assert snapshot(person) == before
    assert not ProcessingEntry.objects.exists()


def test_update_needs_a_version(professional, person):
    with pytest.raises(ValidationError) as caught:
        person_update(actor=professional, person=person, expected_version=None, surname="X")
    assert "version" in caught.value.message_dict


def test_update_refuses_unknown_fields(professional, person):
    with pytest.raises(TypeError):
        person_update(actor=professional, person=person, expected_version=1, version=5)


def test_update_of_another_organisations_person_is_refused(outsider, person):
    with pytest.raises(PermissionDenied):
        person_update(actor=outsider, person=person, expected_version=1, surname="X")
    assert Person.objects.get(pk=person.pk).surname == "Bakker"


def test_registrar_may_create_but_not_update(person):
    registrar = MembershipFactory(role=Role.REGISTRAR, organisation=person.owner_organisation)
    person_create(actor=registrar, surname="Visser")
    with pytest.raises(PermissionDenied):
        person_update(actor=registrar, person=person, expected_version=1, surname="X")


# -- lvb_indication_record -------------------------------------------------------------------

LVB = {
    "status": LvbIndication.Status.SCREENED,
    "source_kind": LvbIndication.SourceKind.SCREENING,
    "source": "SCIL-screening door jeugdarts",
    "observed_on": datetime.date(2026, 9, 1),
}


def test_lvb_indication_is_appended_and_logged(professional, person):
    indication = lvb_indication_record(actor=professional, person=person, **LVB)
    assert indication.recorded_by == professional
    assert list(person.lvb_history.all()) == [indication]
    (entry,) = ProcessingEntry.objects.all()
    assert entry.operation == "update"
    assert Person.objects.get(pk=person.pk).version == 1  # the person's own fields did not change


def test_correction_points_at_the_old_entry_which_stays(professional, person):
    old = lvb_indication_record(actor=professional, person=person, **LVB)
    correction = lvb_indication_record(
        actor=professional,
        person=person,
        **{**LVB, "status": LvbIndication.Status.DISPUTED, "source": "IQ-test tijdens crisis"},
        corrects=old,
    )
    assert correction.corrects == old
    old.refresh_from_db()
    assert old.status == LvbIndication.Status.SCREENED
    assert person.lvb_history.count() == 2


def test_correction_must_be_about_the_same_person(professional, person):
    other = LvbIndicationFactory(person=PersonFactory(owner_organisation=person.owner_organisation))
    with pytest.raises(ValidationError) as caught:
        lvb_indication_record(actor=professional, person=person, **LVB, corrects=other)
    assert list(caught.value.message_dict) == ["corrects"]
    assert not person.lvb_history.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"source": "  "}, "source"),
        ({"source": "x" * 201}, "source"),
        ({"status": "certain"}, "status"),
        ({"source_kind": "rumour"}, "source_kind"),
        ({"observed_on": None}, "observed_on"),
        ({"observed_on": timezone.localdate() + datetime.timedelta(days=2)}, "observed_on"),
        ({"observed_on": datetime.date(1990, 1, 1)}, "observed_on"),  # before the birth
    ],
)
def test_lvb_indication_rejects_bad_input(professional, person, change, field):
    person.date_of_birth = datetime.date(2008, 12, 1)
    person.save()
    with pytest.raises(ValidationError) as caught:
        lvb_indication_record(actor=professional, person=person, **{**LVB, **change})
    assert field in caught.value.message_dict
    assert not LvbIndication.objects.exists()
    assert not ProcessingEntry.objects.exists()


def test_the_source_is_always_required_with_a_reason(professional, person):
    with pytest.raises(ValidationError) as caught:
        lvb_indication_record(actor=professional, person=person, **{**LVB, "source": ""})
    assert caught.value.message_dict["source"] == [
        "Vul de bron in. Dan is altijd te zien waar de indicatie op berust."
    ]


def test_lvb_indication_needs_update_permission_and_the_own_organisation(outsider, person):
    registrar = MembershipFactory(role=Role.REGISTRAR, organisation=person.owner_organisation)
    for actor in (registrar, outsider):
        with pytest.raises(PermissionDenied):
            lvb_indication_record(actor=actor, person=person, **LVB)
    assert not LvbIndication.objects.exists()


def test_log_pseudonym_is_stable_when_identifiers_change(professional):
    person = person_create(actor=professional, surname="Bakker")
    updated = person_update(
        actor=professional, person=person, expected_version=person.version, bsn="111222333"
    )
    pseudonyms = set(
        ProcessingEntry.objects.filter(activity="person_record").values_list(
            "subject_pseudonym", flat=True
        )
    )
    assert pseudonyms == {log_pseudonym(updated)}
