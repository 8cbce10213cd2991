"""Web pages of the knowledge base: search, detail, editing with history, and the page rules
(CSP-safe markup, headings in order, 404 for what one may not see)."""

import re

import pytest

from schakel.knowledge import services
from schakel.knowledge.models import ItemRevision, KnowledgeItem

pytestmark = pytest.mark.django_db


def assert_csp_safe(html: str):
    assert " style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    assert re.search(r"\son[a-z]+=", html) is None, "inline event handler"


def assert_headings_in_order(html: str):
    levels = [int(n) for n in re.findall(r"<h([1-6])[\s>]", html)]
    assert levels and levels[0] == 1 and levels.count(1) == 1
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, f"heading h{after} follows h{before}"


PUBLIC_PAGES = [
    "/kennisbank/",
    "/kennisbank/?q=uitbuiting&audience=schools&kind=report&form=criminal&lvb=attention",
    "/kennisbank/?q=qqqxxx",
    "/kennisbank/?pagina=2",
    "/kennisbank/item/11vb/",
    "/kennisbank/item/factsheet_uitbuiting_lvb/",
    "/kennisbank/aanbevelingen/",
    "/kennisbank/aanbevelingen/?kind=all",
    "/kennisbank/aanbevelingen/3.2.22a/",
    "/kennisbank/aanbevelingen/overzicht/",
]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_render_safely(client, loaded, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert_csp_safe(html)
    assert_headings_in_order(html)


MANAGER_PAGES = [
    "/kennisbank/nieuw/",
    "/kennisbank/item/11vb/wijzigen/",
    "/kennisbank/item/11vb/geschiedenis/",
    "/kennisbank/gebruik/",
    "/kennisbank/ronde-tafels/",
    "/kennisbank/ronde-tafels/themas/",
    "/kennisbank/ronde-tafels/themas/1/",
]


@pytest.mark.parametrize("url", MANAGER_PAGES)
def test_manager_pages_render_safely_and_are_hidden_from_others(
    actor_client, loaded, functional_admin, professional, url
):
    client, _ = actor_client(functional_admin)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert_csp_safe(html)
    assert_headings_in_order(html)
    other, _ = actor_client(professional)
    assert other.get(url).status_code == 404


def test_search_page_shows_results_filters_and_corrections(client, loaded):
    html = client.get("/kennisbank/?q=uitbiting&audience=schools").content.decode()
    assert "Gezocht naar: uitbuiting" in html
    assert "Filters: Onderwijs en scholen" in html
    assert 'role="search"' in html
    html = client.get("/kennisbank/?q=qqqxxx").content.decode()
    assert "Geen resultaten voor: qqqxxx" in html
    html = client.get("/kennisbank/?audience=nonsense").content.decode()
    assert "Alle 61 items" in html  # an invalid filter is ignored, not an error


def test_search_page_paginates_with_the_filters_kept(client, loaded):
    html = client.get("/kennisbank/?q=uitbuiting").content.decode()
    assert "?q=uitbuiting&amp;pagina=2" in html
    second = client.get("/kennisbank/?q=uitbuiting&pagina=2").content.decode()
    assert 'start="21"' in second


def test_detail_page(client, loaded):
    html = client.get("/kennisbank/item/factsheet_uitbuiting_lvb/").content.decode()
    assert "/kennisbank/item/factsheet_uitbuiting_lvb/link/1/" in html
    assert "https://youtu.be/yhHSTPgPsWI" in html
    assert "Verwante items" in html
    assert "Item wijzigen" not in html


def test_create_item_through_the_form(actor_client, functional_admin):
    client, _ = actor_client(functional_admin)
    response = client.post("/kennisbank/nieuw/", {"title": "", "kind": "guide"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Controleer wat u hebt ingevuld" in html
    assert 'aria-invalid="true"' in html
    response = client.post(
        "/kennisbank/nieuw/",
        {
            "title": "Signalenlijst jongerenwerk",
            "kind": "instrument",
            "description": "Een lijst met signalen voor jongerenwerkers.",
            "audiences": ["youth_work", "young_people"],
            "exploitation_forms": ["criminal"],
            "lvb_suitability": "general",
            "language_level": "easy",
            "links": "https://example.org/lijst | De lijst\nhttps://example.org/uitleg",
            "is_published": "on",
        },
    )
    assert response.status_code == 302
    item = KnowledgeItem.objects.get()
    assert response["Location"] == f"/kennisbank/item/{item.slug}/"
    assert item.links == [
        {"url": "https://example.org/lijst", "label": "De lijst"},
        {"url": "https://example.org/uitleg", "label": "https://example.org/uitleg"},
    ]
    assert [r.form for r in item.form_rows.all()] == ["criminal"]


def test_bad_link_is_reported_on_the_links_field(actor_client, functional_admin):
    client, _ = actor_client(functional_admin)
    response = client.post(
        "/kennisbank/nieuw/",
        {
            "title": "X",
            "kind": "guide",
            "description": "Een beschrijving die lang genoeg is.",
            "audiences": ["schools"],
            "lvb_suitability": "general",
            "language_level": "unknown",
            "links": "javascript:alert(1)",
        },
    )
    assert response.status_code == 400
    assert 'id="id_links_error"' in response.content.decode()


def edit_data(item, **changes):
    return {
        "title": item.title,
        "kind": item.kind,
        "publisher": item.publisher,
        "year": item.year or "",
        "keywords": item.keywords,
        "links": "\n".join(link["url"] for link in item.links),
        "description": item.description,
        "audiences": [r.audience for r in item.audience_rows.all()],
        "exploitation_forms": [r.form for r in item.form_rows.all()],
        "lvb_suitability": item.lvb_suitability,
        "language_level": item.language_level,
        "is_published": "on",
        "version": item.version,
        **changes,
    }


def test_edit_withdraw_and_history(actor_client, loaded, functional_admin, client):
    admin, _ = actor_client(functional_admin)
    item = KnowledgeItem.objects.get(slug="scil")
    form = admin.get("/kennisbank/item/scil/wijzigen/").content.decode()
    assert 'name="version" value="1"' in form
    data = edit_data(item, note="Teruggetrokken: verouderd")
    del data["is_published"]
    response = admin.post("/kennisbank/item/scil/wijzigen/", data)
    assert response.status_code == 302
    revision = item.revisions.order_by("-version").first()
    assert revision.action == ItemRevision.Action.WITHDRAWN
    assert revision.note == "Teruggetrokken: verouderd"
    history = admin.get("/kennisbank/item/scil/geschiedenis/").content.decode()
    assert "teruggetrokken" in history and "Bronbestand (items.yaml)" in history
    assert "Versie 2 bekijken" in history


def test_stale_edit_shows_a_conflict(actor_client, loaded, functional_admin):
    admin, _ = actor_client(functional_admin)
    item = KnowledgeItem.objects.get(slug="scil")
    services.item_update(actor=functional_admin, item=item, expected_version=1, year=2019)
    response = admin.post(
        "/kennisbank/item/scil/wijzigen/", edit_data(item, version=1, publisher="Iemand")
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Dit is nu opgeslagen" in html
    assert 'name="version" value="2"' in html
    assert KnowledgeItem.objects.get(slug="scil").publisher == ""


def test_withdrawn_item_is_visible_to_managers_only(actor_client, client, loaded, functional_admin):
    item = KnowledgeItem.objects.get(slug="scil")
    services.item_update(actor=functional_admin, item=item, expected_version=1, is_published=False)
    assert client.get("/kennisbank/item/scil/").status_code == 404
    admin, _ = actor_client(functional_admin)
    html = admin.get("/kennisbank/item/scil/").content.decode()
    assert "Dit item is teruggetrokken" in html


def test_anonymous_managers_pages_ask_to_log_in(client, loaded):
    for url in ("/kennisbank/nieuw/", "/kennisbank/gebruik/", "/kennisbank/ronde-tafels/"):
        response = client.get(url)
        assert response.status_code == 302 and "/account/inloggen/" in response["Location"]


def test_subnav_shows_what_the_actor_may_use(actor_client, client, loaded, analyst):
    public = client.get("/kennisbank/").content.decode()
    assert "/kennisbank/aanbevelingen/" in public and "/kennisbank/gebruik/" not in public
    logged_in, _ = actor_client(analyst)
    html = logged_in.get("/kennisbank/").content.decode()
    assert "/kennisbank/gebruik/" in html and "/kennisbank/nieuw/" not in html
