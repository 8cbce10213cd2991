"""API: public reads of items and recommendations, writes for functional admins, problem+json."""

import datetime

import pytest

from schakel.knowledge import services
from schakel.knowledge.models import KnowledgeItem, StatusUpdate

pytestmark = pytest.mark.django_db

ITEMS = "/api/v1/knowledge/items/"


def problem_names(response):
    assert response["Content-Type"].startswith("application/problem+json")
    return [p["name"] for p in response.json().get("invalid_params", [])]


def test_search_is_public(client, loaded):
    response = client.get(ITEMS, {"q": "uitbiting", "audience": "schools"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] >= 1
    assert body["query"]["corrected"] == {"uitbiting": ["uitbuiting"]}
    first = body["results"][0]
    assert "schools" in first["audiences"]
    assert first["url"].endswith(f"/api/v1/knowledge/items/{first['id']}/")


def test_list_pages_and_unknown_filters(client, loaded):
    body = client.get(ITEMS, {"page_size": 25}).json()
    assert (body["count"], body["pages"], len(body["results"])) == (61, 3, 25)
    assert "page=2" in body["next"] and body["previous"] is None
    assert client.get(ITEMS, {"page": 9}).status_code == 404
    response = client.get(ITEMS, {"audience": "martians", "kind": "poster"})
    assert response.status_code == 400
    assert set(problem_names(response)) == {"audience"} or set(problem_names(response)) == {"kind"}
    assert problem_names(client.get(ITEMS, {"page_size": "veel"})) == ["page_size"]


def test_detail_with_related_items(client, loaded):
    body = client.get(f"{ITEMS}11vb/").json()
    assert body["title"] == "11VB signaleringsinstrument"
    assert body["forms"] == ["sexual"] and body["lvb_suitability"] == "specific"
    assert body["web_url"].endswith("/kennisbank/item/11vb/")
    assert body["related"] and all(r["id"] != "11vb" for r in body["related"])
    assert client.get(f"{ITEMS}bestaat-niet/").status_code == 404


NEW_ITEM = {
    "title": "Signalenkaart criminele uitbuiting",
    "kind": "instrument",
    "description": "Een kaart met signalen voor docenten in het praktijkonderwijs.",
    "audiences": ["schools"],
    "forms": ["criminal"],
    "lvb_suitability": "attention",
    "links": [{"url": "https://example.org/kaart", "label": "Kaart"}],
}


def test_functional_admin_creates_and_edits_items(api, functional_admin):
    client, headers = api(functional_admin)
    response = client.post(ITEMS, NEW_ITEM, content_type="application/json", headers=headers)
    assert response.status_code == 201, response.content
    body = response.json()
    assert response["Location"] == body["url"]
    slug = body["id"]
    response = client.patch(
        f"{ITEMS}{slug}/",
        {"version": 1, "year": 2025, "note": "jaar toegevoegd"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 200 and response.json()["version"] == 2
    stale = client.patch(
        f"{ITEMS}{slug}/",
        {"version": 1, "year": 2024},
        content_type="application/json",
        headers=headers,
    )
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    history = client.get(f"{ITEMS}{slug}/history/", headers=headers).json()
    assert [h["version"] for h in history] == [2, 1]
    assert history[0]["changed_fields"] == ["year"]
    assert history[0]["changed_by_role"] == "functional_admin"


def test_invalid_item_names_the_fields(api, functional_admin):
    client, headers = api(functional_admin)
    response = client.post(
        ITEMS,
        NEW_ITEM | {"description": "kort", "audiences": []},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 400
    assert set(problem_names(response)) == {"description", "audiences"}
    assert not KnowledgeItem.objects.exists()


def test_others_cannot_write_or_see_history(api, client, professional, loaded):
    response = client.post(ITEMS, NEW_ITEM, content_type="application/json")
    assert response.status_code in (401, 403)
    other, headers = api(professional)
    response = other.post(ITEMS, NEW_ITEM, content_type="application/json", headers=headers)
    assert response.status_code == 403
    assert other.get(f"{ITEMS}11vb/history/", headers=headers).status_code == 404


def test_usage_endpoint(api, analyst, professional, loaded):
    item = KnowledgeItem.objects.get(slug="11vb")
    services.usage_record(actor=professional, item=item, event="view")
    client, headers = api(analyst)
    body = client.get("/api/v1/knowledge/usage/", headers=headers).json()
    assert body["totals"] == {"view": 1, "download": 0}
    assert body["items"][0]["id"] == "11vb"
    assert body["items"][0]["by_audience"]["zorg"] == 1
    response = client.get(
        "/api/v1/knowledge/usage/", {"date_from": "gisteren", "grouping": "jaar"}, headers=headers
    )
    assert set(problem_names(response)) == {"date_from", "grouping"}
    other, other_headers = api(professional)
    assert other.get("/api/v1/knowledge/usage/", headers=other_headers).status_code == 404


def test_recommendations_are_public(client, loaded):
    body = client.get("/api/v1/recommendations/").json()
    assert len(body) == 104
    first = body[0]
    assert first["code"] == "2.1-A1" and first["status"] == "not_started"
    assert first["stalled"] is True
    body = client.get("/api/v1/recommendations/", {"kind": "bottleneck", "theme": 4}).json()
    assert [p["code"] for p in body] == ["2.4-K0", "2.4-K1", "2.4-K2", "2.4-K3"]
    assert body[0]["status"] is None
    body = client.get("/api/v1/recommendations/", {"addressee": "szw"}).json()
    assert {p["code"] for p in body} >= {"2.7-A1", "2.7-A2", "2.9-A1"}
    detail = client.get("/api/v1/recommendations/2.2-A1/").json()
    assert {(a["code"], a["derived"]) for a in detail["addressees"]} == {
        ("jenv", False),
        ("vws", False),
        ("ocw", False),
    }
    assert problem_names(client.get("/api/v1/recommendations/", {"kind": "x"})) == ["kind"]
    assert client.get("/api/v1/recommendations/0.0/").status_code == 404


def test_status_updates_over_the_api(api, client, functional_admin, professional, loaded):
    url = "/api/v1/recommendations/2.2-A1/status-updates/"
    admin, headers = api(functional_admin)
    response = admin.post(
        url,
        {"status": "in_preparation", "reported_on": "2024-03-01", "reported_by": "JenV"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 201, response.content
    first = response.json()["id"]
    response = admin.post(
        url,
        {"status": "implemented", "reported_on": "2024-02-01", "reported_by": ""},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 400
    assert set(problem_names(response)) == {"reported_on", "reported_by", "evidence"}
    response = admin.post(
        url,
        {
            "status": "in_progress",
            "reported_on": "2024-03-01",
            "reported_by": "JenV",
            "evidence": "Verkeerd ingevoerd: het is al in uitvoering.",
            "corrects": first,
        },
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 201
    history = client.get(url).json()
    assert [(h["status"], h["effective"]) for h in history] == [
        ("in_progress", True),
        ("in_preparation", False),
    ]
    assert client.get("/api/v1/recommendations/2.2-A1/").json()["status"] == "in_progress"
    response = admin.post(
        url,
        {"status": "in_progress", "reported_on": "2024-04-01", "reported_by": "x", "corrects": 999},
        content_type="application/json",
        headers=headers,
    )
    assert problem_names(response) == ["corrects"]
    other, other_headers = api(professional)
    response = other.post(
        url,
        {"status": "dropped", "reported_on": "2024-04-01", "reported_by": "x", "evidence": "x"},
        content_type="application/json",
        headers=other_headers,
    )
    assert response.status_code == 403
    assert StatusUpdate.objects.count() == 2
    assert datetime.date(2024, 3, 1) == StatusUpdate.objects.first().reported_on


def test_schema_documents_the_endpoints(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    for path in (
        "/api/v1/knowledge/items/",
        "/api/v1/knowledge/items/{slug}/",
        "/api/v1/knowledge/items/{slug}/history/",
        "/api/v1/knowledge/usage/",
        "/api/v1/recommendations/",
        "/api/v1/recommendations/{code}/status-updates/",
    ):
        assert path in schema["paths"], path
