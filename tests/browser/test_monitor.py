"""The monitor in Chromium: the period filter, every kind of chart with its table, an invalid
period, and reflow at 320 px; axe on every page."""

import re

import pytest
from playwright.sync_api import expect

from schakel.accounts.models import Role
from tests.accounts.factories import MembershipFactory, TOTPDeviceFactory
from tests.browser.helpers import assert_accessible
from tests.browser.test_registry import checked, sign_in_as, some_meldingen

pytestmark = pytest.mark.browser


def test_monitor_pages(page, sign_in):
    sign_in_as(sign_in, Role.ANALYST)
    some_meldingen()
    page.goto("/monitor/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Monitor mensenhandel")
    expect(page.get_by_role("img", name=re.compile("Unieke slachtoffers per jaar"))).to_be_visible()
    checked(page)
    page.get_by_label(re.compile(r"^Van:?$")).select_option("2022")
    page.get_by_label("Tot en met").select_option("2024")
    page.get_by_label("Precieze aantallen").check()
    page.get_by_role("button", name="Toon de cijfers").click()
    expect(page).to_have_url(re.compile(r"van=2022&tot=2024&beheersing=none"))
    checked(page)
    for link in ("Slachtoffers per melder", "Gemiddelde leeftijd", "Slachtoffers per nationaliteit",
                 "Opnieuw geregistreerd"):  # fmt: skip
        page.get_by_role("link", name=link, exact=True).first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text(link)
        expect(page.get_by_role("img")).to_be_visible()
        checked(page)
        page.go_back()
    page.goto("/monitor/?van=2024&tot=2020")
    expect(page.locator(".error-summary")).to_be_visible()
    checked(page)


def test_monitor_reflows_at_320_pixels(make_context, sign_in):
    context = make_context(viewport={"width": 320, "height": 640})
    membership = MembershipFactory(role=Role.ANALYST)
    sign_in(membership.user, device=TOTPDeviceFactory(user=membership.user),
            membership=membership, into=context)  # fmt: skip
    some_meldingen()
    page = context.new_page()
    page.goto("/monitor/slachtoffers_per_geslacht/?van=2022&tot=2024&beheersing=round5")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"the page scrolls sideways: {width}px"
    assert_accessible(page)
