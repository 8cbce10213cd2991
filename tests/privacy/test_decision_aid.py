"""The decision aid: from what the system knows and the professional's answers to an outcome."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from schakel.accounts.models import Role
from schakel.privacy.decision_aid import advise, clean_answers
from schakel.privacy.models import ProcessingEntry, SharingDecision
from schakel.privacy.rules import Evaluation
from schakel.privacy.services import sharing_basis_create, sharing_decision_record
from tests.accounts.factories import MembershipFactory

from .factories import AgreementFactory, ConsentFactory

SAFE = {"acute_unsafe": "no", "structural_unsafe": "no", "proportional": "yes", "lighter_way": "no"}

# (id, basis the system found, meldrecht, answers, outcome, legal basis, first reason code)
ADVICE = [
    (
        "duty wins",
        "legal_duty",
        False,
        {**SAFE, "consent_answer": "refused"},
        "share",
        "meldplicht_opsporing",
        "aid_duty_basis",
    ),
    ("consent", "consent", False, SAFE, "share", "toestemming", "aid_consent_basis"),
    (
        "agreement",
        "agreement",
        False,
        {**SAFE, "consent_answer": "not_asked"},
        "share",
        "convenant",
        "aid_agreement_basis",
    ),
    (
        "not proportional beats everything",
        "consent",
        False,
        {**SAFE, "proportional": "no"},
        "do_not_share",
        "",
        "aid_not_proportional",
    ),
    (
        "unsure about proportionality",
        "agreement",
        False,
        {**SAFE, "proportional": "unsure", "consent_answer": "not_asked"},
        "consult",
        "",
        "aid_proportional_unsure",
    ),
    (
        "a lighter way exists",
        "agreement",
        False,
        {**SAFE, "lighter_way": "yes", "consent_answer": "not_asked"},
        "do_not_share",
        "",
        "aid_lighter_way",
    ),
    (
        "Veilig Thuis, structural unsafety",
        "",
        True,
        {**SAFE, "structural_unsafe": "yes", "consent_answer": "refused"},
        "share",
        "meldrecht_veilig_thuis",
        "aid_meldrecht",
    ),
    (
        "Veilig Thuis, acute unsafety",
        "",
        True,
        {**SAFE, "acute_unsafe": "yes", "consent_answer": "cannot_ask"},
        "share",
        "meldrecht_veilig_thuis",
        "aid_meldrecht",
    ),
    (
        "Veilig Thuis, unsure",
        "",
        True,
        {**SAFE, "acute_unsafe": "unsure", "consent_answer": "not_asked"},
        "consult",
        "",
        "aid_meldrecht_unsure",
    ),
    (
        "Veilig Thuis, no unsafety",
        "",
        True,
        {**SAFE, "consent_answer": "not_asked"},
        "do_not_share",
        "",
        "aid_no_unsafety_veilig_thuis",
    ),
    (
        "danger, refused, consulted",
        "",
        False,
        {
            **SAFE,
            "acute_unsafe": "yes",
            "consent_answer": "refused",
            "consulted": "aandachtsfunctionaris",
        },
        "share",
        "zwaarwegend_belang",
        "aid_overriding_interest",
    ),
    (
        "danger, cannot ask, not consulted",
        "",
        False,
        {**SAFE, "acute_unsafe": "yes", "consent_answer": "cannot_ask", "consulted": "none"},
        "consult",
        "",
        "aid_consult_before_override",
    ),
    (
        "danger but a lighter way",
        "",
        False,
        {
            **SAFE,
            "acute_unsafe": "yes",
            "lighter_way": "yes",
            "consent_answer": "refused",
            "consulted": "privacy_officer",
        },
        "do_not_share",
        "",
        "aid_lighter_way",
    ),
    (
        "danger, consent not asked yet",
        "",
        False,
        {**SAFE, "structural_unsafe": "yes", "consent_answer": "not_asked"},
        "do_not_share",
        "",
        "aid_ask_consent",
    ),
    (
        "unsure about safety",
        "",
        False,
        {**SAFE, "structural_unsafe": "unsure", "consent_answer": "refused"},
        "consult",
        "",
        "aid_safety_unsure",
    ),
    (
        "no danger, not asked",
        "",
        False,
        {**SAFE, "consent_answer": "not_asked"},
        "do_not_share",
        "",
        "aid_ask_consent",
    ),
    (
        "no danger, refused",
        "",
        False,
        {**SAFE, "consent_answer": "refused"},
        "do_not_share",
        "",
        "aid_consent_refused",
    ),
    (
        "no danger, cannot ask",
        "",
        False,
        {**SAFE, "consent_answer": "cannot_ask"},
        "do_not_share",
        "",
        "aid_no_basis",
    ),
]


@pytest.mark.parametrize(
    ("found", "meldrecht", "answers", "outcome", "basis", "code"),
    [row[1:] for row in ADVICE],
    ids=[row[0] for row in ADVICE],
)
def test_advice_table(found, meldrecht, answers, outcome, basis, code):
    legal_basis = {
        "legal_duty": "meldplicht_opsporing",
        "consent": "toestemming",
        "agreement": "convenant",
    }.get(found, "")
    evaluation = Evaluation(kind=found, legal_basis=legal_basis)
    cleaned, errors = clean_answers({"consulted": "none", **answers}, evaluation)
    assert not errors
    advice = advise(evaluation=evaluation, meldrecht=meldrecht, answers=cleaned)
    assert advice.outcome == outcome
    assert advice.legal_basis == basis
    assert advice.reasons[0]["code"] == code
    if outcome == "consult":
        assert advice.consult_with


def test_consent_question_is_only_required_without_valid_consent():
    _cleaned, errors = clean_answers(SAFE, Evaluation(kind="consent"))
    assert not errors
    _cleaned, errors = clean_answers(SAFE, Evaluation())
    assert set(errors) == {"consent_answer"}
    _cleaned, errors = clean_answers({**SAFE, "acute_unsafe": "maybe"}, Evaluation(kind="consent"))
    assert set(errors) == {"acute_unsafe"}


# -- recording a decision ----------------------------------------------------------------------

pytestmark_db = pytest.mark.django_db


def _record(actor, person, recipient, **overrides):
    data = {
        "actor": actor,
        "person": person,
        "recipient": recipient,
        "purpose": "report_veilig_thuis",
        "data_categories": ["identificatie", "signalen"],
        "answers": {**SAFE, "structural_unsafe": "yes", "consent_answer": "refused"},
        "explanation": "Adam brengt pakketjes rond voor een groep en is bang voor ze.",
        **overrides,
    }
    return sharing_decision_record(**data)


@pytestmark_db
def test_annas_question_about_adam_ends_in_a_recorded_report_to_veilig_thuis(
    professional, adam, veilig_thuis
):
    decision = _record(professional, adam, veilig_thuis, on_behalf_of_organisation=True)
    assert decision.outcome == SharingDecision.Outcome.SHARE
    assert decision.legal_basis == "meldrecht_veilig_thuis"
    assert decision.valid_until == timezone.localdate() + datetime.timedelta(days=30)
    assert decision.facts["meldrecht"] is True
    assert decision.on_behalf_of_organisation
    entry = ProcessingEntry.objects.latest("seq")
    assert (entry.activity, entry.operation) == ("sharing_decision", "create")
    # The decision is now the basis the gate uses when the report is actually made.
    basis = sharing_basis_create(
        actor=professional,
        person=adam,
        recipient=veilig_thuis,
        purpose="report_veilig_thuis",
        data_categories=["signalen"],
        on_behalf_of_organisation=True,
    )
    assert basis.kind == "decision" and basis.decision == decision


@pytestmark_db
def test_a_new_decision_points_at_the_one_before(professional, adam, veilig_thuis):
    first = _record(
        professional,
        adam,
        veilig_thuis,
        answers={**SAFE, "structural_unsafe": "unsure", "consent_answer": "refused"},
    )
    assert first.outcome == "consult"
    second = _record(professional, adam, veilig_thuis)
    assert second.supersedes == first and second.outcome == "share"
    first.refresh_from_db()
    assert first.outcome == "consult"  # never rewritten


@pytestmark_db
def test_a_later_do_not_share_takes_the_basis_away(professional, adam, veilig_thuis):
    from schakel.privacy.services import SharingNotAllowed

    _record(professional, adam, veilig_thuis)
    _record(professional, adam, veilig_thuis, answers={**SAFE, "consent_answer": "refused"})
    with pytest.raises(SharingNotAllowed) as refusal:
        sharing_basis_create(
            actor=professional,
            person=adam,
            recipient=veilig_thuis,
            purpose="report_veilig_thuis",
            data_categories=["signalen"],
        )
    assert "decision_other_outcome" in refusal.value.codes


@pytestmark_db
def test_a_decision_on_consent_records_consent_as_basis(professional, adam, recipient):
    ConsentFactory(person=adam, recipients=[recipient])
    decision = _record(
        professional,
        adam,
        recipient,
        purpose="referral",
        data_categories=["identificatie", "hulpvraag"],
        answers=SAFE,
    )
    assert decision.outcome == "share" and decision.legal_basis == "toestemming"
    assert decision.valid_until is None
    assert decision.facts["consent"]


@pytestmark_db
def test_a_decision_on_an_agreement(professional, adam, recipient):
    AgreementFactory(parties=[professional.organisation, recipient])
    decision = _record(
        professional,
        adam,
        recipient,
        purpose="case_coordination",
        data_categories=["identificatie"],
        answers={**SAFE, "consent_answer": "not_asked"},
    )
    assert decision.legal_basis == "convenant" and decision.facts["agreement"]


@pytestmark_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"purpose": "gossip"}, "purpose"),
        ({"data_categories": []}, "data_categories"),
        ({"data_categories": ["hulpkaart"]}, "data_categories"),
        ({"explanation": "  "}, "explanation"),
        ({"answers": {"acute_unsafe": "no"}}, "structural_unsafe"),
        ({"answers": {**SAFE}}, "consent_answer"),
        ({"case_reference": "x" * 65}, "case_reference"),
    ],
)
def test_bad_input_names_the_field_and_records_nothing(
    professional, adam, veilig_thuis, overrides, field
):
    with pytest.raises(ValidationError) as error:
        _record(professional, adam, veilig_thuis, **overrides)
    assert field in error.value.message_dict
    assert not SharingDecision.objects.exists()


@pytestmark_db
def test_own_organisation_is_no_question_for_the_aid(professional, adam):
    with pytest.raises(ValidationError) as error:
        _record(professional, adam, professional.organisation)
    assert "recipient" in error.value.message_dict


@pytestmark_db
def test_only_the_organisation_that_holds_the_person_decides(adam, veilig_thuis):
    outsider = MembershipFactory(role=Role.PROFESSIONAL)
    with pytest.raises(PermissionDenied):
        _record(outsider, adam, veilig_thuis)
    analyst = MembershipFactory(role=Role.ANALYST, organisation=adam.owner_organisation)
    with pytest.raises(PermissionDenied):
        _record(analyst, adam, veilig_thuis)
