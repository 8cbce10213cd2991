"""Kennisbank and aanbevelingenmonitor in Chromium: searching with only a keyboard, editing an
item, reporting progress on a recommendation, the usage page and round-table input, with an axe
check on every page of the app (and on its error states)."""

import re

import pytest
from playwright.sync_api import expect

from schakel.accounts.models import Organisation, Role
from schakel.knowledge import services
from schakel.knowledge.models import KnowledgeItem, StatusUpdate
from tests.accounts.factories import MembershipFactory, TOTPDeviceFactory
from tests.browser.helpers import (
    assert_accessible,
    assert_clean_console,
    assert_id_references_resolve,
    tab_until,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def kennisbank(live_server):
    services.knowledge_load()


def checked(page) -> None:
    assert_accessible(page)
    assert_id_references_resolve(page)
    assert_clean_console(page)


def _sign_in(sign_in, role, **membership_kwargs):
    membership = MembershipFactory(role=role, **membership_kwargs)
    sign_in(membership.user, device=TOTPDeviceFactory(user=membership.user), membership=membership)
    return membership


def test_search_with_only_the_keyboard(page, kennisbank):
    page.goto("/kennisbank/")
    checked(page)
    tab_until(page, lambda info: info["id"] == "id_q")
    page.keyboard.type("uitbiting")
    tab_until(page, lambda info: info["id"] == "id_audience")
    page.keyboard.press("End")  # the last audience: young people
    tab_until(page, lambda info: info["tag"] == "button" and info["text"] == "Zoeken")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"q=uitbiting&audience=young_people"))
    expect(
        page.get_by_text("Niets gevonden voor 'uitbiting'. Gezocht naar: uitbuiting.")
    ).to_be_visible()
    expect(page.get_by_role("heading", level=2, name=re.compile(r"resultaten?$"))).to_be_visible()
    checked(page)
    first = page.locator(".result h3 a").first
    title = first.inner_text()
    tab_until(page, lambda info: info["tag"] == "a" and info["text"] == title)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    checked(page)


def test_filters_detail_and_related_items(page, kennisbank):
    page.goto("/kennisbank/")
    page.get_by_label("Soort").select_option(label="Factsheet")
    page.get_by_label("Geschikt bij LVB").select_option(
        label="Speciaal voor (werken met) mensen met een LVB"
    )
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_role("heading", name="2 resultaten")).to_be_visible()
    page.get_by_role("link", name="Factsheet Uitbuiting en LVB").click()
    expect(page.get_by_role("heading", level=1, name="Factsheet Uitbuiting en LVB")).to_be_visible()
    expect(page.get_by_role("link", name="Het verhaal van Sara (video)")).to_have_attribute(
        "href", "/kennisbank/item/factsheet_uitbuiting_lvb/link/1/"
    )
    expect(page.get_by_role("heading", name="Verwante items")).to_be_visible()
    checked(page)
    page.goto("/kennisbank/?q=qqqxxx")
    expect(page.get_by_text("Geen resultaten voor: qqqxxx.", exact=False)).to_be_visible()
    checked(page)


def test_public_recommendations_pages(page, kennisbank):
    page.goto("/kennisbank/aanbevelingen/")
    checked(page)
    page.get_by_label("Thema").select_option(label="7. Arbeidsuitbuiting")
    page.get_by_label("Toon").select_option(label="Allebei")
    page.get_by_role("button", name="Tonen").click()
    expect(page.get_by_role("link", name="2.7-K1")).to_be_visible()
    expect(page.get_by_role("link", name="2.2-A1")).to_have_count(0)
    checked(page)
    page.get_by_role("link", name="2.7-A1").click()
    expect(page.get_by_role("heading", level=1, name="Aanbeveling 2.7-A1")).to_be_visible()
    expect(page.get_by_role("heading", name="Voortgang melden")).to_have_count(0)
    checked(page)
    page.goto("/kennisbank/aanbevelingen/overzicht/")
    expect(page.get_by_role("heading", name="Per geadresseerde")).to_be_visible()
    checked(page)


def test_functional_admin_adds_and_edits_an_item(page, sign_in, kennisbank):
    _sign_in(sign_in, Role.FUNCTIONAL_ADMIN)
    page.goto("/kennisbank/nieuw/")
    checked(page)
    page.get_by_role("button", name="Item toevoegen").click()
    expect(page.get_by_role("alert")).to_be_visible()
    checked(page)
    page.get_by_label("Titel").fill("Signalenkaart voor het jongerenwerk")
    page.get_by_label("Soort:", exact=True).select_option(label="Instrument")
    page.get_by_label("Korte beschrijving").fill(
        "Een kaart met signalen van criminele uitbuiting voor jongerenwerkers."
    )
    page.get_by_role("group", name="Doelgroepen").get_by_label("Jongerenwerk").check()
    page.get_by_role("group", name="Vormen van uitbuiting").get_by_label(
        "Criminele uitbuiting"
    ).check()
    page.get_by_role("group", name="Geschikt bij LVB").get_by_label(
        "Besteedt aandacht aan LVB"
    ).check()
    page.get_by_label("Links").fill("https://example.org/kaart | De signalenkaart")
    page.get_by_role("button", name="Item toevoegen").click()
    expect(
        page.get_by_role("heading", level=1, name="Signalenkaart voor het jongerenwerk")
    ).to_be_visible()
    checked(page)
    page.get_by_role("link", name="Item wijzigen").click()
    checked(page)
    page.get_by_label("Jaar").fill("2025")
    page.get_by_label("Wat is er veranderd?").fill("Jaar aangevuld")
    page.get_by_role("button", name="Wijzigingen opslaan").click()
    expect(page.get_by_role("status")).to_have_text("De wijzigingen zijn opgeslagen.")
    page.get_by_role("link", name="Geschiedenis").click()
    expect(page.get_by_text("Jaar aangevuld")).to_be_visible()
    page.get_by_text("Versie 2 bekijken").click()
    checked(page)
    item = KnowledgeItem.objects.get(title="Signalenkaart voor het jongerenwerk")
    assert (item.year, item.version) == (2025, 2)


def test_functional_admin_reports_progress(page, sign_in, kennisbank):
    _sign_in(sign_in, Role.FUNCTIONAL_ADMIN)
    page.goto("/kennisbank/aanbevelingen/2.2-A1/")
    checked(page)
    page.get_by_role("group", name="Nieuwe status").get_by_label("Uitgevoerd").check()
    page.get_by_label("Datum").fill("2025-03-01")
    page.get_by_label("Gemeld door").fill("Ministerie van OCW")
    page.get_by_role("button", name="Melding opslaan").click()
    expect(page.get_by_role("alert")).to_be_visible()
    checked(page)
    page.get_by_label("Onderbouwing").fill("De kennisbank is landelijk in gebruik.")
    page.get_by_role("button", name="Melding opslaan").click()
    expect(page.get_by_role("status")).to_have_text("De status is bijgewerkt.")
    history = page.get_by_role("table")
    expect(history.get_by_text("Ministerie van OCW")).to_be_visible()
    page.get_by_role("link", name="De laatste melding verbeteren").click()
    page.get_by_role("group", name="Nieuwe status").get_by_label("In uitvoering").check()
    page.get_by_role("group", name="Verbetert de laatste melding").get_by_label(
        re.compile("Ja, de melding van 01-03-2025")
    ).check()
    page.get_by_label("Onderbouwing").fill("Nog niet overal: gestart in drie regio's.")
    page.get_by_role("button", name="Melding opslaan").click()
    expect(page.get_by_role("status")).to_have_text("De status is bijgewerkt.")
    expect(page.get_by_text("verbeterd", exact=True)).to_be_visible()
    checked(page)
    assert StatusUpdate.objects.count() == 2


def test_usage_page(page, sign_in, kennisbank):
    item = KnowledgeItem.objects.get(slug="11vb")
    teacher = MembershipFactory(organisation__domain=Organisation.Domain.ONDERWIJS)
    services.usage_record(actor=teacher, item=item, event="view")
    services.usage_record(actor=None, item=item, event="download")
    _sign_in(sign_in, Role.ANALYST)
    page.goto("/kennisbank/gebruik/")
    expect(page.get_by_role("table").first.get_by_role("link", name=item.title)).to_be_visible()
    checked(page)
    page.get_by_label("Per:", exact=True).select_option(label="dag")
    page.get_by_role("button", name="Tonen").click()
    expect(page).to_have_url(re.compile("grouping=day"))
    checked(page)


def test_round_table_input_and_theme_report(page, sign_in, kennisbank):
    _sign_in(sign_in, Role.FUNCTIONAL_ADMIN)
    page.goto("/kennisbank/ronde-tafels/")
    checked(page)
    page.get_by_label("Naam van de sessie").fill("Ronde tafel opsporing")
    page.get_by_label("Datum").fill("2026-05-12")
    page.get_by_role("button", name="Sessie aanmaken").click()
    expect(page.get_by_role("heading", level=1, name="Ronde tafel opsporing")).to_be_visible()
    checked(page)
    page.get_by_label("Uitspraak:", exact=True).fill("Mevr. Jansen zegt: de aangifte is te lang.")
    page.get_by_role("group", name="Soort uitspraak").get_by_label("Knelpunt").check()
    page.get_by_label("Soort organisatie van de spreker").select_option(
        label="Politie of opsporing"
    )
    page.get_by_role("button", name="Uitspraak toevoegen").click()
    expect(page.get_by_role("alert")).to_be_visible()
    checked(page)
    page.get_by_label("Uitspraak:", exact=True).fill(
        "De aangifte duurt te lang voor iemand met een LVB."
    )
    page.get_by_role("group", name="Thema's").get_by_label(
        "4. Het opsporings- en aangifteproces"
    ).check()
    page.get_by_label("Ondersteunt deze knelpunten of aanbevelingen").fill("2.4-K2, 3.3.12")
    page.get_by_role("button", name="Uitspraak toevoegen").click()
    expect(page.get_by_role("status")).to_have_text("De uitspraak is toegevoegd.")
    page.get_by_role("link", name="Uitspraak 1 wijzigen").click()
    checked(page)
    page.goto("/kennisbank/ronde-tafels/themas/")
    checked(page)
    page.get_by_role("link", name="4. Het opsporings- en aangifteproces").click()
    section = page.get_by_role("region", name="3.3.12")
    expect(
        section.get_by_text("De aangifte duurt te lang voor iemand met een LVB.")
    ).to_be_visible()
    checked(page)


@pytest.mark.parametrize(
    "path", ["/kennisbank/", "/kennisbank/aanbevelingen/", "/kennisbank/aanbevelingen/overzicht/"]
)
def test_pages_reflow_at_320_css_pixels(page, kennisbank, path):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(path)
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"{path} scrolls sideways at 320 CSS pixels ({overflow}px)"
