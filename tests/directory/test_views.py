"""The web pages: public search and offer pages, easy-read pages, suggestions with the spam
guard, capacity updates, review, editing and export."""

import time

import pytest

from schakel.directory import spam
from schakel.directory.models import Offer, Suggestion
from tests.accounts.factories import MembershipFactory

from .factories import FunctionalAdminFactory, OrgAdminFactory

pytestmark = pytest.mark.django_db


def test_public_pages_need_no_login(wegwijzer, client):
    for url in (
        "/wegwijzer/",
        "/wegwijzer/aanbod/asja/",
        "/wegwijzer/organisaties/",
        "/wegwijzer/organisaties/koraal/",
        "/wegwijzer/zorgcoordinatoren/?gemeente=GM0080",
        "/wegwijzer/waar-kan-ik-terecht/",
        "/wegwijzer/waar-kan-ik-terecht/jongeren/",
        "/wegwijzer/waar-kan-ik-terecht/ouders/",
        "/wegwijzer/suggestie/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"style=" not in response.content, url  # CSP forbids inline styles


def test_search_form_errors_name_the_field(wegwijzer, client):
    response = client.get("/wegwijzer/", {"gemeente": "GM9999", "age": "200"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Controleer wat u hebt ingevuld" in html
    assert 'href="#id_age"' in html and 'href="#id_gemeente"' in html


def test_search_shows_escalation_when_nothing_fits(wegwijzer, client):
    html = client.get(
        "/wegwijzer/",
        {
            "gemeente": "GM0074",
            "age": 16,
            "gender": "man",
            "forms": "criminele_uitbuiting",
            "need": "treatment",
        },
    ).content.decode()
    assert "Niets past helemaal. Zo komt u verder:" in html
    assert "Voor Heerenveen staat nog geen zorgcoördinator mensenhandel in de wegwijzer" in html
    assert "033-4481186" in html
    assert "vorm: richt zich op geweld in afhankelijkheidsrelaties" in html


def test_coordinators_page(wegwijzer, client):
    html = client.get("/wegwijzer/zorgcoordinatoren/?gemeente=GM0080").content.decode()
    assert "Voor Leeuwarden staat nog geen zorgcoördinator in de wegwijzer" in html
    assert "033-4481186" in html
    assert client.get("/wegwijzer/zorgcoordinatoren/?gemeente=XX").status_code == 400


def test_easy_read_pages_use_numbers_from_the_data(wegwijzer, client):
    young = client.get("/wegwijzer/waar-kan-ik-terecht/jongeren/").content.decode()
    for number in ("0800-0188", "0900-8844", "033-4481186", "112"):
        assert number in young
    parents = client.get("/wegwijzer/waar-kan-ik-terecht/ouders/").content.decode()
    assert "046 – 477 52 52" in parents and "info@koraal.nl" in parents


def _suggestion_data(**overrides):
    data = {
        "kind": "new",
        "subject": "Opvang Zuid",
        "message": "Er is een nieuwe opvang voor meiden in Zuid.",
        "email": "melder@example.org",
        "website": "",
        "started": spam.issue(at=time.time() - 60),
    }
    data.update(overrides)
    return data


def test_public_suggestion_with_spam_guard(wegwijzer, client):
    form_page = client.get("/wegwijzer/suggestie/").content.decode()
    assert 'name="started"' in form_page and 'class="dir-hp"' in form_page
    response = client.post("/wegwijzer/suggestie/", _suggestion_data())
    assert response.status_code == 302
    suggestion = Suggestion.objects.get()
    assert suggestion.email == "melder@example.org" and suggestion.suggested_by is None

    # the honeypot filled, too fast, tampered or missing stamp: refused, nothing stored
    for bad in (
        {"website": "http://spam.example"},
        {"started": spam.issue()},
        {"started": spam.issue(at=time.time() - 60) + "x"},
        {"started": ""},
    ):
        response = client.post("/wegwijzer/suggestie/", _suggestion_data(**bad))
        assert response.status_code == 400
        assert "Uw voorstel is niet verstuurd" in response.content.decode()
    assert Suggestion.objects.count() == 1


def test_spam_guard_limits():
    now = 1_000_000.0
    assert not spam.passes(stamp=spam.issue(at=now), honeypot="", now=now + 1)
    assert spam.passes(stamp=spam.issue(at=now), honeypot="", now=now + 5)
    assert not spam.passes(stamp=spam.issue(at=now), honeypot="", now=now + 3 * 3600)


def test_signed_in_professional_suggests_a_correction_without_spam_guard(wegwijzer, actor_client):
    client, membership = actor_client()
    page = client.get("/wegwijzer/suggestie/?aanbod=asja").content.decode()
    assert 'name="website"' not in page and 'value="asja" selected' in page
    response = client.post(
        "/wegwijzer/suggestie/",
        {
            "kind": "correction",
            "offer": "asja",
            "subject": "Asja",
            "message": "Leeftijd klopt niet.",
        },
    )
    assert response.status_code == 302
    assert Suggestion.objects.get().suggested_by == membership


def test_review_page_erases_email_and_leads_to_the_edit_form(wegwijzer, actor_client, client):
    client.post("/wegwijzer/suggestie/", _suggestion_data(kind="correction", offer="asja"))
    suggestion = Suggestion.objects.get()
    admin_client, _admin = actor_client(FunctionalAdminFactory())
    listing = admin_client.get("/wegwijzer/beheer/suggesties/").content.decode()
    assert "Opvang Zuid" in listing
    response = admin_client.post(
        f"/wegwijzer/beheer/suggesties/{suggestion.pk}/", {"decision": "accepted", "note": "Ja"}
    )
    assert (
        response.status_code == 302 and response["Location"] == "/wegwijzer/aanbod/asja/wijzigen/"
    )
    assert Suggestion.objects.get().email == ""


def test_review_is_for_functional_admins(wegwijzer, actor_client):
    client, _m = actor_client()
    assert client.get("/wegwijzer/beheer/suggesties/").status_code == 404


def test_capacity_update_page(wegwijzer, actor_client):
    org_admin = OrgAdminFactory()
    fier = wegwijzer and Offer.objects.get(key="asja").provider
    fier.organisation = org_admin.organisation
    fier.save()
    client, _m = actor_client(org_admin)
    overview = client.get("/wegwijzer/beheer/").content.decode()
    assert "Asja" in overview
    response = client.post(
        "/wegwijzer/aanbod/asja/capaciteit/",
        {"places": "12", "free_places": "0", "waiting_weeks": "6", "version": "1"},
    )
    assert response.status_code == 302
    detail = client.get("/wegwijzer/aanbod/asja/").content.decode()
    assert "door " + org_admin.organisation.name in detail
    # stale form: conflict, nothing saved
    response = client.post(
        "/wegwijzer/aanbod/asja/capaciteit/",
        {"places": "12", "free_places": "3", "waiting_weeks": "0", "version": "1"},
    )
    assert response.status_code == 400
    assert "Iemand anders heeft dit aanbod gewijzigd" in response.content.decode()
    assert Offer.objects.get(key="asja").free_places == 0
    # not your organisation's offer
    assert client.get("/wegwijzer/aanbod/yip/capaciteit/").status_code == 403
    history = client.get("/wegwijzer/aanbod/asja/geschiedenis/").content.decode()
    assert "capaciteit bijgewerkt" in history


def test_capacity_page_needs_login_and_permission(wegwijzer, client, actor_client):
    assert client.get("/wegwijzer/aanbod/asja/capaciteit/").status_code == 302
    professional, _m = actor_client(MembershipFactory())
    assert professional.get("/wegwijzer/aanbod/asja/capaciteit/").status_code == 403
    assert professional.get("/wegwijzer/beheer/").status_code == 404


def test_functional_admin_edits_creates_and_exports(wegwijzer, actor_client):
    client, _admin = actor_client(FunctionalAdminFactory())
    form = client.get("/wegwijzer/aanbod/asja/wijzigen/")
    assert form.status_code == 200
    data = {
        "provider": "fier",
        "name": "Asja",
        "services": ["shelter", "treatment"],
        "forms": ["seksuele_uitbuiting"],
        "age_min": "12",
        "age_max": "24",
        "genders": ["vrouw"],
        "lvb": "accepted",
        "ggz": "",
        "addiction": "",
        "perpetrators": "",
        "with_children": "",
        "scope": "regional",
        "municipalities": "GM0080, GM0599",
        "phone": "088-208 00 00",
        "is_active": "on",
        "version": "1",
    }
    response = client.post("/wegwijzer/aanbod/asja/wijzigen/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Offer.objects.get(key="asja").age_max == 24
    bad = client.post(
        "/wegwijzer/aanbod/asja/wijzigen/", {**data, "municipalities": "GM9999", "version": "2"}
    )
    assert bad.status_code == 400 and "GM9999" in bad.content.decode()

    new = client.post(
        "/wegwijzer/beheer/nieuw-aanbod/",
        {**data, "key": "opvang_test", "name": "Opvang test", "version": ""},
    )
    assert new.status_code == 302 and Offer.objects.filter(key="opvang_test").exists()
    provider = client.post(
        "/wegwijzer/beheer/nieuwe-aanbieder/",
        {"key": "zorg_test", "name": "Zorg test", "is_active": "on"},
    )
    assert provider.status_code == 302

    export = client.get("/wegwijzer/beheer/export.csv")
    assert export["Content-Type"].startswith("text/csv")
    assert b"opvang_test" in export.content
    assert client.get("/wegwijzer/beheer/export.yaml").status_code == 200
    assert client.get("/wegwijzer/beheer/export.json").status_code == 404


def test_editing_is_for_functional_admins(wegwijzer, actor_client):
    client, _m = actor_client(OrgAdminFactory())
    assert client.get("/wegwijzer/aanbod/asja/wijzigen/").status_code == 404
    assert client.get("/wegwijzer/beheer/export.csv").status_code == 404
