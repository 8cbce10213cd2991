"""The wegwijzer API: search with fit and reasons, an offer, coordinators, capacity, suggestions."""

import pytest
from rest_framework.test import APIClient

from schakel.accounts.services import api_token_issue
from schakel.directory.models import Suggestion
from tests.accounts.factories import MembershipFactory

from .factories import FunctionalAdminFactory, OrgAdminFactory

pytestmark = pytest.mark.django_db


def bearer(membership) -> dict:
    _token, plaintext = api_token_issue(membership=membership)
    return {"Authorization": f"Bearer {plaintext}"}


@pytest.fixture
def api():
    return APIClient()


def test_search_example_of_the_issue(wegwijzer, api):
    response = api.get(
        "/api/v1/directory/offers/?gemeente=GM0363&age=16&gender=vrouw"
        "&forms=criminele_uitbuiting&lvb=true&need=treatment"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(body["results"]) == 34
    for item in body["results"]:
        assert item["fit"] in ("full", "partial")
        assert (item["fit"] == "full") == (item["reasons"] == [])
        assert {"id", "name", "provider", "capacity", "url"} <= set(item["offer"])
    asja = next(r for r in body["results"] if r["offer"]["id"] == "asja")
    assert asja["reasons"] == [
        "regio: alleen Leeuwarden en Rotterdam",
        "vorm: richt zich op seksuele uitbuiting",
    ]
    assert body["escalation"][0]["phone"] == "033-4481186"


def test_invalid_parameters_answer_400_naming_them(wegwijzer, api):
    response = api.get(
        "/api/v1/directory/offers/?gemeente=GM9999&age=oud&gender=vrouwen&forms=x"
        "&lvb=misschien&need=alles&limit=0"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    names = {p["name"] for p in response.json()["invalid_params"]}
    assert names == {"gemeente", "age", "gender", "forms", "lvb", "need"}
    assert api.get("/api/v1/directory/offers/?limit=0").json()["invalid_params"][0]["name"] == (
        "limit"
    )


def test_landelijk_and_limit(wegwijzer, api):
    body = api.get("/api/v1/directory/offers/?gemeente=landelijk&need=treatment&limit=2").json()
    assert len(body["results"]) == 2 and body["count"] == 34
    asja = api.get("/api/v1/directory/offers/?landelijk=true&q=asja").json()["results"][0]
    assert asja["reasons"] == ["regio: alleen Leeuwarden en Rotterdam"]


def test_offer_detail_and_404(wegwijzer, api):
    body = api.get("/api/v1/directory/offers/koraal_consultatie/").json()
    assert body["phone"] == "088 – 50 57 410"
    assert body["email"] == "vragenoveruitbuiting@koraal.nl"
    assert body["hours"].startswith("e-mail: 24/7")
    assert body["provider"] == {"key": "koraal", "name": "Koraal"}
    assert api.get("/api/v1/directory/offers/bestaat-niet/").status_code == 404


def test_coordinators(wegwijzer, api):
    body = api.get("/api/v1/directory/coordinators/?gemeente=GM0080").json()
    assert body["place"]["name"] == "Leeuwarden"
    assert body["coordinators"] == []
    assert [c["key"] for c in body["escalation"]] == [
        "comensha_zorgcoordinatie",
        "zorgcoordinatoren",
    ]
    for query in ("", "?gemeente=GM9999"):
        response = api.get(f"/api/v1/directory/coordinators/{query}")
        assert response.status_code == 400
        assert response.json()["invalid_params"][0]["name"] == "gemeente"


def test_capacity_refusal_comes_before_validation(wegwijzer, api):
    """Who may not update the capacity hears 403, also for a body that would not validate."""
    url = "/api/v1/directory/offers/asja/capacity/"
    response = api.post(url, {}, format="json", headers=bearer(OrgAdminFactory()))
    assert response.status_code == 403
    assert response.json()["type"].endswith("/permission_denied")


def test_capacity_update_over_the_api(wegwijzer, api):
    url = "/api/v1/directory/offers/asja/capacity/"
    data = {"places": 12, "free_places": 0, "waiting_weeks": 6, "version": 1}
    assert api.post(url, data, format="json").status_code in (401, 403)
    assert api.post(url, data, format="json", headers=bearer(OrgAdminFactory())).status_code == 403
    headers = bearer(FunctionalAdminFactory())
    response = api.post(url, data, format="json", headers=headers)
    assert response.status_code == 200
    assert response.json()["capacity"]["free_places"] == 0
    stale = api.post(url, data, format="json", headers=headers)
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    bad = api.post(url, {**data, "free_places": 20, "version": 2}, format="json", headers=headers)
    assert bad.status_code == 400
    assert bad.json()["invalid_params"][0]["name"] == "free_places"
    # the search now says why asja does not fit
    body = api.get("/api/v1/directory/offers/?q=asja&gemeente=GM0080").json()
    assert body["results"][0]["reasons"] == ["geen vrije plek, wachttijd 6 weken"]


def test_suggestion_over_the_api(wegwijzer, api):
    url = "/api/v1/directory/suggestions/"
    data = {"kind": "correction", "offer": "asja", "subject": "Asja", "message": "Nieuw nummer."}
    headers = bearer(MembershipFactory())
    response = api.post(url, data, format="json", headers=headers)
    assert response.status_code == 201
    assert Suggestion.objects.get().offer.key == "asja"
    bad = api.post(url, {**data, "offer": "nee"}, format="json", headers=headers)
    assert bad.status_code == 400 and bad.json()["invalid_params"][0]["name"] == "offer"


def test_schema_documents_the_endpoints(db, api):
    response = api.get("/api/v1/schema/?format=json")
    paths = response.json()["paths"]
    assert "/api/v1/directory/offers/" in paths
    assert "/api/v1/directory/coordinators/" in paths
    assert "/api/v1/directory/offers/{key}/capacity/" in paths
