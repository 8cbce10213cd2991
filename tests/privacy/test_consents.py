"""Consent records: immutable, with a status history; withdrawal and expiry count at once; the
right person gives it; understanding is checked and recorded."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schakel.accounts.models import Organisation, Role
from schakel.privacy.models import Consent, ConsentEvent, GivenBy, ProcessingEntry
from schakel.privacy.rules import consent_status_at, evaluate_sharing
from schakel.privacy.services import (
    SharingNotAllowed,
    consent_give,
    consent_record,
    consent_refuse,
    consent_renew,
    consent_withdraw,
    consents_expire_due,
    sharing_basis_create,
)
from schakel.privacy.sharing_config import sharing_config
from tests.accounts.factories import MembershipFactory, OrganisationFactory
from tests.people.factories import LvbIndicationFactory, PersonFactory

from .factories import ConsentFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
GIVEN = {
    "method": "written",
    "evidence": "Ondertekend formulier in het dossier",
    "understanding_checks": ["teach_back"],
}


def today():
    return timezone.localdate()


def _record(actor, person, recipient, **overrides):
    data = {
        "actor": actor,
        "person": person,
        "given_by": GivenBy.PERSON,
        "purposes": ["referral"],
        "data_categories": ["identificatie", "hulpvraag"],
        "recipient_organisations": [recipient],
        "valid_from": today(),
        "valid_until": today() + 90 * DAY,
        **GIVEN,
        **overrides,
    }
    return consent_record(**data)


def _statuses(consent):
    return list(ConsentEvent.objects.filter(consent=consent).values_list("status", flat=True))


def test_record_a_given_consent(professional, adam, recipient):
    consent = _record(professional, adam, recipient, understanding_note="Adam herhaalde het.")
    assert _statuses(consent) == ["requested", "given"]
    given = consent.events.get(status="given")
    assert given.method == "written" and given.understanding_checks == ["teach_back"]
    assert given.by == professional and given.by_role == "professional"
    assert consent.organisation == professional.organisation
    assert consent.config_version == sharing_config().version
    entry = ProcessingEntry.objects.latest("seq")
    assert (entry.activity, entry.operation) == ("consent", "create")


def test_requested_then_given_then_withdrawn(professional, adam, recipient):
    consent = _record(professional, adam, recipient, status="requested", method="", evidence="")
    assert _statuses(consent) == ["requested"]
    consent_give(actor=professional, consent=consent, **GIVEN)
    consent_withdraw(actor=professional, consent=consent, note="Adam wil het niet meer.")
    assert _statuses(consent) == ["requested", "given", "withdrawn"]
    assert consent_status_at(consent, timezone.now()) == "withdrawn"
    with pytest.raises(ValidationError):
        consent_withdraw(actor=professional, consent=consent)
    with pytest.raises(ValidationError):
        consent_give(actor=professional, consent=consent, **GIVEN)


def test_refused(professional, adam, recipient):
    consent = _record(professional, adam, recipient, status="requested")
    consent_refuse(actor=professional, consent=consent, note="Wil niet")
    assert _statuses(consent) == ["requested", "refused"]


def test_renewal_is_a_new_record_and_the_old_one_says_renewed(professional, adam, recipient):
    old = _record(professional, adam, recipient)
    new = consent_renew(actor=professional, consent=old, valid_until=today() + 60 * DAY, **GIVEN)
    assert new.pk != old.pk and new.renews == old
    assert _statuses(old)[-1] == "renewed" and _statuses(new) == ["requested", "given"]
    assert new.purposes == old.purposes and list(new.recipient_organisations.all()) == [recipient]
    basis = sharing_basis_create(
        actor=professional,
        person=adam,
        recipient=recipient,
        purpose="referral",
        data_categories=["identificatie"],
    )
    assert basis.consent == new


def test_an_expired_consent_can_be_renewed(professional, adam, recipient):
    old = ConsentFactory(
        person=adam,
        recipients=[recipient],
        valid_from=today() - 30 * DAY,
        valid_until=today() - DAY,
    )
    new = consent_renew(actor=professional, consent=old, valid_until=today() + 30 * DAY, **GIVEN)
    assert new.renews == old


def test_consents_expire_due_writes_the_history(professional, adam, recipient):
    consent = ConsentFactory(
        person=adam, recipients=[recipient], valid_from=today() - 9 * DAY, valid_until=today() - DAY
    )
    assert consent_status_at(consent, timezone.now()) == "expired"  # before the job ran
    assert consents_expire_due() == 1
    assert _statuses(consent)[-1] == "expired"
    assert consents_expire_due() == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"given_by": "neighbour"}, "given_by"),
        ({"given_by": GivenBy.PARENT, "given_by_name": ""}, "given_by_name"),
        ({"purposes": []}, "purposes"),
        ({"purposes": ["gossip"]}, "purposes"),
        ({"data_categories": []}, "data_categories"),
        ({"data_categories": ["hulpkaart"]}, "data_categories"),
        ({"recipient_organisations": []}, "recipient_organisations"),
        ({"recipient_kinds": ["aliens"], "recipient_organisations": []}, "recipient_kinds"),
        ({"valid_until": None}, "valid_until"),
        ({"valid_until": "nonsense"}, "valid_until"),
        ({"valid_until": today() - DAY, "valid_from": today() - 9 * DAY}, "valid_until"),
        ({"valid_until": today() + 400 * DAY}, "valid_until"),
        ({"method": ""}, "method"),
        ({"evidence": " "}, "evidence"),
        ({"understanding_checks": []}, "understanding_checks"),
        ({"understanding_checks": ["guessing"]}, "understanding_checks"),
        ({"status": "withdrawn"}, "status"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    professional, adam, recipient, overrides, field
):
    with pytest.raises(ValidationError) as error:
        _record(professional, adam, recipient, **overrides)
    assert field in error.value.message_dict
    assert not Consent.objects.exists()


def test_own_organisation_needs_no_consent(professional, adam):
    with pytest.raises(ValidationError) as error:
        _record(professional, adam, professional.organisation)
    assert "recipient_organisations" in error.value.message_dict


def test_a_minor_does_not_consent_alone(professional, minor, recipient):
    with pytest.raises(ValidationError) as error:
        _record(professional, minor, recipient)
    assert "ouder" in error.value.message_dict["given_by"][0]
    consent = _record(
        professional, minor, recipient, given_by=GivenBy.PARENT, given_by_name="M. Bakker"
    )
    assert consent.given_by_name == "M. Bakker"


def test_the_parents_name_is_encrypted_at_rest(professional, minor, recipient):
    from django.db import connection

    _record(professional, minor, recipient, given_by=GivenBy.PARENT, given_by_name="M. Bakker")
    with connection.cursor() as cursor:
        cursor.execute("SELECT given_by_name FROM privacy_consent")
        (raw,) = cursor.fetchone()
    assert "Bakker" not in raw


def test_for_the_national_registration_a_17_year_old_needs_a_parent(
    professional, registration_office
):
    seventeen = PersonFactory(
        owner_organisation=professional.organisation,
        date_of_birth=today().replace(year=today().year - 17) - 3 * DAY,
    )
    with pytest.raises(ValidationError):
        _record(
            professional,
            seventeen,
            registration_office,
            purposes=["national_registration"],
            data_categories=["identificatie"],
        )


def test_with_an_lvb_indication_understanding_is_checked_with_the_person(
    professional, adam, recipient
):
    LvbIndicationFactory(person=adam)
    with pytest.raises(ValidationError) as error:
        _record(professional, adam, recipient, understanding_checks=["representative_only"])
    assert "understanding_checks" in error.value.message_dict
    assert _record(professional, adam, recipient, understanding_checks=["with_supporter"])


def test_only_the_holding_organisation_records_and_changes_consent(adam, recipient):
    outsider = MembershipFactory(role=Role.PROFESSIONAL)
    with pytest.raises(PermissionDenied):
        _record(outsider, adam, recipient)
    consent = ConsentFactory(person=adam, recipients=[recipient])
    with pytest.raises(PermissionDenied):
        consent_withdraw(actor=outsider, consent=consent)
    analyst = MembershipFactory(role=Role.ANALYST, organisation=adam.owner_organisation)
    with pytest.raises(PermissionDenied):
        consent_withdraw(actor=analyst, consent=consent)


# -- properties: withdrawn or expired consent never yields a basis -----------------------------

PURPOSES = sorted(sharing_config().purposes)
KINDS = [*Organisation.Domain.values, *sharing_config().designations]


@st.composite
def consent_scopes(draw):
    config = sharing_config()
    purpose = draw(st.sampled_from(PURPOSES))
    allowed = list(config.purposes[purpose].data_categories)
    categories = draw(st.lists(st.sampled_from(allowed), min_size=1, unique=True))
    return {
        "purpose": purpose,
        "categories": categories,
        "kinds": draw(st.lists(st.sampled_from(KINDS), max_size=3, unique=True)),
        "named": draw(st.booleans()),
        "given_by": draw(st.sampled_from(GivenBy.values)),
        "age": draw(st.integers(min_value=0, max_value=40)),
        "length": draw(st.integers(min_value=0, max_value=400)),
    }


def _world(scope):
    sender = OrganisationFactory()
    recipient = OrganisationFactory(domain=Organisation.Domain.ZORG)
    actor = MembershipFactory(organisation=sender)
    born = today().replace(year=today().year - scope["age"]) - 3 * DAY
    person = PersonFactory(owner_organisation=sender, date_of_birth=born)
    return sender, recipient, actor, person


SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SETTINGS
@given(scope=consent_scopes(), seconds_later=st.integers(min_value=0, max_value=10**8))
def test_withdrawn_consent_never_yields_a_basis(scope, seconds_later):
    sender, recipient, actor, person = _world(scope)
    consent = ConsentFactory(
        person=person,
        organisation=sender,
        given_by=scope["given_by"],
        purposes=[scope["purpose"]],
        data_categories=scope["categories"],
        recipient_kinds=scope["kinds"],
        recipients=[recipient] if scope["named"] else [],
        valid_from=today() - DAY,
        valid_until=today() + scope["length"] * DAY,
    )
    withdrawn_at = timezone.now()
    ConsentEvent.objects.create(consent=consent, status="withdrawn", at=withdrawn_at)
    purpose = sharing_config().purposes[scope["purpose"]]
    for at in (withdrawn_at, withdrawn_at + datetime.timedelta(seconds=seconds_later)):
        evaluation = evaluate_sharing(
            sender=sender,
            person=person,
            recipient=recipient,
            purpose=purpose,
            categories=scope["categories"],
            at=at,
        )
        assert evaluation.kind != "consent" and evaluation.consent is None
    with pytest.raises(SharingNotAllowed):
        sharing_basis_create(
            actor=actor,
            person=person,
            recipient=recipient,
            purpose=scope["purpose"],
            data_categories=scope["categories"],
        )


@SETTINGS
@given(scope=consent_scopes(), days_after=st.integers(min_value=1, max_value=3000))
def test_expired_consent_never_yields_a_basis(scope, days_after):
    sender, recipient, actor, person = _world(scope)
    end = today() - days_after * DAY
    ConsentFactory(
        person=person,
        organisation=sender,
        given_by=scope["given_by"],
        purposes=[scope["purpose"]],
        data_categories=scope["categories"],
        recipient_kinds=scope["kinds"],
        recipients=[recipient] if scope["named"] else [],
        valid_from=end - scope["length"] * DAY,
        valid_until=end,
    )
    evaluation = evaluate_sharing(
        sender=sender,
        person=person,
        recipient=recipient,
        purpose=sharing_config().purposes[scope["purpose"]],
        categories=scope["categories"],
    )
    assert evaluation.kind != "consent"
    with pytest.raises(SharingNotAllowed):
        sharing_basis_create(
            actor=actor,
            person=person,
            recipient=recipient,
            purpose=scope["purpose"],
            data_categories=scope["categories"],
        )


@SETTINGS
@given(scope=consent_scopes())
def test_a_valid_consent_yields_a_basis_exactly_when_it_covers_the_question(scope):
    """The other direction: a current consent is a basis iff recipient and giver fit."""
    sender, recipient, actor, person = _world(scope)
    config = sharing_config()
    purpose = config.purposes[scope["purpose"]]
    ConsentFactory(
        person=person,
        organisation=sender,
        given_by=scope["given_by"],
        purposes=[scope["purpose"]],
        data_categories=scope["categories"],
        recipient_kinds=scope["kinds"],
        recipients=[recipient] if scope["named"] else [],
        valid_from=today(),
        valid_until=today() + scope["length"] * DAY,
    )
    recipient_fits = scope["named"] or bool({"zorg"} & set(scope["kinds"]))
    minor = scope["age"] < purpose.consent_self_from_age
    giver_fits = (
        (scope["given_by"] != GivenBy.PERSON)
        if minor
        else (scope["given_by"] in (GivenBy.PERSON, GivenBy.LEGAL_REPRESENTATIVE))
    )
    evaluation = evaluate_sharing(
        sender=sender,
        person=person,
        recipient=recipient,
        purpose=purpose,
        categories=scope["categories"],
    )
    assert (evaluation.kind == "consent") == (recipient_fits and giver_fits)
