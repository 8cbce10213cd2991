"""The registry in Chromium: a melding registered through the form (also without JavaScript),
a known person with consent, an import with errors; axe on every page."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from schakel.accounts.models import Role
from tests.accounts.factories import MembershipFactory, TOTPDeviceFactory
from tests.browser.helpers import (
    assert_accessible,
    assert_clean_console,
    assert_id_references_resolve,
)
from tests.people.factories import PersonFactory
from tests.registry.factories import consent_row, csv_bytes, row, store

pytestmark = pytest.mark.browser


def checked(page) -> None:
    assert_accessible(page)
    assert_id_references_resolve(page)
    assert_clean_console(page)


def sign_in_as(sign_in, role):
    membership = MembershipFactory(role=role)
    sign_in(membership.user, device=TOTPDeviceFactory(user=membership.user), membership=membership)
    return membership


def some_meldingen():
    """Meldingen over three years, some by the KMar, for the list and the monitor."""
    rows = []
    for year in (2022, 2023, 2024):
        for i in range(14):
            rows.append(
                row(persoon_sleutel=f"persoon-{year}-{i:03d}", melddatum=f"{year}-03-0{1 + i % 9}",
                    melder="politie" if i % 3 else "kmar",
                    politie_eenheid="amsterdam" if i % 3 else "",
                    geslacht="vrouw" if i % 2 else "man", leeftijd=str(15 + i * 2),
                    nationaliteit=["NL", "PL", "NG", ""][i % 4])
            )  # fmt: skip
    extra = consent_row(
        persoon_sleutel="persoon-zorg-001",
        melddatum="2024-06-06",
        uitbuitingsvormen="criminele_uitbuiting",
        sector="drugsdelicten",
    )
    rows.append(extra)
    return store(*rows)


def test_register_a_melding(page, sign_in):
    sign_in_as(sign_in, Role.REGISTRAR)
    page.goto("/registratie/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Registratie van slachtoffers")
    checked(page)
    page.get_by_role("link", name="Nieuwe melding").click()
    expect(page).to_have_url(re.compile(r"/registratie/nieuw/$"))
    checked(page)
    # Submit empty: the error summary names the problems and links to the fields.
    page.get_by_role("button", name="Melding registreren").click()
    expect(page.locator(".error-summary")).to_be_visible()
    checked(page)
    page.get_by_label("BSN").fill("111222333")
    page.get_by_label(re.compile(r"^Datum van de melding")).fill("2024-03-14")
    page.get_by_label("Wie meldt?").select_option("zorgcoordinator")
    page.get_by_label("Organisatie van de melder").fill("Zorgcoördinatie Rotterdam")
    page.get_by_label("Gemeld op domicilie").check()
    page.get_by_label("Arbeidsuitbuiting").check()
    page.get_by_label("Sector").select_option("horeca")
    page.get_by_role("group", name="Geslacht").get_by_label("Vrouw").check()
    page.get_by_label("Leeftijd op de datum van de melding").fill("24")
    page.get_by_label("Nationaliteit").select_option("PL")
    page.get_by_role("group", name="Op welke grond wordt gemeld?").get_by_label(
        "Toestemming"
    ).check()
    page.get_by_role("group", name="Wie gaf toestemming?").get_by_label("De persoon zelf").check()
    page.get_by_role("button", name="Melding registreren").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/registratie/melding/S\d{8}-[0-9a-f]{12}/$"))
    expect(page.get_by_text("Niet vastgelegd: gemeld op domicilie")).to_be_visible()
    checked(page)


def test_a_melding_without_javascript(make_context, sign_in):
    context = make_context(java_script_enabled=False)
    membership = MembershipFactory(role=Role.REGISTRAR)
    sign_in(membership.user, device=TOTPDeviceFactory(user=membership.user),
            membership=membership, into=context)  # fmt: skip
    page = context.new_page()
    page.goto("/registratie/nieuw/")
    page.get_by_label("Achternaam").fill("Jansen")
    page.get_by_label("Geboortedatum").fill("2007-05-01")
    page.get_by_label("Wie meldt?").select_option("politie")
    page.get_by_label("Politie-eenheid").select_option("limburg")
    page.get_by_label("Binnenlandse seksuele uitbuiting").check()
    page.get_by_role("group", name="Geslacht").get_by_label("Vrouw").check()
    page.get_by_role("group", name="Op welke grond wordt gemeld?").get_by_label(
        "Wettelijke taak"
    ).check()
    page.get_by_role("button", name="Melding registreren").click()
    expect(page.get_by_text("De melding is geregistreerd.")).to_be_visible()
    expect(page.locator(".facts")).to_contain_text("Limburg")


def test_register_a_known_person_with_consent(page, sign_in):
    membership = sign_in_as(sign_in, Role.REGISTRAR)
    PersonFactory(
        owner_organisation=membership.organisation,
        given_names="Sara",
        surname="Bos",
        date_of_birth=datetime.date(1999, 9, 9),
    )
    page.goto("/registratie/nieuw/")
    page.get_by_label("Staat de persoon in Schakel?").select_option(label="Sara Bos")
    page.get_by_label("Wie meldt?").select_option("fairwork")
    page.get_by_label("Arbeidsuitbuiting").check()
    page.get_by_role("group", name="Geslacht").get_by_label("Vrouw").check()
    page.get_by_role("group", name="Op welke grond wordt gemeld?").get_by_label(
        "Toestemming"
    ).check()
    page.get_by_role("group", name="Wie gaf toestemming?").get_by_label("De persoon zelf").check()
    page.get_by_label("digitaal ondertekend").check()
    page.get_by_label("Bewijs van de toestemming").fill("Digitaal ondertekend, kenmerk 42")
    page.get_by_label("De persoon vertelde in eigen woorden").check()
    page.get_by_role("button", name="Melding registreren").click()
    expect(page.get_by_text("Vastgelegd in Schakel")).to_be_visible()
    checked(page)


def test_import_with_errors_and_the_list(page, sign_in, tmp_path):
    sign_in_as(sign_in, Role.REGISTRAR)
    some_meldingen()
    page.goto("/registratie/?jaar=2024")
    expect(page.get_by_role("table")).to_be_visible()
    checked(page)
    page.goto("/registratie/importeren/")
    checked(page)
    bad = tmp_path / "fout.csv"
    bad.write_bytes(csv_bytes([row(), row(geslacht="?"), row(leeftijd="200")]))
    page.get_by_label("CSV-bestand").set_input_files(str(bad))
    page.get_by_role("button", name="Importeren").click()
    expect(page.get_by_role("heading", name="Niet geïmporteerd")).to_be_visible()
    expect(page.get_by_role("table", name="De fouten")).to_contain_text("range")
    checked(page)
    good = tmp_path / "goed.csv"
    good.write_bytes(csv_bytes([row(melddatum="2024-01-01")]))
    page.get_by_label("CSV-bestand").set_input_files(str(good))
    page.get_by_role("button", name="Importeren").click()
    expect(page.get_by_role("heading", name="Klaar")).to_be_visible()
    checked(page)
