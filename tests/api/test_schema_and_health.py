import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_openapi_schema_as_json(client):
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/me/" in schema["paths"]
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_interactive_docs_are_served_without_internet(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "/static/drf_spectacular_sidecar/" in body
    assert "https://" not in body.replace("https://schakel.example", "")


def test_health_reports_database(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_reports_database_failure(client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("down")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_unknown_api_route_is_not_html_internals(client):
    response = client.get("/api/v1/does-not-exist/")
    assert response.status_code == 404
    assert b"Traceback" not in response.content


def test_schema_is_valid_and_has_no_warnings(tmp_path):
    """Every endpoint of every app is described without guesses or name clashes."""
    from django.core.management import call_command

    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml")
    )
