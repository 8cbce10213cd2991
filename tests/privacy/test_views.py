"""The web pages under /delen/: every flow works with plain form posts (no JavaScript)."""

import datetime
import re

import pytest
from django.utils import timezone

from schakel.accounts.models import Role
from schakel.privacy.models import (
    Agreement,
    Consent,
    PrivacyProfile,
    SharingDecision,
    SubjectRequest,
)
from schakel.privacy.services import sharing_basis_create, subject_request_register
from tests.accounts.factories import MembershipFactory

from .factories import AgreementFactory, ConsentFactory, SharingDecisionFactory

pytestmark = pytest.mark.django_db


def _today(days=0):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def _main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") :]


def _question_url(person, recipient, purpose="report_veilig_thuis"):
    return f"/delen/vraag/?persoon={person.public_id}&ontvanger={recipient.pk}&doel={purpose}"


def _no_inline_style_or_script(html: str) -> None:
    assert " style=" not in html
    assert not re.search(r"<script(?![^>]*nonce=)", html)


@pytest.fixture
def anna(actor_client, professional):
    client, _membership = actor_client(professional)
    return client


def test_decision_aid_start_lists_own_persons_and_other_organisations(anna, adam, recipient):
    response = anna.get("/delen/")
    html = _main(response)
    assert response.status_code == 200
    assert "Mag ik dit delen?" in html and "geen juridisch advies" in html
    assert "Adam Visser" in html and "Jeugdhulp Zuid" in html
    assert "Zorg Noord</option>" not in html  # not your own organisation
    _no_inline_style_or_script(response.content.decode())


def test_anna_asks_about_adam_and_gets_a_printable_decision(anna, adam, veilig_thuis):
    url = _question_url(adam, veilig_thuis)
    response = anna.get(url)
    html = _main(response)
    assert response.status_code == 200
    assert "meldrecht" in html and "Wat Schakel al weet" in html
    assert "<fieldset" in html and "<legend>Is er acute onveiligheid?</legend>" in html
    response = anna.post(
        url,
        {
            "data_categories": ["identificatie", "signalen"],
            "consent_answer": "refused",
            "acute_unsafe": "no",
            "structural_unsafe": "yes",
            "proportional": "yes",
            "lighter_way": "no",
            "consulted": "aandachtsfunctionaris",
            "explanation": "Adam wordt criminele uitgebuit door een groep en is bang.",
            "on_behalf_of_organisation": "on",
        },
    )
    assert response.status_code == 302
    decision = SharingDecision.objects.get()
    assert response["Location"] == f"/delen/besluiten/{decision.public_id}/"
    page = anna.get(response["Location"])
    html = _main(page)
    assert "Uitkomst: Delen mag" in html
    assert "Wmo 2015 art. 5.2.6" in html
    assert "Ctrl+P" in html and "Adam wordt criminele" in html
    assert decision.on_behalf_of_organisation


def test_missing_answers_come_back_with_an_error_summary(anna, adam, veilig_thuis):
    url = _question_url(adam, veilig_thuis)
    response = anna.post(url, {"data_categories": ["bsn", "hulpkaart"]})
    html = _main(response)
    assert response.status_code == 400
    assert "error-summary" in html and "Is er acute onveiligheid?: " in html
    assert not SharingDecision.objects.exists()


def test_missing_consent_answer_is_reported_from_the_service(anna, adam, veilig_thuis):
    url = _question_url(adam, veilig_thuis)
    response = anna.post(
        url,
        {
            "data_categories": ["signalen"],
            "acute_unsafe": "no",
            "structural_unsafe": "no",
            "proportional": "yes",
            "lighter_way": "no",
            "consulted": "none",
            "explanation": "Twijfel",
        },
    )
    assert response.status_code == 400
    assert "Hebt u de persoon" in _main(response)


def test_step_two_without_a_valid_question_goes_back_to_step_one(anna, adam):
    response = anna.get(f"/delen/vraag/?persoon={adam.public_id}")
    assert response.status_code == 400
    assert "Stap 1" in _main(response)


def test_a_person_of_another_organisation_is_not_offered(actor_client, adam, recipient):
    client, _m = actor_client(role=Role.PROFESSIONAL)
    url = f"/delen/vraag/?persoon={adam.public_id}&ontvanger={recipient.pk}&doel=referral"
    assert client.get(url).status_code == 400  # not a valid choice for this actor
    assert "Adam" not in _main(client.get("/delen/"))


def test_roles_without_sharing_work_do_not_see_the_pages(actor_client):
    client, _m = actor_client(role=Role.ANALYST)
    for url in ("/delen/", "/delen/vraag/", "/delen/toestemming/", "/delen/verzoeken/"):
        assert client.get(url).status_code == 404


def test_org_admin_manages_agreements_and_settings(actor_client, professional, recipient):
    admin = MembershipFactory(role=Role.ORG_ADMIN, organisation=professional.organisation)
    client, _m = actor_client(admin)
    html = _main(client.get("/delen/"))
    assert "Convenanten" in html and "Stap 1" not in html
    response = client.post(
        "/delen/convenanten/nieuw/",
        {
            "title": "Convenant Noord",
            "parties": [str(recipient.pk)],
            "purposes": ["case_coordination"],
            "data_categories": ["identificatie", "tijdlijn"],
            "valid_from": _today(),
            "valid_until": _today(300),
        },
    )
    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert set(agreement.parties.all()) == {professional.organisation, recipient}
    page = client.get(response["Location"])
    assert "geldig" in _main(page)
    response = client.post(response["Location"], {"note": "Samenwerking gestopt"})
    assert response.status_code == 302
    assert "beëindigd" in _main(client.get(response["Location"]))

    response = client.post(
        "/delen/instellingen/",
        {"privacy_officer_name": "F. G.", "privacy_officer_email": "fg@zorgnoord.example"},
    )
    assert response.status_code == 302
    profile = PrivacyProfile.objects.get(organisation=professional.organisation)
    assert profile.privacy_officer_email == "fg@zorgnoord.example"


def test_agreement_form_errors_name_fields(actor_client, professional):
    admin = MembershipFactory(role=Role.ORG_ADMIN, organisation=professional.organisation)
    client, _m = actor_client(admin)
    response = client.post("/delen/convenanten/nieuw/", {"title": ""})
    assert response.status_code == 400 and "error-summary" in _main(response)
    assert not Agreement.objects.exists()


def test_record_a_consent_through_the_form(anna, adam, recipient):
    response = anna.get(f"/delen/toestemming/nieuw/?persoon={adam.public_id}&doel=referral")
    assert response.status_code == 200
    response = anna.post(
        "/delen/toestemming/nieuw/",
        {
            "person": str(adam.public_id),
            "given_by": "person",
            "purposes": ["referral"],
            "data_categories": ["identificatie", "hulpvraag"],
            "recipient_organisations": [str(recipient.pk)],
            "valid_from": _today(),
            "valid_until": _today(90),
            "status": "given",
            "method": "written",
            "evidence": "Formulier in dossier",
            "understanding_checks": ["teach_back"],
        },
    )
    assert response.status_code == 302, _main(response)
    consent = Consent.objects.get()
    html = _main(anna.get(response["Location"]))
    assert "gegeven" in html and "Toestemming intrekken" in html
    assert "De persoon vertelde in eigen woorden" in html

    response = anna.post(
        f"/delen/toestemming/{consent.public_id}/intrekken/", {"intrekken-note": "Wil niet meer"}
    )
    assert response.status_code == 302
    html = _main(anna.get(response["Location"]))
    assert "ingetrokken" in html and "Er mag nu niet op gedeeld worden" in html


def test_consent_form_errors_keep_the_input(anna, adam):
    response = anna.post(
        "/delen/toestemming/nieuw/",
        {
            "person": str(adam.public_id),
            "given_by": "person",
            "purposes": ["referral"],
            "data_categories": ["identificatie"],
            "valid_from": _today(),
            "valid_until": _today(90),
            "status": "given",
        },
    )
    html = _main(response)
    assert response.status_code == 400
    assert "Kies de organisaties" in html and "Bewijs" in html
    assert not Consent.objects.exists()


def test_requested_consent_is_given_later(anna, adam, recipient):
    consent = ConsentFactory(person=adam, recipients=[recipient], status="requested")
    url = f"/delen/toestemming/{consent.public_id}/geven/"
    response = anna.post(url, {"geven-method": "written"})
    assert response.status_code == 400
    assert "<details open>" in _main(response)
    response = anna.post(
        url,
        {
            "geven-method": "written",
            "geven-evidence": "Formulier",
            "geven-understanding_checks": ["easy_read_together"],
        },
    )
    assert response.status_code == 302
    assert list(consent.events.values_list("status", flat=True)) == ["requested", "given"]


def test_unknown_consent_action_is_404(anna, adam, recipient):
    consent = ConsentFactory(person=adam, recipients=[recipient])
    assert anna.post(f"/delen/toestemming/{consent.public_id}/wissen/").status_code == 404


def test_easy_read_explanation_is_printable_for_each_purpose(anna):
    for purpose in ("referral", "national_registration", "report_veilig_thuis"):
        response = anna.get(f"/delen/uitleg/{purpose}/")
        assert response.status_code == 200
        html = _main(response)
        assert "Ja, dat mag." in html and "van gedachten" in html or "Mag dit?" in html
    assert anna.get("/delen/uitleg/gossip/").status_code == 404


def test_overview_fits_the_bases_of_the_data_file(anna):
    html = _main(anna.get("/delen/overzicht/"))
    assert "Het stappenplan" in html and "Meldrecht" in html and "op domicilie" in html


def test_lists_show_what_the_organisation_did(anna, professional, adam, recipient, veilig_thuis):
    ConsentFactory(person=adam, recipients=[recipient])
    basis = sharing_basis_create(
        actor=professional,
        person=adam,
        recipient=recipient,
        purpose="referral",
        data_categories=["identificatie"],
    )
    SharingDecisionFactory(person=adam, recipient=veilig_thuis, decided_by=professional)
    assert "Adam Visser" in _main(anna.get("/delen/toestemming/"))
    assert "Veilig Thuis Regio" in _main(anna.get("/delen/besluiten/"))
    html = _main(anna.get("/delen/gedeeld/"))
    assert "Jeugdhulp Zuid" in html and "toestemming" in html
    detail = _main(anna.get(f"/delen/gedeeld/{basis.public_id}/"))
    assert "De ontvanger ziet als afzender" in detail


def test_org_admin_sees_disclosures_without_the_person(actor_client, professional, adam, recipient):
    ConsentFactory(person=adam, recipients=[recipient])
    basis = sharing_basis_create(
        actor=professional,
        person=adam,
        recipient=recipient,
        purpose="referral",
        data_categories=["identificatie"],
        override_reason="",
    )
    admin = MembershipFactory(role=Role.ORG_ADMIN, organisation=professional.organisation)
    client, _m = actor_client(admin)
    html = _main(client.get(f"/delen/gedeeld/{basis.public_id}/"))
    assert "Adam" not in html and "niet zichtbaar voor uw rol" in html


def test_subject_request_flow_and_access_export(anna, professional, adam):
    response = anna.post(
        "/delen/verzoeken/nieuw/",
        {
            "person": str(adam.public_id),
            "kind": "access",
            "requested_by": "person",
            "received_on": _today(),
        },
    )
    assert response.status_code == 302
    request = SubjectRequest.objects.get()
    html = _main(anna.get(response["Location"]))
    assert "Inzage bekijken" in html
    export = anna.get(f"/delen/verzoeken/{request.public_id}/inzage/")
    assert export.status_code == 200
    html = _main(export)
    assert "Visser" in html and "Wie wanneer iets met uw gegevens deed" in html
    download = anna.get(f"/delen/verzoeken/{request.public_id}/inzage/?formaat=json")
    assert download["Content-Type"].startswith("application/json")
    assert "attachment" in download["Content-Disposition"]
    response = anna.post(
        f"/delen/verzoeken/{request.public_id}/", {"status": "extended", "note": ""}
    )
    assert response.status_code == 400
    response = anna.post(f"/delen/verzoeken/{request.public_id}/", {"status": "done", "note": ""})
    assert response.status_code == 302
    assert "afgehandeld" in _main(anna.get("/delen/verzoeken/"))


def test_export_only_for_access_requests(anna, professional, adam):
    request = subject_request_register(
        actor=professional,
        person=adam,
        kind="erasure",
        requested_by="person",
        received_on=timezone.localdate(),
    )
    assert anna.get(f"/delen/verzoeken/{request.public_id}/inzage/").status_code == 404


def test_records_of_another_organisation_are_404(actor_client, adam, recipient):
    consent = ConsentFactory(person=adam, recipients=[recipient])
    decision = SharingDecisionFactory(person=adam)
    agreement = AgreementFactory()
    client, _m = actor_client(role=Role.PROFESSIONAL)
    for url in (
        f"/delen/toestemming/{consent.public_id}/",
        f"/delen/besluiten/{decision.public_id}/",
        f"/delen/convenanten/{agreement.public_id}/",
    ):
        assert client.get(url).status_code == 404


def test_the_pages_speak_english_too(anna):
    anna.cookies["schakel_language"] = "en"
    html = _main(anna.get("/delen/overzicht/"))
    assert "<h1>" in html
