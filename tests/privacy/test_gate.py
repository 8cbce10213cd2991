"""The one gate: sharing is possible where the law allows it and impossible where it does not.

The matrix below sets up one situation per row (consent states, legal duties, agreements,
recorded decisions, recipients and purposes) and says which basis the gate must find, or which
reasons it must give when it refuses.
"""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from schakel.accounts.models import Organisation, Role
from schakel.privacy.models import (
    AgreementEvent,
    ConsentEvent,
    GivenBy,
    PrivacyProfile,
    ProcessingEntry,
    SharingBasis,
)
from schakel.privacy.services import SharingNotAllowed, sharing_basis_create
from tests.accounts.factories import MembershipFactory, OrganisationFactory
from tests.people.factories import PersonFactory

from .factories import AgreementFactory, ConsentFactory, SharingDecisionFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def today():
    return timezone.localdate()


def _born(age: int) -> datetime.date:
    day = today()
    return day.replace(year=day.year - age) - datetime.timedelta(days=3)


# Each row: id, setup(world) -> request overrides, expected kind or refusal codes.
# `world` has: sender (a care provider), actor, person (19), recipient (care), veilig_thuis,
# police, registration (office), police_actor, other (a third organisation).


def _consent(world, **kwargs):
    defaults = {"person": world.person, "organisation": world.sender}
    if "recipients" not in kwargs and "recipient_kinds" not in kwargs:
        kwargs["recipients"] = [world.recipient]
    return ConsentFactory(**{**defaults, **kwargs})


def _leave(organisation):
    organisation.is_active = False
    organisation.save(update_fields=["is_active"])
    return True


CASES = [
    (
        "no basis at all",
        lambda w: {},
        ["duty_none", "consent_none", "agreement_none", "decision_none"],
    ),
    ("valid consent of the person", lambda w: _consent(w) and {}, "consent"),
    (
        "consent names the recipient's kind",
        lambda w: _consent(w, recipient_kinds=["zorg"]) and {},
        "consent",
    ),
    (
        "consent names a designation of the recipient",
        lambda w: (
            _consent(
                w,
                purposes=["report_veilig_thuis"],
                data_categories=["identificatie", "signalen"],
                recipient_kinds=["veilig_thuis"],
            )
            and {
                "recipient": w.veilig_thuis,
                "purpose": "report_veilig_thuis",
                "data_categories": ["signalen"],
            }
        ),
        "consent",
    ),
    ("withdrawn consent", lambda w: _consent(w, status="withdrawn") and {}, ["consent_withdrawn"]),
    ("refused consent", lambda w: _consent(w, status="refused") and {}, ["consent_refused"]),
    (
        "consent only requested",
        lambda w: _consent(w, status="requested") and {},
        ["consent_requested"],
    ),
    (
        "consent past its end date",
        lambda w: _consent(w, valid_from=today() - 30 * DAY, valid_until=today() - DAY) and {},
        ["consent_expired"],
    ),
    (
        "consent that starts tomorrow",
        lambda w: _consent(w, valid_from=today() + DAY) and {},
        ["consent_not_yet"],
    ),
    (
        "consent renewed (the old record)",
        lambda w: _consent(w, status="renewed") and {},
        ["consent_none"],
    ),
    (
        "consent for another purpose",
        lambda w: _consent(w, purposes=["case_coordination"]) and {},
        ["consent_none"],
    ),
    (
        "consent without one of the categories",
        lambda w: _consent(w, data_categories=["identificatie"]) and {},
        ["consent_categories"],
    ),
    (
        "consent for another recipient",
        lambda w: _consent(w, recipients=[w.other]) and {},
        ["consent_recipient"],
    ),
    (
        "consent held by another organisation",
        lambda w: _consent(w, organisation=w.other) and {},
        ["consent_none"],
    ),
    (
        "minor: consent of a parent",
        lambda w: _consent(w, person=w.minor, given_by=GivenBy.PARENT) and {"person": w.minor},
        "consent",
    ),
    (
        "minor: consent of the minor alone",
        lambda w: _consent(w, person=w.minor) and {"person": w.minor},
        ["consent_giver_minor"],
    ),
    (
        "adult: consent of a parent no longer counts",
        lambda w: _consent(w, given_by=GivenBy.PARENT) and {},
        ["consent_giver_adult"],
    ),
    (
        "adult with a legal representative (mentor)",
        lambda w: _consent(w, given_by=GivenBy.LEGAL_REPRESENTATIVE) and {},
        "consent",
    ),
    (
        "registration: 17-year-old needs a parent (from 18 self)",
        lambda w: (
            _consent(
                w,
                person=w.seventeen,
                purposes=["national_registration"],
                data_categories=["identificatie", "signalen"],
                recipients=[w.registration],
            )
            and {
                "person": w.seventeen,
                "recipient": w.registration,
                "purpose": "national_registration",
                "data_categories": ["signalen"],
            }
        ),
        ["consent_giver_minor"],
    ),
    (
        "valid agreement",
        lambda w: (
            AgreementFactory(
                parties=[w.sender, w.recipient],
                purposes=["referral"],
                data_categories=["identificatie", "hulpvraag"],
            )
            and {}
        ),
        "agreement",
    ),
    (
        "expired agreement",
        lambda w: (
            AgreementFactory(
                parties=[w.sender, w.recipient],
                purposes=["referral"],
                data_categories=["identificatie", "hulpvraag"],
                valid_from=today() - 400 * DAY,
                valid_until=today() - DAY,
            )
            and {}
        ),
        ["agreement_expired"],
    ),
    (
        "ended agreement",
        lambda w: (
            AgreementEvent.objects.create(
                agreement=AgreementFactory(
                    parties=[w.sender, w.recipient],
                    purposes=["referral"],
                    data_categories=["identificatie", "hulpvraag"],
                ),
                kind="ended",
                at=timezone.now() - datetime.timedelta(seconds=1),
            )
            and {}
        ),
        ["agreement_ended"],
    ),
    (
        "agreement that starts tomorrow",
        lambda w: (
            AgreementFactory(
                parties=[w.sender, w.recipient],
                purposes=["referral"],
                data_categories=["identificatie", "hulpvraag"],
                valid_from=today() + DAY,
            )
            and {}
        ),
        ["agreement_not_yet"],
    ),
    (
        "agreement for another purpose",
        lambda w: (
            AgreementFactory(parties=[w.sender, w.recipient], purposes=["case_coordination"]) and {}
        ),
        ["agreement_purpose"],
    ),
    (
        "agreement without one of the categories",
        lambda w: (
            AgreementFactory(
                parties=[w.sender, w.recipient],
                purposes=["referral"],
                data_categories=["identificatie"],
            )
            and {}
        ),
        ["agreement_categories"],
    ),
    (
        "agreement between other organisations",
        lambda w: (
            AgreementFactory(
                parties=[w.sender, w.other],
                purposes=["referral"],
                data_categories=["identificatie", "hulpvraag"],
            )
            and {}
        ),
        ["agreement_none"],
    ),
    (
        "police must report a victim to the registration office",
        lambda w: {
            "actor": w.police_actor,
            "person": w.police_person,
            "recipient": w.registration,
            "purpose": "national_registration",
            "data_categories": ["identificatie", "signalen"],
        },
        "legal_duty",
    ),
    (
        "a care provider has no such duty",
        lambda w: {
            "recipient": w.registration,
            "purpose": "national_registration",
            "data_categories": ["identificatie", "signalen"],
        },
        ["duty_none", "consent_none"],
    ),
    (
        "the police's duty covers only the registration",
        lambda w: {
            "actor": w.police_actor,
            "person": w.police_person,
            "recipient": w.registration,
            "purpose": "referral",
        },
        ["duty_none"],
    ),
    (
        "a designated investigative body has the duty too",
        lambda w: (
            PrivacyProfile.objects.create(
                organisation=w.sender, designations=["opsporingsinstantie"]
            )
            and {
                "recipient": w.registration,
                "purpose": "national_registration",
                "data_categories": ["signalen"],
            }
        ),
        "legal_duty",
    ),
    (
        "recorded decision: report to Veilig Thuis (meldrecht)",
        lambda w: (
            SharingDecisionFactory(
                person=w.person,
                recipient=w.veilig_thuis,
                data_categories=["identificatie", "signalen"],
            )
            and {
                "recipient": w.veilig_thuis,
                "purpose": "report_veilig_thuis",
                "data_categories": ["signalen"],
            }
        ),
        "decision",
    ),
    (
        "recorded decision whose period has passed",
        lambda w: (
            SharingDecisionFactory(
                person=w.person, recipient=w.veilig_thuis, valid_until=today() - DAY
            )
            and {
                "recipient": w.veilig_thuis,
                "purpose": "report_veilig_thuis",
                "data_categories": ["signalen"],
            }
        ),
        ["decision_expired"],
    ),
    (
        "latest decision says do not share",
        lambda w: (
            SharingDecisionFactory(
                person=w.person, recipient=w.veilig_thuis, outcome="do_not_share", legal_basis=""
            )
            and {
                "recipient": w.veilig_thuis,
                "purpose": "report_veilig_thuis",
                "data_categories": ["signalen"],
            }
        ),
        ["decision_other_outcome"],
    ),
    (
        "a decision resting on consent is no basis of its own",
        lambda w: (
            SharingDecisionFactory(
                person=w.person,
                recipient=w.recipient,
                purpose="referral",
                legal_basis="toestemming",
                data_categories=["identificatie", "hulpvraag"],
            )
            and {}
        ),
        ["decision_none"],
    ),
    (
        "decision does not cover a category",
        lambda w: (
            SharingDecisionFactory(
                person=w.person, recipient=w.veilig_thuis, data_categories=["identificatie"]
            )
            and {
                "recipient": w.veilig_thuis,
                "purpose": "report_veilig_thuis",
                "data_categories": ["signalen"],
            }
        ),
        ["decision_categories"],
    ),
    (
        "decision of another organisation",
        lambda w: (
            SharingDecisionFactory(person=w.person, organisation=w.other, recipient=w.veilig_thuis)
            and {
                "recipient": w.veilig_thuis,
                "purpose": "report_veilig_thuis",
                "data_categories": ["signalen"],
            }
        ),
        ["decision_none"],
    ),
    (
        "data outside the purpose, even with consent",
        lambda w: (
            _consent(w, data_categories=["identificatie", "hulpvraag", "bsn"])
            and {"data_categories": ["bsn"]}
        ),
        ["categories_not_for_purpose"],
    ),
    ("within the own organisation", lambda w: {"recipient": w.sender}, "own"),
    (
        "a recipient that left",
        lambda w: _leave(w.recipient) and {},
        ["recipient_inactive"],
    ),
]


class World:
    def __init__(self):
        self.sender = OrganisationFactory(name="Zorg Noord", domain=Organisation.Domain.ZORG)
        self.actor = MembershipFactory(organisation=self.sender, role=Role.PROFESSIONAL)
        self.person = PersonFactory(owner_organisation=self.sender, date_of_birth=_born(19))
        self.minor = PersonFactory(owner_organisation=self.sender, date_of_birth=_born(14))
        self.seventeen = PersonFactory(owner_organisation=self.sender, date_of_birth=_born(17))
        self.recipient = OrganisationFactory(name="Jeugdhulp Zuid", domain=Organisation.Domain.ZORG)
        self.other = OrganisationFactory(name="Derde", domain=Organisation.Domain.ONDERWIJS)
        self.veilig_thuis = OrganisationFactory(
            name="Veilig Thuis", domain=Organisation.Domain.GEMEENTE
        )
        PrivacyProfile.objects.create(organisation=self.veilig_thuis, designations=["veilig_thuis"])
        self.police = OrganisationFactory(name="Politie", domain=Organisation.Domain.POLITIE)
        self.police_actor = MembershipFactory(organisation=self.police, role=Role.PROFESSIONAL)
        self.police_person = PersonFactory(owner_organisation=self.police, date_of_birth=_born(25))
        self.registration = OrganisationFactory(
            name="Registratie", domain=Organisation.Domain.REGISTRATIE
        )


@pytest.fixture
def world(db):
    return World()


def _ask(world, **overrides):
    request = {
        "actor": world.actor,
        "person": world.person,
        "recipient": world.recipient,
        "purpose": "referral",
        "data_categories": ["identificatie", "hulpvraag"],
        **overrides,
    }
    return sharing_basis_create(**request)


@pytest.mark.parametrize(("setup", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_gate_matrix(world, setup, expected):
    overrides = setup(world) or {}
    if isinstance(expected, str):
        basis = _ask(world, **overrides)
        assert basis.kind == expected
        assert SharingBasis.objects.filter(pk=basis.pk).exists()
    else:
        with pytest.raises(SharingNotAllowed) as refusal:
            _ask(world, **overrides)
        for code in expected:
            assert code in refusal.value.codes, refusal.value.reasons
        assert refusal.value.reasons and all(
            isinstance(r, str) and r for r in refusal.value.reasons
        )
        assert not SharingBasis.objects.exists()


def test_the_basis_records_what_was_used(world):
    consent = _consent(world)
    basis = _ask(world, on_behalf_of_organisation=True)
    assert basis.consent == consent and basis.kind == "consent"
    assert basis.legal_basis == "toestemming" and "AVG art. 6(1)(a)" in basis.articles
    assert basis.sender == world.sender and basis.recipient == world.recipient
    assert basis.purpose == "referral" and basis.data_categories == ["identificatie", "hulpvraag"]
    assert basis.created_by == world.actor and basis.on_behalf_of_organisation
    assert basis.subject_pseudonym


def test_a_share_is_logged_under_the_purposes_activity(world):
    _consent(world)
    _ask(world)
    entry = ProcessingEntry.objects.latest("seq")
    assert (entry.activity, entry.operation, entry.outcome) == ("referral", "share", "ok")


def test_a_refusal_is_logged_as_denied(world):
    with pytest.raises(SharingNotAllowed):
        _ask(world)
    entry = ProcessingEntry.objects.latest("seq")
    assert (entry.activity, entry.operation, entry.outcome) == (
        "sharing_decision",
        "share",
        "denied",
    )


def test_refusal_speaks_plain_dutch_and_points_to_the_decision_aid(world):
    _consent(world, status="withdrawn")
    with pytest.raises(SharingNotAllowed) as refusal:
        _ask(world)
    text = " ".join(refusal.value.reasons)
    assert "ingetrokken op" in text
    assert "Er is geen convenant tussen Zorg Noord en Jeugdhulp Zuid." in text
    assert any("Mag ik dit delen?" in hint for hint in refusal.value.hints)


def test_refusal_is_a_permission_denied_for_callers_that_do_not_catch_it(world):
    with pytest.raises(PermissionDenied):
        _ask(world)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"purpose": "gossip"}, "purpose"),
        ({"data_categories": []}, "data_categories"),
        ({"data_categories": ["shoe-size"]}, "data_categories"),
        ({"recipient": None}, "recipient"),
        ({"person": None}, "person"),
    ],
)
def test_bad_input_names_the_field(world, overrides, field):
    with pytest.raises(ValidationError) as error:
        _ask(world, **overrides)
    assert field in error.value.message_dict


@pytest.mark.parametrize("role", [Role.ANALYST, Role.ORG_ADMIN, Role.FUNCTIONAL_ADMIN])
def test_roles_without_sharing_permission_cannot_use_the_gate(world, role):
    actor = MembershipFactory(organisation=world.sender, role=role)
    _consent(world)
    with pytest.raises(PermissionDenied):
        _ask(world, actor=actor)


# -- withdrawal and expiry take effect at once -------------------------------------------------


def test_withdrawal_takes_effect_immediately(world):
    from schakel.privacy.services import consent_withdraw

    consent = _consent(world)
    assert _ask(world).kind == "consent"
    consent_withdraw(actor=world.actor, consent=consent, note="Adam wil het niet meer")
    with pytest.raises(SharingNotAllowed) as refusal:
        _ask(world)
    assert "consent_withdrawn" in refusal.value.codes


def test_consent_expires_at_the_end_of_its_last_day(world, monkeypatch):
    _consent(world, valid_until=today())
    local = timezone.get_current_timezone()
    last_moment = datetime.datetime.combine(today(), datetime.time(23, 59, 59), local)
    monkeypatch.setattr(timezone, "now", lambda: last_moment)
    assert _ask(world).kind == "consent"
    monkeypatch.setattr(timezone, "now", lambda: last_moment + datetime.timedelta(seconds=1))
    with pytest.raises(SharingNotAllowed) as refusal:
        _ask(world)
    assert "consent_expired" in refusal.value.codes


def test_agreement_expiry_takes_effect_immediately(world, monkeypatch):
    AgreementFactory(
        parties=[world.sender, world.recipient],
        purposes=["referral"],
        data_categories=["identificatie", "hulpvraag"],
        valid_until=today(),
    )
    local = timezone.get_current_timezone()
    last_moment = datetime.datetime.combine(today(), datetime.time(23, 59, 59), local)
    monkeypatch.setattr(timezone, "now", lambda: last_moment)
    assert _ask(world).kind == "agreement"
    monkeypatch.setattr(timezone, "now", lambda: last_moment + datetime.timedelta(seconds=1))
    with pytest.raises(SharingNotAllowed) as refusal:
        _ask(world)
    assert "agreement_expired" in refusal.value.codes


def test_ending_an_agreement_takes_effect_immediately(world):
    from schakel.privacy.services import agreement_end

    agreement = AgreementFactory(
        parties=[world.sender, world.recipient],
        purposes=["referral"],
        data_categories=["identificatie", "hulpvraag"],
    )
    assert _ask(world).kind == "agreement"
    admin = MembershipFactory(organisation=world.sender, role=Role.ORG_ADMIN)
    agreement_end(actor=admin, agreement=agreement, note="Samenwerking gestopt")
    with pytest.raises(SharingNotAllowed) as refusal:
        _ask(world)
    assert "agreement_ended" in refusal.value.codes


def test_history_is_not_rewritten_by_a_withdrawal(world):
    from schakel.privacy.services import consent_withdraw

    consent = _consent(world)
    basis = _ask(world)
    consent_withdraw(actor=world.actor, consent=consent)
    basis.refresh_from_db()
    assert basis.consent == consent and basis.kind == "consent"
    assert list(consent.events.values_list("status", flat=True)) == [
        "requested",
        "given",
        "withdrawn",
    ]


# -- the emergency override ----------------------------------------------------------------------


def test_override_needs_the_permission(world):
    registrar = MembershipFactory(organisation=world.sender, role=Role.REGISTRAR)
    with pytest.raises(PermissionDenied) as denied:
        _ask(world, actor=registrar, override_reason="Acuut gevaar, geen tijd om te wachten")
    assert not isinstance(denied.value, SharingNotAllowed)
    assert not SharingBasis.objects.exists()
    entry = ProcessingEntry.objects.latest("seq")
    assert entry.outcome == "denied"


def test_override_needs_a_real_reason(world):
    with pytest.raises(ValidationError) as error:
        _ask(world, override_reason="nood")
    assert "override_reason" in error.value.message_dict


def test_override_is_recorded_logged_and_reported_to_the_privacy_officer(
    world, django_capture_on_commit_callbacks
):
    PrivacyProfile.objects.create(
        organisation=world.sender, privacy_officer_email="fg@zorgnoord.example"
    )
    reason = "Adam is vanavond in acuut gevaar; de groep zoekt hem."
    before = ProcessingEntry.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        basis = _ask(world, override_reason=reason)
    assert basis.kind == "override" and basis.legal_basis == "noodprocedure"
    assert basis.override_reason == reason
    entries = list(ProcessingEntry.objects.order_by("seq")[before:])
    assert [(e.activity, e.operation) for e in entries] == [
        ("referral", "share"),
        ("sharing_decision", "share"),
    ]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["fg@zorgnoord.example"]
    assert str(basis.public_id) in message.body
    assert world.person.surname not in message.body and reason not in message.body


def test_override_without_privacy_officer_goes_to_the_organisation_admins(
    world, django_capture_on_commit_callbacks
):
    admin = MembershipFactory(organisation=world.sender, role=Role.ORG_ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        _ask(world, override_reason="Acuut gevaar, de politie moet het nu weten")
    assert mail.outbox[0].to == [admin.user.email]


def test_override_is_not_used_when_there_is_a_basis(world):
    _consent(world)
    basis = _ask(world, override_reason="Acuut gevaar, de politie moet het nu weten")
    assert basis.kind == "consent" and basis.override_reason == ""
    assert not mail.outbox


def test_override_never_sends_data_outside_the_purpose(world):
    with pytest.raises(SharingNotAllowed):
        _ask(world, data_categories=["bsn"], override_reason="Acuut gevaar, het moet nu")


def test_on_behalf_of_the_organisation_hides_the_name_but_the_audit_keeps_it(world):
    from schakel.privacy.services import sender_shown_to_recipient

    _consent(world)
    basis = _ask(world, on_behalf_of_organisation=True)
    shown = sender_shown_to_recipient(basis)
    assert shown == {"organisation": "Zorg Noord", "function": "Professional", "name": ""}
    assert basis.created_by.user == world.actor.user
    basis = _ask(world)
    assert sender_shown_to_recipient(basis)["name"]


def test_consent_events_are_the_status_history(world):
    consent = _consent(world, status="withdrawn")
    assert list(ConsentEvent.objects.filter(consent=consent).values_list("status", flat=True)) == [
        "requested",
        "given",
        "withdrawn",
    ]
