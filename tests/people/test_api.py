import pytest

from schakel.accounts.models import Role
from schakel.people.models import LvbIndication, Person
from schakel.people.pseudonyms import log_pseudonym
from schakel.privacy.models import ProcessingEntry
from schakel.privacy.services import processing_log_verify
from tests.accounts.factories import MembershipFactory

from .factories import LvbIndicationFactory, PersonFactory

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"
LIST = "/api/v1/persons/"


def detail(person):
    return f"/api/v1/persons/{person.public_id}/"


def lvb(person):
    return f"/api/v1/persons/{person.public_id}/lvb-indications/"


def params(response):
    return {p["name"]: p["reason"] for p in response.json()["invalid_params"]}


def test_list_shows_the_own_organisation_without_bsn(api, professional, person, outsider):
    PersonFactory(owner_organisation=outsider.organisation)
    client, headers = api(professional)
    response = client.get(LIST, headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["page"], body["pages"]) == (1, 1, 1)
    (item,) = body["results"]
    assert item["id"] == str(person.public_id)
    assert item["url"].endswith(detail(person))
    assert item["surname"] == "Bakker"
    assert "bsn" not in item and "address" not in item
    read = ProcessingEntry.objects.get(operation="read")
    assert read.subject_pseudonym == log_pseudonym(person)


def test_list_pages(api, professional):
    PersonFactory.create_batch(26, owner_organisation=professional.organisation)
    client, headers = api(professional)
    first = client.get(LIST, headers=headers).json()
    assert len(first["results"]) == 25 and first["previous"] is None
    second = client.get(first["next"], headers=headers).json()
    assert len(second["results"]) == 1 and second["next"] is None
    response = client.get(f"{LIST}?page=3", headers=headers)
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM


def test_create(api, professional):
    client, headers = api(professional)
    response = client.post(
        LIST,
        {
            "surname": "de Vries",
            "given_names": "Sem",
            "bsn": "123456782",
            "date_of_birth": "2009-03-14",
            "gender": "m",
        },
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 201, response.content
    person = Person.objects.get()
    assert response["Location"].endswith(detail(person))
    body = response.json()
    assert (body["bsn"], body["version"], body["age"]) == ("123456782", 1, person.age)
    assert person.owner_organisation == professional.organisation
    assert ProcessingEntry.objects.get().operation == "create"


@pytest.mark.parametrize(
    ("payload", "field", "reason"),
    [
        ({"surname": "Bakker", "bsn": "123456789"}, "bsn", "Dit BSN klopt niet (elfproef)."),
        ({"given_names": "Noa"}, "surname", "Vul een achternaam of een BSN in."),
        ({"surname": "Bakker", "date_of_birth": "1899-12-31"}, "date_of_birth", None),
        ({"surname": "Bakker", "date_of_birth": "14-03-2009"}, "date_of_birth", None),
        ({"surname": "Bakker", "gender": "q"}, "gender", None),
    ],
)
def test_create_with_bad_input_is_a_problem_naming_the_field(
    api, professional, payload, field, reason
):
    client, headers = api(professional)
    response = client.post(LIST, payload, content_type="application/json", headers=headers)
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == 400 and body["type"].endswith("/invalid")
    assert field in params(response)
    if reason:
        assert params(response)[field] == reason
    assert not Person.objects.exists()
    assert not ProcessingEntry.objects.exists()


def test_create_without_permission_is_403(api):
    client, headers = api(role=Role.ANALYST)
    response = client.post(LIST, {"surname": "X"}, content_type="application/json", headers=headers)
    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM
    assert not Person.objects.exists()


def test_get(api, professional, person):
    client, headers = api(professional)
    response = client.get(detail(person), headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert (body["bsn"], body["surname"], body["version"]) == ("111222333", "Bakker", 1)
    assert ProcessingEntry.objects.get().operation == "read"


def test_another_organisations_person_is_404(api, person, outsider):
    client, headers = api(outsider)
    for method in ("get", "patch"):
        response = getattr(client, method)(
            detail(person),
            {"version": 1, "surname": "X"},
            content_type="application/json",
            headers=headers,
        )
        assert response.status_code == 404
        assert response["Content-Type"] == PROBLEM
    assert client.get(lvb(person), headers=headers).status_code == 404
    assert Person.objects.get(pk=person.pk).surname == "Bakker"
    assert not ProcessingEntry.objects.exists()


@pytest.mark.parametrize("role", [Role.ANALYST, Role.ORG_ADMIN])
def test_role_without_person_view_gets_404(api, person, role):
    client, headers = api(MembershipFactory(role=role, organisation=person.owner_organisation))
    assert client.get(LIST, headers=headers).status_code == 404
    assert client.get(detail(person), headers=headers).status_code == 404
    assert client.get(lvb(person), headers=headers).status_code == 404


def test_no_token_is_401(client, person):
    response = client.get(detail(person))
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
    bad = client.get(detail(person), headers={"Authorization": "Bearer sk_nope.nope"})
    assert bad.status_code == 401


def test_patch(api, professional, person):
    client, headers = api(professional)
    response = client.patch(
        detail(person),
        {"version": 1, "phone": "0612345678"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 200, response.content
    assert (response.json()["phone"], response.json()["version"]) == ("0612345678", 2)
    person.refresh_from_db()
    assert (person.phone, person.surname, person.version) == ("0612345678", "Bakker", 2)
    assert list(ProcessingEntry.objects.values_list("operation", flat=True)) == ["read", "update"]
    assert processing_log_verify().ok


def test_stale_patch_is_409_and_changes_nothing(api, professional, person):
    Person.objects.filter(pk=person.pk).update(version=3)
    client, headers = api(professional)
    response = client.patch(
        detail(person),
        {"version": 1, "surname": "Visser"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 409
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["type"].endswith("/conflict")
    assert body["current_version"] == 3
    assert Person.objects.get(pk=person.pk).surname == "Bakker"


def test_patch_needs_a_version(api, professional, person):
    client, headers = api(professional)
    response = client.patch(
        detail(person), {"surname": "Visser"}, content_type="application/json", headers=headers
    )
    assert response.status_code == 400
    assert "version" in params(response)


def test_patch_with_bad_input_changes_nothing(api, professional, person):
    client, headers = api(professional)
    response = client.patch(
        detail(person),
        {"version": 1, "bsn": "123456789"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 400
    assert params(response) == {"bsn": "Dit BSN klopt niet (elfproef)."}
    person.refresh_from_db()
    assert (person.bsn, person.version) == ("111222333", 1)


def test_registrar_may_read_but_not_patch(api, person):
    client, headers = api(role=Role.REGISTRAR, organisation=person.owner_organisation)
    assert client.get(detail(person), headers=headers).status_code == 200
    response = client.patch(
        detail(person),
        {"version": 1, "surname": "X"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 403


def test_lvb_indications(api, professional, person):
    old = LvbIndicationFactory(person=person)
    client, headers = api(professional)
    response = client.post(
        lvb(person),
        {
            "status": "disputed",
            "source_kind": "iq_test",
            "source": "IQ-test tijdens crisis",
            "observed_on": "2026-10-01",
            "corrects": old.pk,
        },
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 201, response.content
    assert response.json()["corrects"] == old.pk
    history = client.get(lvb(person), headers=headers).json()
    assert [entry["status"] for entry in history] == ["disputed", "suspected"]
    assert history[1]["source"] == old.source


def test_lvb_indication_errors(api, professional, person):
    foreign = LvbIndicationFactory()
    client, headers = api(professional)
    response = client.post(
        lvb(person),
        {
            "status": "screened",
            "source_kind": "screening",
            "source": " ",
            "observed_on": "2026-09-01",
            "corrects": foreign.pk,
        },
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 400
    assert "corrects" in params(response)
    response = client.post(
        lvb(person),
        {
            "status": "screened",
            "source_kind": "screening",
            "source": " ",
            "observed_on": "2026-09-01",
        },
        content_type="application/json",
        headers=headers,
    )
    assert params(response) == {
        "source": "Vul de bron in. Dan is altijd te zien waar de indicatie op berust."
    }
    assert not LvbIndication.objects.filter(person=person).exists()
