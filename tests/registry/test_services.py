"""Registering one melding: the person key, consent through the privacy capability, op domicilie,
the same rules as the import, and the reads of the registration office."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from schakel.accounts.models import Role
from schakel.people.pseudonyms import pseudonym_for
from schakel.privacy.models import Consent, ProcessingEntry
from schakel.registry import keys, selectors
from schakel.registry.models import Melding
from schakel.registry.services import melding_register
from tests.accounts.factories import MembershipFactory
from tests.people.factories import PersonFactory

from .factories import TODAY, row, store

pytestmark = pytest.mark.django_db
BSN = "111222333"


@pytest.fixture
def registrar(db):
    return MembershipFactory(role=Role.REGISTRAR)


def form_values(**overrides):
    values = row(**{"melding_id": "", "persoon_sleutel": "", **overrides})
    values.pop("persoon_sleutel")
    return values


def register(actor, **kwargs):
    kwargs.setdefault("values", form_values())
    kwargs.setdefault("today", TODAY)
    return melding_register(actor=actor, **kwargs)


def test_identifiers_become_the_registry_key_and_are_not_kept(registrar):
    ids = keys.Identifiers(bsn=BSN, surname="Jansen", date_of_birth=datetime.date(2000, 1, 2))
    melding, created = register(registrar, identifiers=ids)
    assert created
    assert melding.persoon_sleutel == pseudonym_for(ids, "registry")
    assert melding.persoon_sleutel != pseudonym_for(ids, "signal_index")
    assert melding.melding_id.startswith("S20260630-")
    stored = " ".join(str(v) for v in Melding.objects.values().get().values())
    assert BSN not in stored and "Jansen" not in stored and "2000-01-02" not in stored
    entry = ProcessingEntry.objects.get(activity="national_registration")
    assert entry.subject_pseudonym == keys.log_subject(melding.persoon_sleutel)


def test_the_same_person_gets_the_same_key_by_name_and_date_of_birth(registrar):
    dob = datetime.date(2001, 5, 6)
    first, _ = register(
        registrar, identifiers=keys.Identifiers(surname="De Vries", date_of_birth=dob)
    )
    second, _ = register(
        registrar, identifiers=keys.Identifiers(surname="de vries ", date_of_birth=dob)
    )
    assert first.persoon_sleutel == second.persoon_sleutel


def test_age_follows_from_the_date_of_birth_when_left_empty(registrar):
    ids = keys.Identifiers(bsn=BSN, date_of_birth=datetime.date(2008, 3, 15))
    melding, _ = register(registrar, identifiers=ids, values=form_values(leeftijd=""))
    assert melding.leeftijd == 15  # on 2024-03-14, one day before the 16th birthday


@pytest.mark.parametrize(
    ("ids", "field"),
    [
        (keys.Identifiers(), "bsn"),
        (keys.Identifiers(surname="Jansen"), "bsn"),
        (keys.Identifiers(bsn="123456789"), "bsn"),
        (keys.Identifiers(surname="X", date_of_birth=datetime.date(2030, 1, 1)), "date_of_birth"),
    ],
)
def test_without_usable_identifiers_nothing_is_stored(registrar, ids, field):
    with pytest.raises(ValidationError) as raised:
        register(registrar, identifiers=ids)
    assert field in raised.value.message_dict
    assert not Melding.objects.exists()


def test_the_rules_of_the_contract_apply_with_field_names(registrar):
    values = form_values(melder="fairwork", politie_eenheid="", grondslag="wettelijke_taak")
    with pytest.raises(ValidationError) as raised:
        register(registrar, identifiers=keys.Identifiers(bsn=BSN), values=values)
    assert set(raised.value.message_dict) == {"grondslag"}


def test_a_person_of_the_organisation_with_consent_recorded_through_privacy(registrar):
    person = PersonFactory(
        owner_organisation=registrar.organisation, date_of_birth=datetime.date(1990, 1, 1)
    )
    values = form_values(
        melder="zorgcoordinator", politie_eenheid="", grondslag="toestemming", toestemming_door=""
    )
    consent = {
        "given_by": "person",
        "method": "written",
        "evidence": "Ondertekend formulier in het dossier van de zorgcoördinator",
        "understanding_checks": ["teach_back"],
    }
    melding, _ = register(registrar, person=person, values=values, consent=consent)
    assert melding.persoon_sleutel == pseudonym_for(person, "registry")
    assert melding.toestemming_door == "betrokkene"
    record = Consent.objects.get(public_id=melding.consent_public_id)
    assert record.person == person and record.purposes == ["national_registration"]
    assert record.recipient_kinds == ["registratiebalie"]


def test_a_minor_needs_a_parent_or_guardian(registrar):
    person = PersonFactory(
        owner_organisation=registrar.organisation, date_of_birth=datetime.date(2010, 1, 1)
    )
    values = form_values(
        melder="overig", politie_eenheid="", grondslag="toestemming", toestemming_door=""
    )
    consent = {
        "given_by": "person",
        "method": "written",
        "evidence": "formulier",
        "understanding_checks": ["teach_back"],
    }
    with pytest.raises(ValidationError) as raised:
        register(registrar, person=person, values=values, consent=consent)
    assert "consent_given_by" in raised.value.message_dict
    assert not Melding.objects.exists() and not Consent.objects.exists()
    consent.update(given_by="parent", given_by_name="M. de Moeder")
    consent["understanding_checks"] = ["representative_only"]
    melding, _ = register(registrar, person=person, values=values, consent=consent)
    assert melding.toestemming_door == "ouder_voogd"


def test_missing_consent_details_name_the_fields_and_store_nothing(registrar):
    person = PersonFactory(
        owner_organisation=registrar.organisation, date_of_birth=datetime.date(1990, 1, 1)
    )
    values = form_values(
        melder="fairwork", politie_eenheid="", grondslag="toestemming", toestemming_door=""
    )
    with pytest.raises(ValidationError) as raised:
        register(registrar, person=person, values=values, consent={"given_by": "person"})
    assert {"consent_method", "consent_evidence"} <= set(raised.value.message_dict)
    assert not Melding.objects.exists()


def test_a_person_of_another_organisation_is_refused(registrar):
    person = PersonFactory()
    with pytest.raises(PermissionDenied):
        register(registrar, person=person)


def test_op_domicilie_keeps_the_organisation_and_never_the_name(registrar):
    ids = keys.Identifiers(bsn=BSN)
    with pytest.raises(ValidationError) as raised:
        register(registrar, identifiers=ids, on_domicile=True, reporter_name="Anna Agent")
    assert "reporter_name" in raised.value.message_dict
    melding, _ = register(
        registrar, identifiers=ids, on_domicile=True, reporter_organisation="Politie Rotterdam"
    )
    assert (melding.on_domicile, melding.reporter_name) == (True, "")
    assert melding.reporter_organisation == "Politie Rotterdam"


def test_a_retry_with_the_same_number_returns_the_stored_melding(registrar):
    ids = keys.Identifiers(bsn=BSN)
    first, created = register(registrar, identifiers=ids, values=form_values(melding_id="X-1"))
    again, created_again = register(
        registrar, identifiers=ids, values=form_values(melding_id="X-1")
    )
    assert (created, created_again, again.pk) == (True, False, first.pk)
    with pytest.raises(ValidationError) as raised:
        register(registrar, identifiers=ids, values=form_values(melding_id="X-1", leeftijd=44))
    assert "melding_id" in raised.value.message_dict


def test_exactly_one_way_to_name_the_person(registrar):
    with pytest.raises(ValidationError) as raised:
        register(registrar)
    assert "person" in raised.value.message_dict
    values = form_values()
    values["persoon_sleutel"] = "extern-sleutel-1"
    with pytest.raises(ValidationError):
        register(registrar, identifiers=keys.Identifiers(bsn=BSN), values=values)
    melding, _ = register(registrar, values=values)
    assert melding.persoon_sleutel == "extern-sleutel-1"


@pytest.mark.parametrize("role", [Role.ANALYST, Role.PROFESSIONAL, Role.CARE_COORDINATOR])
def test_only_the_registration_office_registers(role):
    with pytest.raises(PermissionDenied):
        register(MembershipFactory(role=role), identifiers=keys.Identifiers(bsn=BSN))


# -- reads ------------------------------------------------------------------------------------


def test_list_and_detail_are_logged_and_hidden_from_others(registrar):
    store(row(melddatum="2023-01-01"), row(melddatum="2024-01-01"), row(melder="kmar",
          politie_eenheid=""))  # fmt: skip
    page = selectors.melding_list_for(actor=registrar, year=2024, melder="politie")
    assert [m.melddatum.year for m in page.object_list] == [2024]
    melding = selectors.melding_get_for(actor=registrar, melding_id=page.object_list[0].melding_id)
    reads = ProcessingEntry.objects.filter(activity="national_registration", operation="read")
    assert reads.count() == 2
    assert selectors.meldingen_of_person_count(actor=registrar, melding=melding) == 3
    analyst = MembershipFactory(role=Role.ANALYST)
    assert list(selectors.melding_list_for(actor=analyst).object_list) == []
    with pytest.raises(Http404):
        selectors.melding_get_for(actor=analyst, melding_id=melding.melding_id)
    with pytest.raises(Http404):
        selectors.melding_export_rows(actor=analyst)


def test_export_writes_the_contract_and_logs_each_melding(registrar):
    stored = store(row(uitbuitingsvormen="criminele_uitbuiting|binnenlandse_seksuele_uitbuiting",
                       sector="drugsdelicten"), row(leeftijd="", lvb_indicatie=""))  # fmt: skip
    rows = list(selectors.melding_export_rows(actor=registrar))
    assert rows[0][0] == "melding_id" and len(rows) == 3
    by_id = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    first = by_id[stored[0].melding_id]
    assert first["uitbuitingsvormen"] == "binnenlandse_seksuele_uitbuiting|criminele_uitbuiting"
    second = by_id[stored[1].melding_id]
    assert (second["leeftijd"], second["lvb_indicatie"]) == ("", "onbekend")
    assert ProcessingEntry.objects.filter(operation="read").count() == 2
