"""The API under /api/v1/signals/: register, list own, fetch own, withdraw; problem+json."""

import datetime

import pytest
from django.test import override_settings

from schakel.accounts.models import Organisation, Role
from schakel.accounts.services import api_token_issue
from schakel.signal_index.models import SignalRegistration
from tests.cases.factories import make_case
from tests.people.factories import valid_bsn

from .factories import identifiers, professional, register

pytestmark = pytest.mark.django_db
D = Organisation.Domain
URL = "/api/v1/signals/"


@pytest.fixture
def api(client):
    def make(membership):
        _token, plaintext = api_token_issue(membership=membership)
        return lambda method, url, data=None: getattr(client, method)(
            url, data, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {plaintext}"
        )

    return make


def body(bsn=None, **extra):
    data = {"bsn": bsn or valid_bsn(1), "context": "zorgen_over_uitbuiting",
            "contact_function": "Mentor", "contact_phone": "06-12345678"}  # fmt: skip
    data.update(extra)
    return data


def test_post_registers_and_answers_the_matches(api):
    school = api(professional(D.ONDERWIJS))
    first = school("post", URL, body())
    assert first.status_code == 201
    assert first.json()["matches"] == [] and first.json()["renewed"] is False
    police_actor = professional(D.POLITIE)
    police = api(police_actor)
    response = police("post", URL, body(contact_function="Wijkagent"))
    assert response.status_code == 201
    data = response.json()
    assert set(data) == {"id", "renewed", "ends_on", "matches"}
    (match,) = data["matches"]
    assert set(match) == {"organisation", "domain", "contact"}
    assert match["domain"] == "onderwijs"
    assert match["contact"] == {"function": "Mentor", "phone": "06-12345678"}
    assert "context" not in str(data) and "uitbuiting" not in str(data)
    # the school sees the match in its own list, marked new
    listing = school("get", URL).json()
    assert listing["count"] == 1
    (registration,) = listing["results"]
    assert registration["matches"][0]["organisation"] == police_actor.organisation.name
    assert registration["matches"][0]["new"] is True
    assert registration["matches"][0]["cross_domain"] is True


def test_post_by_name_and_date_of_birth(api):
    client = api(professional())
    ids = identifiers(2)
    response = client(
        "post", URL,
        {"surname": ids.surname, "given_names": ids.given_names,
         "birth_date": ids.date_of_birth.isoformat(), "context": "zorgen_over_uitbuiting",
         "contact_phone": "0201234567"},
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    registration = SignalRegistration.objects.get()
    assert registration.contact_function == "Professional"


def test_renewal_answers_200(api):
    client = api(professional())
    assert client("post", URL, body()).status_code == 201
    again = client("post", URL, body())
    assert again.status_code == 200 and again.json()["renewed"] is True


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (body(bsn="123456789"), "bsn"),
        ({"surname": "Jansen", "context": "zorgen_over_uitbuiting", "contact_phone": "0201234567"},
         "given_names"),
        ({"surname": "Jansen", "given_names": "Sem", "context": "zorgen_over_uitbuiting",
          "contact_phone": "0201234567"}, "birth_date"),
        (body(context="nieuwsgierig"), "context"),
        (body(birth_date="gisteren"), "birth_date"),
        (body(contact_phone=""), "contact_phone"),
    ],
)  # fmt: skip
def test_bad_input_is_400_problem_naming_the_field(api, data, field):
    response = api(professional())("post", URL, data)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    names = {p["name"] for p in response.json()["invalid_params"]}
    assert field in names
    assert not SignalRegistration.objects.exists()


@override_settings(SCHAKEL_SIGNAL_RATE_PER_USER_HOUR=1)
def test_over_the_rate_limit_is_429_problem(api):
    client = api(professional())
    assert client("post", URL, body()).status_code == 201
    response = client("post", URL, body(bsn=valid_bsn(2)))
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert "uur" in response.json()["detail"]
    assert response.json()["title"] == "Te veel verzoeken."
    assert response["Retry-After"]


def test_another_organisation_can_never_list_or_fetch_or_delete(api):
    owner = professional(D.ONDERWIJS)
    registration = register(owner, identifiers(3)).registration
    stranger = api(professional(D.POLITIE))
    assert stranger("get", URL).json()["count"] == 0
    detail = f"{URL}{registration.public_id}/"
    assert stranger("get", detail).status_code == 404
    assert stranger("delete", detail).status_code == 404
    registration.refresh_from_db()
    assert registration.ended_at is None
    # even a matching organisation only sees its own registration
    matched = professional(D.POLITIE)
    register(matched, identifiers(3))
    matched_api = api(matched)
    assert matched_api("get", detail).status_code == 404
    (own,) = matched_api("get", URL).json()["results"]
    assert own["id"] != str(registration.public_id)


def test_a_role_without_the_permission_gets_404_on_read_and_403_on_write(api):
    analyst = api(professional(role=Role.ANALYST))
    assert analyst("get", URL).status_code == 404
    assert analyst("post", URL, body()).status_code == 403


def test_delete_withdraws(api):
    owner = professional()
    registration = register(owner, identifiers(4)).registration
    client = api(owner)
    response = client("delete", f"{URL}{registration.public_id}/")
    assert response.status_code == 204
    registration.refresh_from_db()
    assert registration.end_reason == "withdrawn"
    detail = client("get", f"{URL}{registration.public_id}/").json()
    assert detail["end_reason"] == "withdrawn"


def test_from_a_case_over_the_api(api):
    lead = professional()
    case = make_case(lead=lead, date_of_birth=datetime.date(2010, 1, 1))
    response = api(lead)("post", URL, {"context": f"case:{case.public_id}",
                                      "contact_phone": "0201234567"})  # fmt: skip
    assert response.status_code == 201
    detail = api(lead)("get", f"{URL}{response.json()['id']}/").json()
    assert detail["context"] == f"case:{case.public_id}"


def test_pagination(api):
    owner = professional()
    for n in range(30):
        register(owner, identifiers(10 + n))
    page = api(owner)("get", URL).json()
    assert page["count"] == 30 and page["pages"] == 2 and len(page["results"]) == 25
    assert page["next"]


def test_post_with_only_identifiers_and_context_uses_the_last_contact(api):
    actor = professional()
    client = api(actor)
    first = client("post", URL, {"bsn": valid_bsn(11), "context": "zorgen_over_uitbuiting"})
    assert first.status_code == 400
    assert {p["name"] for p in first.json()["invalid_params"]} == {"contact_phone"}
    assert not SignalRegistration.objects.exists()
    assert client("post", URL, body(bsn=valid_bsn(12))).status_code == 201
    again = client("post", URL, {"bsn": valid_bsn(13), "context": "zorgen_over_uitbuiting"})
    assert again.status_code == 201
    registration = SignalRegistration.objects.get(public_id=again.json()["id"])
    assert (registration.contact_function, registration.contact_phone) == ("Mentor", "06-12345678")
