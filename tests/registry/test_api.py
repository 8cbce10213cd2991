"""The registry API: the same service as the form and the import; problem+json errors."""

import datetime

import pytest

from schakel.accounts.models import Role
from schakel.accounts.services import api_token_issue
from schakel.registry.models import Melding
from tests.accounts.factories import MembershipFactory
from tests.people.factories import PersonFactory

from .factories import csv_bytes, row, store

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"
LIST = "/api/v1/registry/meldingen/"


@pytest.fixture
def api(client):
    def make(membership=None, **kwargs):
        membership = membership or MembershipFactory(**kwargs)
        _token, plaintext = api_token_issue(membership=membership)
        return client, {"Authorization": f"Bearer {plaintext}"}, membership

    return make


def body(**overrides):
    data = {
        "melddatum": "2024-03-14",
        "identifiers": {"bsn": "111222333"},
        "melder": "politie",
        "politie_eenheid": "amsterdam",
        "grondslag": "wettelijke_taak",
        "uitbuitingsvormen": ["criminele_uitbuiting", "binnenlandse_seksuele_uitbuiting"],
        "sector": "drugsdelicten",
        "geslacht": "vrouw",
        "leeftijd": 17,
        "nationaliteit": "NL",
        "lvb_indicatie": "ja",
    }
    data.update(overrides)
    return data


def params(response):
    return {p["name"] for p in response.json()["invalid_params"]}


def test_register_read_and_list(api):
    client, headers, _ = api(role=Role.REGISTRAR)
    response = client.post(
        LIST, body(melding_id="API-1"), headers=headers, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["uitbuitingsvormen"] == [
        "binnenlandse_seksuele_uitbuiting",
        "criminele_uitbuiting",
    ]
    assert data["source"] == "api" and len(data["persoon_sleutel"]) == 64
    assert response["Location"].endswith("/api/v1/registry/meldingen/API-1/")
    again = client.post(
        LIST, body(melding_id="API-1"), headers=headers, content_type="application/json"
    )
    assert again.status_code == 200
    detail = client.get("/api/v1/registry/meldingen/API-1/", headers=headers)
    assert detail.json()["melddatum"] == "2024-03-14"
    listing = client.get(LIST + "?year=2024", headers=headers).json()
    assert listing["count"] == 1 and listing["results"][0]["melding_id"] == "API-1"
    assert client.get(LIST + "?year=2023", headers=headers).json()["count"] == 0


def test_invalid_input_names_the_fields(api):
    client, headers, _ = api(role=Role.REGISTRAR)
    response = client.post(
        LIST,
        body(melder="fairwork", identifiers={"surname": "Jansen"}, nationaliteit="nl"),
        headers=headers,
        content_type="application/json",
    )
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM
    assert params(response) == {"bsn", "politie_eenheid", "grondslag", "nationaliteit"}
    assert not Melding.objects.exists()


def test_a_person_with_consent(api):
    client, headers, membership = api(role=Role.REGISTRAR)
    person = PersonFactory(
        owner_organisation=membership.organisation, date_of_birth=datetime.date(1990, 1, 1)
    )
    response = client.post(
        LIST,
        body(
            identifiers=None,
            person=str(person.public_id),
            melder="zorgcoordinator",
            politie_eenheid="",
            grondslag="toestemming",
            consent={
                "given_by": "person",
                "method": "digital",
                "evidence": "Digitaal ondertekend, kenmerk 123",
                "understanding_checks": ["easy_read_together"],
            },
        ),
        headers=headers,
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["toestemming_door"] == "betrokkene"
    assert response.json()["consent_id"]
    other = PersonFactory()
    response = client.post(
        LIST, body(identifiers=None, person=str(other.public_id)), headers=headers,
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 404


@pytest.mark.parametrize("role", [Role.ANALYST, Role.PROFESSIONAL])
def test_other_roles_get_404(api, role):
    client, headers, _ = api(role=role)
    (melding,) = store(row())
    assert client.get(LIST, headers=headers).status_code == 404
    assert (
        client.post(LIST, body(), headers=headers, content_type="application/json").status_code
        == 404
    )
    assert client.get(f"{LIST}{melding.melding_id}/", headers=headers).status_code == 404
    assert client.get(f"{LIST}export/", headers=headers).status_code == 404
    response = client.post(
        "/api/v1/registry/imports/", csv_bytes([row()]), content_type="text/csv", headers=headers
    )
    assert response.status_code == 404


def test_import_and_export_csv(api):
    client, headers, _ = api(role=Role.REGISTRAR)
    data = csv_bytes([row(melddatum="2023-01-01"), row(melddatum="2024-01-01")])
    response = client.post(
        "/api/v1/registry/imports/", data, content_type="text/csv", headers=headers
    )
    assert response.status_code == 201
    assert (response.json()["created"], response.json()["accepted"]) == (2, True)
    again = client.post("/api/v1/registry/imports/", data, content_type="text/csv", headers=headers)
    assert again.status_code == 200 and again.json()["unchanged"] == 2
    bad = client.post(
        "/api/v1/registry/imports/",
        csv_bytes([row(leeftijd="x")]),
        content_type="text/csv",
        headers=headers,
    )
    assert bad.status_code == 400 and bad["Content-Type"] == PROBLEM
    assert bad.json()["errors"] == [
        {"line": 2, "column": "leeftijd", "rule": "format",
         "message": "Vul een heel getal in, of laat het leeg."}
    ]  # fmt: skip
    export = client.get(f"{LIST}export/?from=2024&to=2024", headers=headers)
    lines = b"".join(export.streaming_content).decode().splitlines()
    assert len(lines) == 2 and lines[1].split(",")[1] == "2024-01-01"


def test_the_schema_documents_the_endpoints(api):
    client, headers, _ = api(role=Role.REGISTRAR)
    schema = client.get("/api/v1/schema/?format=json", headers=headers).json()
    for path in ("/api/v1/registry/meldingen/", "/api/v1/registry/imports/",
                 "/api/v1/monitor/tables/", "/api/v1/monitor/tables/{table_id}/"):  # fmt: skip
        assert path in schema["paths"], path
