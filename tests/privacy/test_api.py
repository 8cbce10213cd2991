"""The API follows the same rules as the web: same services, problem+json naming fields, and the
emergency override checked on the server."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from schakel.accounts.models import Role
from schakel.privacy.models import Agreement, Consent, SharingBasis, SharingDecision
from tests.accounts.factories import MembershipFactory

from .factories import AgreementFactory, ConsentFactory

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


def _today(days=0):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def _names(response):
    return {p["name"] for p in response.json()["invalid_params"]}


@pytest.fixture
def anna(api, professional):
    return api(professional)


def test_record_a_consent_and_withdraw_it(anna, adam, recipient, professional):
    client, headers = anna
    body = {
        "person": str(adam.public_id),
        "given_by": "person",
        "purposes": ["referral"],
        "data_categories": ["identificatie", "hulpvraag"],
        "recipient_organisations": [recipient.pk],
        "valid_from": _today(),
        "valid_until": _today(60),
        "method": "verbal",
        "evidence": "Gesprek van vandaag, begeleider erbij",
        "understanding_checks": ["teach_back", "with_supporter"],
    }
    response = client.post(
        "/api/v1/consents/", body, headers=headers, content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    consent = response.json()
    assert consent["status"] == "given" and consent["is_valid"]
    assert [h["status"] for h in consent["history"]] == ["requested", "given"]

    listed = client.get(f"/api/v1/consents/?person={adam.public_id}", headers=headers).json()
    assert [c["id"] for c in listed] == [consent["id"]]

    response = client.post(
        f"/api/v1/consents/{consent['id']}/withdraw/",
        {"note": "Wil niet meer"},
        headers=headers,
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    refused = client.post(
        "/api/v1/sharing-bases/",
        {
            "person": str(adam.public_id),
            "recipient": recipient.pk,
            "purpose": "referral",
            "data_categories": ["identificatie"],
        },
        headers=headers,
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert refused["Content-Type"].startswith(PROBLEM)
    assert refused.json()["type"].endswith("/sharing-not-allowed")
    assert any("ingetrokken" in r for r in refused.json()["reasons"])


def test_invalid_consent_names_the_fields(anna, adam):
    client, headers = anna
    response = client.post(
        "/api/v1/consents/",
        {
            "person": str(adam.public_id),
            "given_by": "person",
            "purposes": ["gossip"],
            "data_categories": ["identificatie"],
            "valid_from": _today(),
            "valid_until": _today(10),
        },
        headers=headers,
        content_type="application/json",
    )
    assert response.status_code == 400 and response["Content-Type"].startswith(PROBLEM)
    assert "purposes" in _names(response)
    response = client.post(
        "/api/v1/consents/", {}, headers=headers, content_type="application/json"
    )
    assert {"person", "given_by", "purposes", "valid_from"} <= _names(response)
    assert not Consent.objects.exists()


def test_a_person_of_another_organisation_is_not_found_as_input(api, adam, recipient):
    client, headers = api(MembershipFactory(role=Role.PROFESSIONAL))
    response = client.post(
        "/api/v1/sharing-bases/",
        {
            "person": str(adam.public_id),
            "recipient": recipient.pk,
            "purpose": "referral",
            "data_categories": ["identificatie"],
        },
        headers=headers,
        content_type="application/json",
    )
    assert response.status_code == 400 and "person" in _names(response)


def test_gate_through_the_api(anna, adam, recipient):
    client, headers = anna
    ConsentFactory(person=adam, recipients=[recipient])
    response = client.post(
        "/api/v1/sharing-bases/",
        {
            "person": str(adam.public_id),
            "recipient": recipient.pk,
            "purpose": "referral",
            "data_categories": ["identificatie"],
            "on_behalf_of_organisation": True,
        },
        headers=headers,
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["kind"] == "consent" and body["consent"]
    assert body["sender_shown_to_recipient"]["name"] == ""
    detail = client.get(f"/api/v1/sharing-bases/{body['id']}/", headers=headers)
    assert detail.status_code == 200
    assert [b["id"] for b in client.get("/api/v1/sharing-bases/", headers=headers).json()] == [
        body["id"]
    ]


def test_override_flag_without_the_permission_is_refused_on_the_server(api, adam, recipient):
    registrar = MembershipFactory(role=Role.REGISTRAR, organisation=adam.owner_organisation)
    client, headers = api(registrar)
    response = client.post(
        "/api/v1/sharing-bases/",
        {
            "person": str(adam.public_id),
            "recipient": recipient.pk,
            "purpose": "referral",
            "data_categories": ["identificatie"],
            "override": True,
            "override_reason": "Acuut gevaar, dit kan echt niet wachten",
        },
        headers=headers,
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["type"].endswith("/permission_denied")
    assert not SharingBasis.objects.exists() and not mail.outbox


def test_override_with_the_permission(anna, adam, recipient, django_capture_on_commit_callbacks):
    from schakel.privacy.models import PrivacyProfile

    PrivacyProfile.objects.create(
        organisation=adam.owner_organisation, privacy_officer_email="fg@example.org"
    )
    client, headers = anna
    body = {
        "person": str(adam.public_id),
        "recipient": recipient.pk,
        "purpose": "referral",
        "data_categories": ["identificatie"],
        "override": True,
    }
    response = client.post(
        "/api/v1/sharing-bases/", body, headers=headers, content_type="application/json"
    )
    assert response.status_code == 400 and "override_reason" in _names(response)
    body["override_reason"] = "Adam is vanavond in acuut gevaar; de groep zoekt hem."
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/sharing-bases/", body, headers=headers, content_type="application/json"
        )
    assert response.status_code == 201 and response.json()["kind"] == "override"
    assert len(mail.outbox) == 1


def test_an_override_reason_without_the_flag_is_not_an_override(anna, adam, recipient):
    client, headers = anna
    response = client.post(
        "/api/v1/sharing-bases/",
        {
            "person": str(adam.public_id),
            "recipient": recipient.pk,
            "purpose": "referral",
            "data_categories": ["identificatie"],
            "override_reason": "Acuut gevaar, het moet nu",
        },
        headers=headers,
        content_type="application/json",
    )
    assert response.status_code == 403 and response.json()["type"].endswith("/sharing-not-allowed")


def test_sharing_decision_through_the_api(anna, adam, veilig_thuis):
    client, headers = anna
    body = {
        "person": str(adam.public_id),
        "recipient": veilig_thuis.pk,
        "purpose": "report_veilig_thuis",
        "data_categories": ["identificatie", "signalen"],
        "answers": {
            "consent_answer": "refused",
            "acute_unsafe": "no",
            "structural_unsafe": "yes",
            "proportional": "yes",
            "lighter_way": "no",
        },
        "explanation": "Structurele onveiligheid door een criminele groep.",
    }
    response = client.post(
        "/api/v1/sharing-decisions/", body, headers=headers, content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    decision = response.json()
    assert decision["outcome"] == "share" and decision["legal_basis"] == "meldrecht_veilig_thuis"
    assert decision["reasons"] and decision["valid_until"]
    assert (
        client.get(f"/api/v1/sharing-decisions/{decision['id']}/", headers=headers).status_code
        == 200
    )
    assert len(client.get("/api/v1/sharing-decisions/", headers=headers).json()) == 1

    bad = {**body, "answers": {"acute_unsafe": "perhaps"}}
    response = client.post(
        "/api/v1/sharing-decisions/", bad, headers=headers, content_type="application/json"
    )
    assert response.status_code == 400
    assert {"answers.acute_unsafe", "answers.structural_unsafe"} <= _names(response)
    missing_consent_answer = {**body, "answers": {**body["answers"], "consent_answer": ""}}
    response = client.post(
        "/api/v1/sharing-decisions/",
        missing_consent_answer,
        headers=headers,
        content_type="application/json",
    )
    assert response.status_code == 400 and "consent_answer" in _names(response)
    assert SharingDecision.objects.count() == 1


def test_agreements_through_the_api(api, professional, recipient):
    admin = MembershipFactory(role=Role.ORG_ADMIN, organisation=professional.organisation)
    client, headers = api(admin)
    body = {
        "title": "Convenant Noord",
        "parties": [recipient.pk],
        "purposes": ["case_coordination"],
        "data_categories": ["identificatie", "tijdlijn"],
        "valid_from": _today(),
        "valid_until": _today(365),
    }
    response = client.post(
        "/api/v1/agreements/", body, headers=headers, content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    agreement = response.json()
    assert agreement["state"] == "valid" and set(agreement["parties"]) == {
        professional.organisation.pk,
        recipient.pk,
    }
    response = client.post(
        f"/api/v1/agreements/{agreement['id']}/end/",
        {"note": ""},
        headers=headers,
        content_type="application/json",
    )
    assert response.status_code == 400 and "note" in _names(response)
    response = client.post(
        f"/api/v1/agreements/{agreement['id']}/end/",
        {"note": "Gestopt"},
        headers=headers,
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["state"] == "ended"

    anna_client, anna_headers = api(professional)
    assert len(anna_client.get("/api/v1/agreements/", headers=anna_headers).json()) == 1
    # A party that may read but not manage agreements hears 403 before any validation.
    refused = anna_client.post(
        f"/api/v1/agreements/{agreement['id']}/end/",
        {},
        headers=anna_headers,
        content_type="application/json",
    )
    assert refused.status_code == 403
    response = anna_client.post(
        "/api/v1/agreements/", body, headers=anna_headers, content_type="application/json"
    )
    assert response.status_code == 403
    response = client.post(
        "/api/v1/agreements/",
        {**body, "valid_until": _today(-1)},
        headers=headers,
        content_type="application/json",
    )
    assert response.status_code == 400 and "valid_until" in _names(response)
    assert Agreement.objects.count() == 1


def test_subject_requests_through_the_api(anna, adam):
    client, headers = anna
    response = client.post(
        "/api/v1/subject-requests/",
        {
            "person": str(adam.public_id),
            "kind": "access",
            "requested_by": "person",
            "received_on": _today(),
        },
        headers=headers,
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    request = response.json()
    assert request["status"] == "received"
    export = client.get(f"/api/v1/subject-requests/{request['id']}/export/", headers=headers)
    assert export.status_code == 200
    assert {s["key"] for s in export.json()["sections"]} >= {"person", "consents", "processing_log"}
    step = client.post(
        f"/api/v1/subject-requests/{request['id']}/events/",
        {"status": "done"},
        headers=headers,
        content_type="application/json",
    )
    assert step.status_code == 200 and step.json()["status"] == "done"
    step = client.post(
        f"/api/v1/subject-requests/{request['id']}/events/",
        {"status": "done"},
        headers=headers,
        content_type="application/json",
    )
    assert step.status_code == 400 and "status" in _names(step)
    response = client.post(
        "/api/v1/subject-requests/",
        {
            "person": str(adam.public_id),
            "kind": "gossip",
            "requested_by": "x",
            "received_on": _today(),
        },
        headers=headers,
        content_type="application/json",
    )
    assert response.status_code == 400 and {"kind", "requested_by"} <= _names(response)


def test_records_of_another_organisation_are_not_found(api, adam, recipient):
    consent = ConsentFactory(person=adam, recipients=[recipient])
    agreement = AgreementFactory()
    client, headers = api(MembershipFactory(role=Role.PROFESSIONAL))
    for url in (
        f"/api/v1/consents/{consent.public_id}/",
        f"/api/v1/agreements/{agreement.public_id}/",
    ):
        response = client.get(url, headers=headers)
        assert response.status_code == 404 and response["Content-Type"].startswith(PROBLEM)
    assert client.get("/api/v1/consents/", headers=headers).json() == []


def test_roles_without_the_permission_get_404_on_lists(api):
    client, headers = api(role=Role.ANALYST)
    for url in ("/api/v1/consents/", "/api/v1/sharing-decisions/", "/api/v1/subject-requests/"):
        assert client.get(url, headers=headers).status_code == 404


def test_sharing_rules_are_published(anna):
    client, headers = anna
    rules = client.get("/api/v1/sharing-rules/", headers=headers).json()
    assert "referral" in {p["key"] for p in rules["purposes"]}
    assert "noodprocedure" in {b["key"] for b in rules["legal_bases"]}


def test_schema_lists_the_privacy_endpoints(client):
    paths = client.get("/api/v1/schema/?format=json").json()["paths"]
    for path in (
        "consents/",
        "agreements/",
        "sharing-decisions/",
        "subject-requests/",
        "sharing-bases/",
    ):
        assert f"/api/v1/{path}" in paths
