"""Bad input gets a clear 4xx, never a 500 (issue 13, items 3 and 6).

Each attack here gave a 500 or an HTML error under /api/ before. They run on SQLite and
PostgreSQL (where NUL in text is a DataError).
"""

import json

import pytest
from django.test import Client, override_settings

from schakel.accounts.models import Role
from schakel.accounts.services import api_token_issue
from schakel.people.models import Person
from schakel.registry.models import Melding
from tests.accounts.factories import MembershipFactory
from tests.people.factories import PersonFactory
from tests.registry.factories import csv_bytes, row

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


@pytest.fixture
def client():
    """A client that answers as a server would (a 500 page), instead of raising."""
    return Client(raise_request_exception=False)


def _bearer(role=Role.PROFESSIONAL) -> dict:
    _token, plaintext = api_token_issue(membership=MembershipFactory(role=role))
    return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["title"] and "{" not in body["title"]
    assert body["type"].startswith("https://")
    return body


def _names(body) -> list[str]:
    return [param["name"] for param in body["invalid_params"]]


# -- NUL and other control characters in the path and the query ----------------------------


@pytest.mark.parametrize(
    ("url", "role", "name"),
    [
        ("/api/v1/recommendations/a%00b/", None, "code"),
        ("/api/v1/directory/offers/?gemeente=%00", Role.PROFESSIONAL, "gemeente"),
        ("/api/v1/directory/coordinators/?gemeente=%00", Role.PROFESSIONAL, "gemeente"),
        ("/api/v1/registry/meldingen/?melder=%00", Role.REGISTRAR, "melder"),
        ("/api/v1/registry/meldingen/a%00b/", Role.REGISTRAR, "melding_id"),
        ("/api/v1/persons/?q=a%01b", Role.PROFESSIONAL, "q"),
        ("/api/v1/persons/a%00b/", Role.PROFESSIONAL, "path"),
    ],
)
def test_control_characters_in_api_addresses_are_a_400_naming_the_parameter(
    client, url, role, name
):
    headers = _bearer(role) if role else {}
    body = _problem(client.get(url, **headers), 400)
    assert _names(body) == [name]
    assert "U+0000" in body["invalid_params"][0]["reason"] or "U+0001" in str(body)
    assert name in body["detail"]


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/kennisbank/aanbevelingen/a%00b/", "code"),
        ("/wegwijzer/zorgcoordinatoren/?gemeente=%00", "gemeente"),
        ("/wegwijzer/zorgcoordinatoren/?gemeente=x&%00=1", "\\u0000"),
    ],
)
def test_control_characters_in_page_addresses_are_a_plain_dutch_400(client, url, name):
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "Deze vraag klopt niet" in page
    assert f"<strong>{name}</strong>" in page


def test_a_control_character_in_a_query_is_refused_but_a_tab_is_text(client):
    refused = client.get("/wegwijzer/zorgcoordinatoren/?gemeente=a%0Ab")
    assert refused.status_code == 400 and "<strong>gemeente</strong>" in refused.content.decode()
    # The page answers a tab itself (an unknown municipality), not the guard.
    response = client.get("/wegwijzer/zorgcoordinatoren/?gemeente=a%09b")
    assert "Kies een gemeente uit de lijst." in response.content.decode()


# -- control characters in bodies -------------------------------------------------------------


def test_nul_in_a_json_string_is_a_400_naming_the_field(client):
    headers = _bearer()
    for body, name in [
        ({"surname": "a\x00b", "given_names": "Sam"}, "surname"),
        ({"surname": "Jansen", "given_names": "Sam", "gender": "x\x00"}, "gender"),
        ({"surname": "Jansen", "address": {"city": "\x07"}}, "address.city"),
        ({"surname": "Jansen", "na\x00me": "x"}, "na\\u0000me"),
        ({"surname": "Jansen", "list": ["ok", "\ud800"]}, "list[1]"),
    ]:
        response = client.post(
            "/api/v1/persons/", json.dumps(body), content_type="application/json", **headers
        )
        assert _names(_problem(response, 400)) == [name]
    assert not Person.objects.exists()
    # Tabs and line breaks are text.
    response = client.post(
        "/api/v1/persons/",
        json.dumps({"surname": "Jansen", "given_names": "Sam\tPiet\r\n"}),
        content_type="application/json",
        **headers,
    )
    assert response.status_code != 500
    assert "given_names" not in str(response.json().get("invalid_params", ""))


def test_nul_in_a_form_field_is_a_400_naming_the_field(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        "/api/v1/persons/", {"surname": "Jansen", "gender": "a\x00"}, **_bearer()
    )
    assert _names(_problem(response, 400)) == ["gender"]
    membership = MembershipFactory()
    person = PersonFactory(owner_organisation=membership.organisation)
    _token, plaintext = api_token_issue(membership=membership)
    response = client.patch(  # DRF parses PATCH itself
        f"/api/v1/persons/{person.public_id}/",
        "surname=a%00b",
        content_type="application/x-www-form-urlencoded",
        HTTP_AUTHORIZATION=f"Bearer {plaintext}",
    )
    assert _names(_problem(response, 400)) == ["surname"]
    # A file's contents are not text: they may hold any byte.
    scan = SimpleUploadedFile("scan.pdf", b"%PDF-\x00\x01\x02", content_type="application/pdf")
    response = client.post("/api/v1/persons/", {"surname": "Jansen", "scan": scan}, **_bearer())
    assert response.status_code != 500
    assert "scan" not in str(response.json().get("invalid_params", ""))


def test_nul_in_a_web_form_field_is_a_400_page(client):
    response = client.post("/account/inloggen/", {"username": "a\x00b", "password": "x"})
    assert response.status_code == 400
    assert "<strong>username</strong>" in response.content.decode()


# -- deeply nested JSON ---------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/api/v1/persons/", "/api/v1/assessments/"])
@pytest.mark.parametrize("depth", [33, 5_000, 50_000])
def test_deeply_nested_json_is_a_400(client, url, depth):
    body = "[" * depth + "]" * depth
    response = client.post(url, body, content_type="application/json", **_bearer())
    problem = _problem(response, 400)
    assert str(depth) in problem["detail"] and "32" in problem["detail"]


def test_nesting_up_to_the_limit_is_read_and_brackets_in_strings_do_not_count(client):
    value = {"surname": "Jansen [{[{", "given_names": "Sam"}
    for _ in range(31):
        value = {"x": value}
    response = client.post(
        "/api/v1/persons/", json.dumps(value), content_type="application/json", **_bearer()
    )
    assert response.status_code == 400  # the fields are wrong, but the body was read
    assert "invalid_params" in response.json()
    value = {"x": value}
    response = client.post(
        "/api/v1/persons/", json.dumps(value), content_type="application/json", **_bearer()
    )
    assert "33" in _problem(response, 400)["detail"]


def test_the_json_depth_count_is_linear_for_broken_strings():
    import time

    from schakel.api.input_checks import json_depth

    started = time.monotonic()
    assert json_depth('"' + '\\"' * 500_000) == 0
    assert json_depth("[" * 10 + '"abc' + "[" * 10) == 10
    assert json_depth('[{"a": "]]]}}}", "b": [[1]]}]') == 4
    assert time.monotonic() - started < 2


def test_a_json_body_over_the_memory_limit_is_a_413(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"surname": "x" * 2000})
    response = client.post("/api/v1/persons/", body, content_type="application/json", **_bearer())
    _problem(response, 413)


# -- the CSV import: empty, too large -------------------------------------------------------


def test_an_empty_csv_import_is_a_400_naming_the_body(client):
    response = client.post(
        "/api/v1/registry/imports/", b"", content_type="text/csv", **_bearer(Role.REGISTRAR)
    )
    assert _names(_problem(response, 400)) == ["body"]


def test_an_import_without_content_length_is_read_as_empty(client):
    """Chunked, no Content-Length: Django reads nothing (so never past the limit)."""
    from io import BytesIO

    class Tripwire(BytesIO):
        def read(self, *args):
            raise AssertionError("the body was read")

    response = client.generic(
        "POST",
        "/api/v1/registry/imports/",
        b"",
        content_type="text/csv",
        CONTENT_LENGTH="",
        HTTP_TRANSFER_ENCODING="chunked",
        **{"wsgi.input": Tripwire()},
        **_bearer(Role.REGISTRAR),
    )
    assert _names(_problem(response, 400)) == ["body"]


@override_settings(SCHAKEL_UPLOAD_MAX_BYTES=2000)
def test_the_api_import_stops_reading_at_the_limit(client, monkeypatch):
    """Whatever the server passes on: the view stops spooling past the limit too."""
    from schakel.web.middleware import RequestGuardMiddleware

    monkeypatch.setattr(RequestGuardMiddleware, "_too_large", lambda self, request: None)
    body = csv_bytes([row() for _ in range(40)])
    response = client.post(
        "/api/v1/registry/imports/", body, content_type="text/csv", **_bearer(Role.REGISTRAR)
    )
    assert "groter dan 2,0\xa0KB" in _problem(response, 413)["detail"]
    assert not Melding.objects.exists()


@override_settings(SCHAKEL_UPLOAD_MAX_BYTES=2000)
def test_an_api_import_over_the_limit_is_refused_unread_with_413(client):
    body = csv_bytes([row() for _ in range(40)])
    assert len(body) > 2000

    response = client.post(
        "/api/v1/registry/imports/", body, content_type="text/csv", **_bearer(Role.REGISTRAR)
    )
    problem = _problem(response, 413)
    assert "groter dan 2,0\xa0KB" in problem["detail"]
    assert not Melding.objects.exists()


def test_the_body_is_not_read_when_the_length_is_over_the_limit(client, settings):
    """A 60 MB Content-Length is refused before one byte of the body is read."""
    from io import BytesIO

    class Tripwire(BytesIO):
        def read(self, *args):
            raise AssertionError("the body was read")

    headers = _bearer(Role.REGISTRAR)
    response = client.generic(
        "POST",
        "/api/v1/registry/imports/",
        b"",
        content_type="text/csv",
        CONTENT_LENGTH=str(60 * 1024 * 1024),
        **{"wsgi.input": Tripwire()},
        **headers,
    )
    _problem(response, 413)


@override_settings(SCHAKEL_UPLOAD_MAX_BYTES=2000)
def test_the_web_import_over_the_limit_is_a_413_page(client, actor_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    web, _membership = actor_client(role=Role.REGISTRAR)
    upload = SimpleUploadedFile("m.csv", csv_bytes([row() for _ in range(800)]), "text/csv")
    response = web.post("/registratie/importeren/", {"file": upload})
    assert response.status_code == 413
    page = response.content.decode()
    assert "groter dan 2,0\xa0KB" in page and 'href="/registratie/importeren/"' in page
    assert not Melding.objects.exists()


@override_settings(SCHAKEL_UPLOAD_MAX_BYTES=2000)
def test_the_web_import_form_names_the_same_limit(actor_client):
    web, _membership = actor_client(role=Role.REGISTRAR)
    page = web.get("/registratie/importeren/").content.decode()
    assert "Hoogstens 2,0\xa0KB" in page


# -- every /api/ error is problem+json ------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/persons/not-a-uuid/",
        "/api/v1/cases/123/members/abc/",
        "/api/v1/directory/offers/with space/",
        "/api/v1/does-not-exist/",
        "/api/v2/",
    ],
)
def test_addresses_that_match_nothing_are_a_problem_404(client, url):
    body = _problem(client.get(url, **_bearer()), 404)
    assert body["title"] == "Niet gevonden."
    page = client.get("/personen/not-a-uuid/")  # outside /api/: the HTML page
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


def test_too_many_fields_is_a_problem_400(client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    body = "&".join(f"f{i}=x" for i in range(20))
    response = client.post(
        "/api/v1/persons/", body, content_type="application/x-www-form-urlencoded", **_bearer()
    )
    _problem(response, 400)
    query = "&".join(f"f{i}=x" for i in range(20))
    _problem(client.get(f"/api/v1/persons/?{query}", **_bearer()), 400)


def test_too_large_form_is_a_problem_413(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    response = client.post(
        "/api/v1/persons/",
        "surname=" + "x" * 500,
        content_type="application/x-www-form-urlencoded",
        **_bearer(),
    )
    _problem(response, 413)


@pytest.mark.parametrize(
    ("call", "status", "title"),
    [
        (
            lambda c, h: c.post("/api/v1/persons/", "<x/>", content_type="application/xml", **h),
            415,
            "Dit soort inhoud wordt niet ondersteund.",
        ),
        (lambda c, h: c.delete("/api/v1/me/", **h), 405, "Deze methode kan hier niet."),
        (
            lambda c, h: c.get("/api/v1/me/", HTTP_ACCEPT="text/html", **h),
            406,
            "Dit antwoordformaat is er niet.",
        ),
        (lambda c, h: c.get("/api/v1/me/"), 401, "Aanmelden is nodig."),
        (
            lambda c, h: c.get("/api/v1/me/", HTTP_AUTHORIZATION="Bearer sk_x.y"),
            401,
            "Aanmelden is mislukt.",
        ),
        (
            lambda c, h: c.post("/api/v1/persons/", "{", content_type="application/json", **h),
            400,
            "Het verzoek is niet te lezen.",
        ),
    ],
)
def test_drf_errors_have_a_readable_dutch_title(client, call, status, title):
    body = _problem(call(client, _bearer()), status)
    assert body["title"] == title
    assert "{" not in body["detail"]


def test_a_server_error_under_api_is_a_problem(client, monkeypatch):
    from django.urls import resolve

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(resolve("/api/v1/me/").func.cls, "get", broken)
    body = _problem(client.get("/api/v1/me/", **_bearer()), 500)
    assert "boom" not in json.dumps(body)
