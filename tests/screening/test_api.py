"""The screening API: instruments, anonymous and stored assessments, precise 400s."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schakel.accounts.models import Role
from schakel.accounts.services import api_token_issue
from schakel.privacy.models import ProcessingEntry
from schakel.screening import selectors
from schakel.screening.instruments import check_files
from schakel.screening.models import Assessment, UsageCount
from tests.accounts.factories import MembershipFactory
from tests.people.factories import LvbIndicationFactory

from .factories import answers_all
from .test_engine import invalid_answers, valid_answers

pytestmark = pytest.mark.django_db

SHIPPED = {instrument.id: instrument for instrument, _name in check_files()[0]}
URL = "/api/v1/assessments/"


def headers_for(membership) -> dict:
    _token, plaintext = api_token_issue(membership=membership)
    return {"Authorization": f"Bearer {plaintext}"}


@pytest.fixture
def auth(professional):
    return headers_for(professional)


def post(client, auth, body):
    return client.post(URL, body, content_type="application/json", headers=auth)


def test_instruments_list_id_version_title_audience(client, instruments, auth):
    response = client.get("/api/v1/instruments/", headers=auth)
    assert response.status_code == 200
    rows = {row["id"]: row for row in response.json()}
    assert set(rows) == set(SHIPPED)
    signals = rows["signalen-uitbuiting"]
    assert signals["version"] == 1
    assert signals["title"] == "Signalen van uitbuiting"
    assert signals["audience"] == ["professional", "teacher"]
    assert signals["status"] == "indicative"
    assert rows["zelfcheck-jongeren"]["storage"] == "never"


def test_an_instrument_gives_its_full_definition(client, instruments, auth):
    response = client.get("/api/v1/instruments/aanwijzingen-lvb/", headers=auth)
    assert response.status_code == 200
    body = response.json()
    assert body["versions"] == [1]
    assert body["definition"]["areas"][0]["items"][0]["id"] == "speciaal_onderwijs"
    assert client.get("/api/v1/instruments/bestaat-niet/", headers=auth).status_code == 404
    assert (
        client.get("/api/v1/instruments/aanwijzingen-lvb/?version=9", headers=auth).status_code
        == 404
    )


def test_the_api_needs_an_actor(client, instruments):
    assert client.get("/api/v1/instruments/").status_code in (401, 403)
    assert client.post(URL, {}, content_type="application/json").status_code in (401, 403)


def test_an_anonymous_assessment_stores_nothing_but_a_count(client, instruments, auth, wegwijzer):
    answers = answers_all(SHIPPED["signalen-uitbuiting"], "no")
    answers["seksueel_geweld_7_dagen"] = "yes"
    entries = ProcessingEntry.objects.count()
    response = post(client, auth, {"instrument": "signalen-uitbuiting", "answers": answers})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["id"] is None and body["stored"] is False and body["person"] is None
    assert body["outcome"] == "urgent"
    assert body["red_flags"][0]["id"] == "seksueel_geweld_recent"
    assert {level["id"]: level["level"] for level in body["levels"]}["sexual"] == "high"
    assert len(body["steps"]["steps"]) == 5
    assert body["contacts"][0]["phone"] == "0800-0188"
    assert body["emergency"]["number"] == "112"
    assert not Assessment.objects.exists()
    assert ProcessingEntry.objects.count() == entries
    (count,) = UsageCount.objects.all()
    assert (count.instrument_key, count.mode, count.outcome, count.count) == (
        "signalen-uitbuiting",
        "anonymous",
        "urgent",
        1,
    )


def test_an_assessment_for_a_person_is_stored_and_logged(
    client, instruments, auth, person, professional
):
    answers = answers_all(SHIPPED["aanwijzingen-lvb"], "yes")
    response = post(
        client,
        auth,
        {"instrument": "aanwijzingen-lvb", "answers": answers, "person": str(person.public_id)},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assessment = Assessment.objects.get()
    assert body["id"] == str(assessment.public_id) and body["stored"] is True
    assert response["Location"] == body["url"]
    assert body["person"] == str(person.public_id)
    assert assessment.instrument.version == 1
    assert assessment.created_by == professional
    screening = ProcessingEntry.objects.filter(activity="screening")
    assert list(screening.values_list("operation", flat=True)) == ["create"]

    detail = client.get(body["url"], headers=auth)
    assert detail.status_code == 200
    assert detail.json()["outcome"] == body["outcome"]
    assert list(screening.values_list("operation", flat=True)) == ["create", "read"]

    listed = client.get(f"{URL}?person={person.public_id}", headers=auth)
    assert [row["id"] for row in listed.json()] == [body["id"]]


def test_a_stored_assessment_is_only_for_those_who_may_see_the_person(
    client, instruments, auth, person, outsider
):
    answers = answers_all(SHIPPED["signalen-uitbuiting"], "no")
    body = post(
        client,
        auth,
        {"instrument": "signalen-uitbuiting", "answers": answers, "person": str(person.public_id)},
    ).json()
    other = headers_for(outsider)
    assert client.get(body["url"], headers=other).status_code == 404
    assert client.get(f"{URL}?person={person.public_id}", headers=other).status_code == 404
    refused = post(
        client,
        other,
        {"instrument": "signalen-uitbuiting", "answers": answers, "person": str(person.public_id)},
    )
    assert refused.status_code == 400
    assert [p["name"] for p in refused.json()["invalid_params"]] == ["person"]
    assert Assessment.objects.count() == 1


def test_a_role_without_screening_gets_403_for_a_person(client, instruments, person):
    registrar = MembershipFactory(role=Role.REGISTRAR, organisation=person.owner_organisation)
    answers = answers_all(SHIPPED["signalen-uitbuiting"], "no")
    response = post(
        client,
        headers_for(registrar),
        {"instrument": "signalen-uitbuiting", "answers": answers, "person": str(person.public_id)},
    )
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


def test_the_self_check_is_never_stored_with_a_person(client, instruments, auth, person):
    answers = answers_all(SHIPPED["zelfcheck-jongeren"], "no")
    response = post(
        client,
        auth,
        {"instrument": "zelfcheck-jongeren", "answers": answers, "person": str(person.public_id)},
    )
    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalid_params"]] == ["person"]


def test_a_person_with_an_lvb_indication_gets_lvb_guidance(client, instruments, auth, person):
    LvbIndicationFactory(person=person)
    answers = answers_all(SHIPPED["signalen-uitbuiting"], "no")
    body = post(
        client,
        auth,
        {"instrument": "signalen-uitbuiting", "answers": answers, "person": str(person.public_id)},
    ).json()
    assert body["lvb_guidance"]["reasons"] == ["de LVB-indicatie in het dossier van de persoon"]
    assert Assessment.objects.get().lvb_indication is True


BAD_REQUESTS = [
    ("no body", {}, {"instrument", "answers"}),
    ("unknown instrument", {"instrument": "nee", "answers": {}}, {"instrument"}),
    (
        "unknown version",
        {"instrument": "zelfcheck-jongeren", "version": 7, "answers": {}},
        {"version"},
    ),
    ("answers not an object", {"instrument": "zelfcheck-jongeren", "answers": []}, {"answers"}),
    (
        "person not an id",
        {"instrument": "zelfcheck-jongeren", "answers": {}, "person": "x"},
        {"person"},
    ),
]


@pytest.mark.parametrize(
    ("body", "names"), [c[1:] for c in BAD_REQUESTS], ids=[c[0] for c in BAD_REQUESTS]
)
def test_bad_requests_name_their_fields(client, instruments, auth, body, names):
    response = post(client, auth, body)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert {p["name"] for p in response.json()["invalid_params"]} == names


def test_bad_answers_are_named_one_by_one(client, instruments, auth):
    answers = answers_all(SHIPPED["zelfcheck-jongeren"], "no")
    del answers["bang"]
    answers["geheim"] = "ja"
    answers["verzonnen"] = "yes"
    response = post(client, auth, {"instrument": "zelfcheck-jongeren", "answers": answers})
    assert response.status_code == 400
    problem = response.json()
    assert {p["name"] for p in problem["invalid_params"]} == {
        "answers.bang",
        "answers.geheim",
        "answers.verzonnen",
    }
    assert "answers.bang" in problem["detail"]
    assert not UsageCount.objects.exists()


@pytest.mark.parametrize("key", sorted(SHIPPED))
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_hypothesis_valid_answers_give_201_with_advice(client, instruments, auth, key, data):
    answers = data.draw(valid_answers(SHIPPED[key]))
    response = post(client, auth, {"instrument": key, "answers": answers})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["outcome_label"] and body["summary"]
    assert isinstance(body["levels"], list) and isinstance(body["contacts"], list)


@pytest.mark.parametrize("key", sorted(SHIPPED))
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_hypothesis_invalid_answers_give_400_naming_the_items(client, instruments, auth, key, data):
    answers, bad = data.draw(invalid_answers(SHIPPED[key]))
    response = post(client, auth, {"instrument": key, "answers": answers})
    assert response.status_code == 400
    names = {p["name"] for p in response.json()["invalid_params"]}
    assert names == {f"answers.{item}" for item in bad}


def test_the_openapi_schema_documents_the_screening_endpoints(client, auth):
    schema = client.get("/api/v1/schema/?format=json", headers=auth).json()
    assert "/api/v1/instruments/" in schema["paths"]
    assert "/api/v1/instruments/{key}/" in schema["paths"]
    assert "post" in schema["paths"]["/api/v1/assessments/"]
    assert "/api/v1/assessments/{public_id}/" in schema["paths"]


def test_a_new_version_does_not_change_an_old_assessment(
    client, instruments, auth, person, tmp_path
):
    import yaml
    from django.core.management import call_command

    from schakel.screening.instruments import INSTRUMENTS_DIR

    answers = answers_all(SHIPPED["aanwijzingen-lvb"], "no")
    first = post(
        client,
        auth,
        {"instrument": "aanwijzingen-lvb", "answers": answers, "person": str(person.public_id)},
    ).json()
    data = yaml.safe_load((INSTRUMENTS_DIR / "aanwijzingen-lvb" / "v1.yaml").read_text())
    data["version"] = 2
    data["title"] = "Aanwijzingen voor een LVB (nieuw)"
    data["areas"][0]["items"][0]["text"] = "Een nieuwe eerste vraag?"
    (tmp_path / "v2.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    call_command("load_instruments", str(tmp_path), verbosity=0)
    selectors._parsed.cache_clear()

    assert client.get("/api/v1/instruments/aanwijzingen-lvb/", headers=auth).json()["version"] == 2
    old = client.get(first["url"], headers=auth).json()
    assert old["instrument"]["version"] == 1
    assert old["instrument"]["title"] == "Aanwijzingen voor een LVB"
