"""Registering, matching, renewal, ending and the processing log of the signal index."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schakel.accounts.models import Organisation, Role
from schakel.people.pseudonyms import Identifiers
from schakel.privacy.models import ProcessingEntry
from schakel.privacy.services import processing_log_verify
from schakel.signal_index import keys, services
from schakel.signal_index.models import (
    SignalAttempt,
    SignalMatch,
    SignalPseudonym,
    SignalRegistration,
)
from tests.cases.factories import make_case
from tests.people.factories import PersonFactory

from .factories import PHONE, TODAY, identifiers, professional, register

pytestmark = pytest.mark.django_db
D = Organisation.Domain


# -- registering and matching ---------------------------------------------------------------


def test_a_registration_stores_pseudonyms_for_both_variants_and_no_identifiers():
    school = professional(D.ONDERWIJS)
    result = register(school, identifiers(1))
    registration = result.registration
    assert not result.renewed and result.matches == []
    assert registration.domain == "onderwijs"
    assert registration.context_kind == "category"
    assert registration.context_ref == "zorgen_over_uitbuiting"
    values = sorted(registration.pseudonyms.values_list("value", "key_version"))
    assert len(values) == 2 and {v for _value, v in values} == {1}
    assert registration.ends_on == TODAY + datetime.timedelta(days=730)
    assert registration.ends_because == "expired"


def test_registrations_of_two_domains_match_and_both_professionals_are_told(
    django_capture_on_commit_callbacks,
):
    school = professional(D.ONDERWIJS)
    police = professional(D.POLITIE)
    with django_capture_on_commit_callbacks(execute=True):
        register(school, identifiers(1))
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        result = register(police, identifiers(1), contact_function="Wijkagent")
    assert len(result.matches) == 1 and len(result.new_matches) == 1
    match = result.matches[0]
    assert match.cross_domain
    assert {match.registration_a.organisation, match.registration_b.organisation} == {
        school.organisation,
        police.organisation,
    }
    assert sorted(m.to[0] for m in mail.outbox) == sorted([school.user.email, police.user.email])
    body = mail.outbox[0].body
    assert "Jansen" not in body and identifiers(1).bsn not in body
    assert "/signalen/" in body and "2010" not in body


def test_same_domain_match_is_not_cross_domain():
    register(professional(D.ZORG), identifiers(2))
    result = register(professional(D.ZORG), identifiers(2))
    assert len(result.matches) == 1 and not result.matches[0].cross_domain


def test_the_name_variant_matches_a_bsn_registration_that_also_had_names():
    register(professional(D.ONDERWIJS), identifiers(3))
    by_name = identifiers(3, bsn=False)
    result = register(professional(D.POLITIE), by_name)
    assert len(result.matches) == 1


def test_only_bsn_matches_only_bsn():
    register(professional(D.ONDERWIJS), identifiers(4, names=False))
    result = register(professional(D.POLITIE), identifiers(4, names=True))
    assert len(result.matches) == 1
    result = register(professional(D.GEMEENTE), identifiers(4, bsn=False))
    assert len(result.matches) == 1  # matches the police's name variant only


def test_no_match_within_one_organisation_and_a_colleague_renews():
    first = professional(D.ZORG)
    colleague = professional(organisation=first.organisation)
    one = register(first, identifiers(5))
    two = register(colleague, identifiers(5, bsn=False), today=TODAY + datetime.timedelta(days=10))
    assert two.renewed and two.registration.pk == one.registration.pk
    assert two.matches == []
    assert SignalRegistration.objects.count() == 1
    assert SignalMatch.objects.count() == 0
    two.registration.refresh_from_db()
    assert two.registration.ends_on == TODAY + datetime.timedelta(days=740)
    assert two.registration.renewed_at is not None


def test_renewal_reruns_matching_without_duplicating_matches():
    school, police = professional(D.ONDERWIJS), professional(D.POLITIE)
    register(school, identifiers(6))
    register(police, identifiers(6))
    again = register(school, identifiers(6), today=TODAY + datetime.timedelta(days=30))
    assert again.renewed and len(again.matches) == 1 and again.new_matches == []
    assert SignalMatch.objects.count() == 1


def test_different_persons_do_not_match():
    register(professional(D.ONDERWIJS), identifiers(7))
    assert register(professional(D.POLITIE), identifiers(8)).matches == []


def test_from_a_case_the_person_comes_from_the_case():
    lead = professional(D.ZORG)
    person = PersonFactory(
        owner_organisation=lead.organisation,
        surname="Bakker",
        given_names="Noa",
        date_of_birth=datetime.date(2009, 12, 1),
        bsn="111222333",
    )
    case = make_case(lead=lead, person=person)
    result = register(lead, context=f"case:{case.public_id}")
    registration = result.registration
    assert registration.context_kind == "case" and registration.case == case
    assert registration.person == person
    school = register(
        professional(D.ONDERWIJS),
        Identifiers(surname="bakker ", given_names="NOA", date_of_birth=person.date_of_birth),
    )
    assert len(school.matches) == 1


def test_a_case_the_actor_cannot_see_is_refused_naming_the_context():
    case = make_case(date_of_birth=datetime.date(2010, 1, 1))
    stranger = professional(D.POLITIE)
    with pytest.raises(ValidationError) as error:
        register(stranger, context=f"case:{case.public_id}")
    assert "context" in error.value.message_dict
    assert not SignalRegistration.objects.exists()


def test_from_a_stored_assessment():
    from django.core.management import call_command

    from schakel.screening.models import Assessment, InstrumentVersion

    call_command("load_instruments", verbosity=0)
    actor = professional(D.ZORG)
    person = PersonFactory(
        owner_organisation=actor.organisation, date_of_birth=datetime.date(2011, 1, 1)
    )
    instrument = InstrumentVersion.objects.first()
    assessment = Assessment.objects.create(
        instrument=instrument, person=person, organisation=actor.organisation, created_by=actor,
        answers={}, result={}, outcome="low",
    )  # fmt: skip
    result = register(actor, context=f"assessment:{assessment.public_id}")
    assert result.registration.context_kind == "assessment"
    assert result.registration.person == person
    other = professional(D.ZORG)
    with pytest.raises(ValidationError) as error:
        register(other, context=f"assessment:{assessment.public_id}")
    assert "context" in error.value.message_dict


@pytest.mark.parametrize(
    ("ids", "fields"),
    [
        (Identifiers(bsn="123456789"), {"bsn"}),
        (Identifiers(bsn="12345"), {"bsn"}),
        (Identifiers(), {"bsn"}),
        (Identifiers(surname="Jansen"), {"given_names", "birth_date"}),
        (Identifiers(surname="Jansen", given_names="Sem"), {"birth_date"}),
        (
            Identifiers(
                surname="Jansen", given_names="Sem", date_of_birth=datetime.date(2030, 1, 1)
            ),
            {"birth_date"},
        ),
    ],
)
def test_bad_identifiers_name_the_field_and_store_nothing(ids, fields):
    with pytest.raises(ValidationError) as error:
        register(professional(), ids)
    assert set(error.value.message_dict) == fields
    assert not SignalRegistration.objects.exists()
    assert not SignalAttempt.objects.exists()


def test_a_reason_from_the_list_is_needed():
    with pytest.raises(ValidationError) as error:
        register(professional(), identifiers(9), context="ik wil het weten")
    assert set(error.value.message_dict) == {"context"}


def test_contact_is_needed_and_checked():
    with pytest.raises(ValidationError) as error:
        register(professional(), identifiers(9), contact_phone="bel me")
    assert set(error.value.message_dict) == {"contact_phone"}
    result = register(professional(), identifiers(9), contact_function="")
    assert result.registration.contact_function == "Professional"  # the role by default


def test_a_person_of_23_or_older_is_refused():
    with pytest.raises(ValidationError) as error:
        register(professional(), identifiers(10, born=datetime.date(2003, 5, 31)))
    assert set(error.value.message_dict) == {"birth_date"}


def test_the_end_date_is_the_23rd_birthday_when_that_comes_first():
    result = register(professional(), identifiers(11, born=datetime.date(2004, 1, 15)))
    assert result.registration.ends_on == datetime.date(2027, 1, 15)
    assert result.registration.ends_because == "age_limit"
    leap = services.end_date(start=TODAY, date_of_birth=datetime.date(2004, 2, 29))
    assert leap == (datetime.date(2027, 3, 1), "age_limit")


@override_settings(SCHAKEL_SIGNAL_RETENTION_DAYS=30)
def test_the_term_is_configurable():
    result = register(professional(), identifiers(12))
    assert result.registration.ends_on == TODAY + datetime.timedelta(days=30)


def test_without_the_permission_nothing_happens():
    analyst = professional(role=Role.ANALYST)
    with pytest.raises(PermissionDenied):
        register(analyst, identifiers(13))


# -- ending -------------------------------------------------------------------------------------


def test_expiry_with_frozen_time_stops_matching_before_and_after_the_task():
    school = professional(D.ONDERWIJS)
    one = register(school, identifiers(14)).registration
    last_day = one.ends_on - datetime.timedelta(days=1)
    assert len(register(professional(D.POLITIE), identifiers(14), today=last_day).matches) == 1
    # on the end date it no longer matches, even before the daily task ran
    late = register(professional(D.GEMEENTE), identifiers(14), today=one.ends_on)
    assert [m for m in late.matches if school.organisation in (
        m.registration_a.organisation, m.registration_b.organisation)] == []  # fmt: skip
    assert services.signal_registrations_expire(today=one.ends_on) >= 1
    one.refresh_from_db()
    assert one.ended_at is not None and one.end_reason == "expired"
    assert services.signal_registrations_expire(today=one.ends_on) == 0


def test_age_limit_with_frozen_time():
    born = datetime.date(2004, 9, 1)
    registration = register(professional(), identifiers(15, born=born)).registration
    birthday = datetime.date(2027, 9, 1)
    assert registration.ends_on == birthday
    assert services.signal_registrations_expire(today=birthday - datetime.timedelta(days=1)) == 0
    assert services.signal_registrations_expire(today=birthday) == 1
    registration.refresh_from_db()
    assert registration.end_reason == "age_limit"
    entry = ProcessingEntry.objects.filter(activity="signal_index", role="system").last()
    assert entry.operation == "update"


def test_withdrawal_stops_matching_at_once():
    school = professional(D.ONDERWIJS)
    registration = register(school, identifiers(16)).registration
    services.signal_registration_withdraw(actor=school, registration=registration)
    registration.refresh_from_db()
    assert registration.end_reason == "withdrawn" and registration.ended_at
    assert register(professional(D.POLITIE), identifiers(16)).matches == []
    # registering again after withdrawal makes a new registration
    again = register(school, identifiers(16))
    assert not again.renewed and again.registration.pk != registration.pk
    assert len(again.matches) == 1


def test_another_organisation_cannot_withdraw():
    registration = register(professional(D.ONDERWIJS), identifiers(17)).registration
    from django.http import Http404

    with pytest.raises(Http404):
        services.signal_registration_withdraw(
            actor=professional(D.POLITIE), registration=registration
        )
    registration.refresh_from_db()
    assert registration.ended_at is None


def test_a_stale_withdrawal_changes_nothing():
    school = professional(D.ONDERWIJS)
    registration = register(school, identifiers(18)).registration
    register(school, identifiers(18))  # renewed: version 2
    with pytest.raises(ValidationError) as error:
        services.signal_registration_withdraw(
            actor=school, registration=registration, expected_version=1
        )
    assert "version" in error.value.message_dict
    registration.refresh_from_db()
    assert registration.ended_at is None


# -- rate limits ------------------------------------------------------------------------------


@override_settings(SCHAKEL_SIGNAL_RATE_PER_USER_HOUR=3)
def test_the_per_user_rate_limit():
    actor = professional()
    now = datetime.datetime(2026, 6, 1, 10, 0, tzinfo=datetime.UTC)
    for n in range(3):
        register(actor, identifiers(100 + n), now=now)
    with pytest.raises(services.RateLimited) as error:
        register(actor, identifiers(110), now=now)
    assert "uur" in error.value.message
    assert SignalRegistration.objects.count() == 3
    assert SignalAttempt.objects.count() == 3  # a refused call is not counted as an attempt
    later = now + datetime.timedelta(hours=1, seconds=1)
    register(actor, identifiers(110), now=later)
    # a colleague is not limited by it
    register(professional(organisation=actor.organisation), identifiers(111), now=now)


@override_settings(SCHAKEL_SIGNAL_RATE_PER_ORG_DAY=2)
def test_the_per_organisation_rate_limit():
    actor = professional()
    colleague = professional(organisation=actor.organisation)
    register(actor, identifiers(120))
    register(colleague, identifiers(121))
    with pytest.raises(services.RateLimited) as error:
        register(professional(organisation=actor.organisation), identifiers(122))
    assert "organisatie" in error.value.message


# -- the processing log and what is stored -----------------------------------------------------


def test_every_registration_match_and_ending_is_logged():
    school, police = professional(D.ONDERWIJS), professional(D.POLITIE)
    before = ProcessingEntry.objects.count()
    one = register(school, identifiers(19)).registration
    register(police, identifiers(19))
    register(school, identifiers(19))
    services.signal_registration_withdraw(actor=school, registration=one)
    entries = list(ProcessingEntry.objects.order_by("seq")[before:])
    assert {e.activity for e in entries} == {"signal_index"}
    ops = [e.operation for e in entries]
    assert ops == ["create", "create", "share", "share", "update", "update"]
    # the subject is a log pseudonym, never the index's own pseudonym
    stored = set(SignalPseudonym.objects.values_list("value", flat=True))
    assert not stored & {e.subject_pseudonym for e in entries}
    assert entries[0].subject_pseudonym == keys.log_subject(one.public_id)
    assert processing_log_verify().ok


def test_a_registration_from_a_case_logs_the_person():
    from schakel.people.pseudonyms import log_pseudonym

    lead = professional(D.ZORG)
    case = make_case(lead=lead, date_of_birth=datetime.date(2010, 1, 1))
    register(lead, context=f"case:{case.public_id}")
    entry = ProcessingEntry.objects.filter(activity="signal_index").last()
    assert entry.subject_pseudonym == log_pseudonym(case.person)


def _all_text_of(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - our own table names
        return "\n".join(" ".join(str(v) for v in row) for row in cursor.fetchall()).lower()


def test_the_index_tables_hold_no_raw_identifiers():
    born = datetime.date(2010, 4, 12)
    ids = Identifiers(
        bsn="111222333", surname="Çelik-de Vries", given_names="Yusuf", date_of_birth=born
    )
    register(professional(D.ONDERWIJS), ids)
    register(professional(D.POLITIE), ids)
    tables = [
        model._meta.db_table
        for model in (SignalRegistration, SignalPseudonym, SignalMatch, SignalAttempt)
    ]
    text = "\n".join(_all_text_of(t) for t in tables)
    assert SignalMatch.objects.count() == 1
    for needle in (
        "111222333",
        "111 222 333",
        "celik",
        "çelik",
        "vries",
        "yusuf",
        "2010-04-12",
        "20100412",
        "12-04-2010",
    ):
        assert needle not in text, needle  # fmt: skip


# -- normalisation (Hypothesis) -----------------------------------------------------------------

NAMES = st.sampled_from(["Çelik", "de Vries", "Jansen", "Öztürk", "van der Berg", "Ng"])


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    surname=NAMES,
    spaces=st.sampled_from(["", " ", "  "]),
    upper=st.booleans(),
    dash=st.booleans(),
    born=st.dates(datetime.date(2005, 1, 1), datetime.date(2020, 1, 1)),
)
def test_typing_variants_of_a_name_give_the_same_pseudonym(surname, spaces, upper, dash, born):
    typed = spaces + (surname.upper() if upper else surname.lower())
    typed = typed.replace(" ", "-") if dash else typed
    clean = Identifiers(surname=surname, given_names="Ali", date_of_birth=born)
    messy = Identifiers(surname=typed + spaces, given_names=" ALI ", date_of_birth=born)
    assert keys.current_values(clean) == keys.current_values(messy)


def test_name_variants_match_through_the_service():
    born = datetime.date(2011, 2, 3)
    register(
        professional(D.ONDERWIJS),
        Identifiers(surname="Çelik-de Vries", given_names="Yusuf", date_of_birth=born),
    )  # fmt: skip
    result = register(
        professional(D.POLITIE),
        Identifiers(surname="celik de vries", given_names="YUSUF", date_of_birth=born),
    )  # fmt: skip
    assert len(result.matches) == 1


def test_contact_data_is_what_the_other_side_sees():
    register(professional(D.ONDERWIJS), identifiers(20), contact_function="Mentor")
    result = register(professional(D.POLITIE), identifiers(20))
    other = result.matches[0].registration_a
    assert other.contact_function == "Mentor" and other.contact_phone == PHONE


def test_a_contact_left_empty_is_the_one_given_last_time():
    mentor = professional()
    first = register(mentor, identifiers(501), contact_function="Mentor", contact_phone=PHONE)
    assert (first.registration.contact_function, first.registration.contact_phone) == (
        "Mentor",
        PHONE,
    )
    second = register(mentor, identifiers(502), contact_function="", contact_phone="")
    assert (second.registration.contact_function, second.registration.contact_phone) == (
        "Mentor",
        PHONE,
    )
    # another professional of the organisation has no "last time": the phone is needed
    colleague = professional(organisation=mentor.organisation)
    with pytest.raises(ValidationError) as refused:
        register(colleague, identifiers(503), contact_function="", contact_phone="")
    assert set(refused.value.message_dict) == {"contact_phone"}
