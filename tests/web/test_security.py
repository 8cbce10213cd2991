"""Security headers, CSP without inline script, no-store, error pages without internals."""

import logging
from html import escape

import pytest
from django.test import override_settings
from django.urls import path

from schakel.web.logging import ScrubPersonalDataFilter, scrub

pytestmark = pytest.mark.django_db


def test_security_headers_on_pages(client):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Cache-Control"] == "no-store, private"
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp


def test_script_nonce_is_in_csp_when_a_page_uses_script(actor_client):
    client, _ = actor_client()
    response = client.get("/")
    nonce = response.wsgi_request.csp_nonce
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    assert f'nonce="{nonce}"' in response.content.decode()


def test_no_inline_scripts_or_styles_in_pages(actor_client):
    client, _ = actor_client()
    for url in ["/", "/account/", "/privacy/", "/toegankelijkheid/"]:
        html = client.get(url).content.decode()
        assert "style=" not in html
        for chunk in html.split("<script")[1:]:
            head = chunk.split(">", 1)[0]
            assert "src=" in head and "nonce=" in head


def test_forms_carry_csrf_tokens(actor_client):
    client, _ = actor_client()
    html = client.get("/account/").content.decode()
    assert html.count("<form") == html.count('name="csrfmiddlewaretoken"')


def test_csrf_is_enforced(db):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/account/inloggen/", {"username": "a@b.nl", "password": "x"})
    assert response.status_code == 403
    assert b"Geen toegang" in response.content


def _boom(request):
    raise RuntimeError("secret internals 123456782 jan@example.org")


urlpatterns = [path("boom/", _boom)]


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_server_error_page_shows_no_internals(client):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Er ging iets mis" in body
    assert "secret internals" not in body and "Traceback" not in body


def test_404_page_is_friendly(client):
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()


@pytest.mark.parametrize(
    ("raw", "leaked"),
    [
        ("login failed for jan.jansen@example.org", "jan.jansen@example.org"),
        ("person bsn 111222333 not found", "111222333"),
        ("dob 14-03-2009 given", "14-03-2009"),
        ("created surname=de Vries, ok", "de Vries"),
        ("{'given_names': 'Noa', 'x': 1}", "Noa"),
    ],
)
def test_logs_are_scrubbed(raw, leaked):
    assert leaked not in scrub(raw)


def test_log_filter_scrubs_arguments_and_exceptions():
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "user %s", ("a@b.nl",), None)
    try:
        raise ValueError("bsn 111222333")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    ScrubPersonalDataFilter().filter(record)
    assert "a@b.nl" not in record.getMessage()
    assert "111222333" not in record.exc_text


def test_privacy_statement_is_generated_from_the_register(client, settings):
    from schakel.privacy.register import processing_register

    html = client.get("/privacy/").content.decode()
    for activity in processing_register().activities.values():
        assert escape(activity.name["nl"]) in html
    assert "AVG art. 6(1)(e)" in html


def test_accessibility_statement(client):
    assert "WCAG 2.2" in client.get("/toegankelijkheid/").content.decode()
