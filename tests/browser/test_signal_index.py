"""The signal index in Chromium: a school registers a boy, the police registers him too and sees
the match, the school sees it marked new, agrees on the lead, and the school withdraws; axe on
every page visited."""

import re

import pytest
from playwright.sync_api import expect

from schakel.accounts.models import Organisation, Role
from tests.accounts.factories import MembershipFactory, OrganisationFactory, TOTPDeviceFactory
from tests.browser.helpers import (
    assert_accessible,
    assert_clean_console,
    assert_id_references_resolve,
    sign_in_context,
)
from tests.people.factories import valid_bsn

pytestmark = pytest.mark.browser


def checked(page) -> None:
    assert_accessible(page)
    assert_id_references_resolve(page)
    assert_clean_console(page)


@pytest.fixture
def as_user(make_context, live_server):
    def make(membership):
        context = make_context()
        sign_in_context(
            context, live_server.url, membership.user,
            device=TOTPDeviceFactory(user=membership.user), membership=membership,
        )  # fmt: skip
        page = context.new_page()
        page.problems = []
        page.on("pageerror", lambda error: page.problems.append(f"script error: {error}"))
        return page

    return make


def member(name, domain):
    organisation = OrganisationFactory(name=name, domain=domain)
    return MembershipFactory(organisation=organisation, role=Role.PROFESSIONAL)


def register_by_form(page, *, bsn=None, names=None, function, phone):
    page.goto("/signalen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Signaleringsindex")
    checked(page)
    page.get_by_role("link", name="Nieuwe melding").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Melden in de signaleringsindex")
    checked(page)
    if bsn:
        page.get_by_label("BSN").fill(bsn)
    if names:
        page.get_by_label("Achternaam").fill(names[0])
        page.get_by_label("Voornamen").fill(names[1])
        page.get_by_label("Geboortedatum").fill(names[2])
    page.get_by_label("Aanleiding").select_option("zorgen_over_uitbuiting")
    page.get_by_label("Uw functie").fill(function)
    page.get_by_label("Telefoonnummer").fill(phone)
    page.get_by_role("button", name="Melden").click()
    expect(page).to_have_url(re.compile(r"/signalen/melding/[0-9a-f-]+/$"))
    checked(page)


def test_register_match_seen_by_the_other_organisation_and_withdraw(as_user):
    school = member("Scholengroep Noord", Organisation.Domain.ONDERWIJS)
    police = member("Politie Eenheid Noord", Organisation.Domain.POLITIE)
    bsn = valid_bsn(7)

    school_page = as_user(school)
    # a mistake first: the error summary names the field, nothing is stored
    school_page.goto("/signalen/nieuw/")
    school_page.get_by_label("BSN").fill("123456789")
    school_page.get_by_label("Aanleiding").select_option("zorgen_over_uitbuiting")
    school_page.get_by_label("Telefoonnummer").fill("050-1234567")
    school_page.get_by_role("button", name="Melden").click()
    expect(school_page.get_by_role("alert")).to_contain_text("elfproef")
    checked(school_page)
    register_by_form(
        school_page, bsn=bsn, names=("de Vries", "Sem", "2010-03-14"), function="Mentor",
        phone="050-1234567",
    )  # fmt: skip
    expect(school_page.get_by_text("Nog geen match")).to_be_visible()

    police_page = as_user(police)
    register_by_form(
        police_page, names=("De  Vries", "SEM", "2010-03-14"), function="Wijkagent",
        phone="0900-8844",
    )  # fmt: skip
    expect(police_page.get_by_text("Er is een match")).to_be_visible()
    police_page.get_by_role("link", name="Scholengroep Noord").click()
    expect(police_page.get_by_role("heading", level=1)).to_contain_text("Match")
    expect(police_page.locator("dl.facts")).to_contain_text("Mentor")
    expect(police_page.locator("dl.facts")).to_contain_text("Onderwijs")
    checked(police_page)
    police_page.get_by_role("button", name="Wij nemen de regie").click()
    expect(police_page.get_by_text("U hebt voorgesteld de regie te nemen")).to_be_visible()
    checked(police_page)

    # the school sees the match, marked new, with the count in the menu
    school_page.goto("/signalen/")
    expect(school_page.get_by_role("navigation").first).to_contain_text("1 nieuwe match")
    row = school_page.get_by_role("row").filter(has_text="Politie Eenheid Noord")
    expect(row).to_contain_text("nieuw")
    checked(school_page)
    row.get_by_role("link", name="Politie Eenheid Noord").click()
    expect(school_page.locator("dl.facts")).to_contain_text("Wijkagent")
    expect(school_page.locator("dl.facts")).to_contain_text("0900-8844")
    expect(school_page.locator("main")).not_to_contain_text("zorgen")
    checked(school_page)
    school_page.get_by_role("button", name="Akkoord", exact=True).click()
    expect(school_page.get_by_text("Politie Eenheid Noord neemt de regie")).to_be_visible()
    checked(school_page)

    # the school withdraws its registration, with confirmation
    school_page.get_by_role("link", name="Terug naar uw melding").click()
    checked(school_page)
    school_page.get_by_role("link", name="Melding intrekken").click()
    expect(school_page.get_by_role("heading", level=1)).to_have_text("Melding intrekken")
    checked(school_page)
    school_page.get_by_role("button", name="Ja, melding intrekken").click()
    expect(school_page).to_have_url(re.compile(r"/signalen/$"))
    expect(school_page.get_by_role("row").filter(has_text="Politie")).to_contain_text("beëindigd")
    checked(school_page)
