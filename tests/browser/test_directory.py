"""Wegwijzer in Chromium: searching for a realistic case, updating capacity, suggesting and
reviewing, with an axe check on every page of the app (and on its error states)."""

import re
import time

import pytest
from playwright.sync_api import expect

from schakel.directory import spam
from schakel.directory.models import Offer, Suggestion
from schakel.directory.services import directory_seed_load, reference_data_load
from tests.accounts.factories import MembershipFactory, TOTPDeviceFactory
from tests.browser.helpers import (
    assert_accessible,
    assert_clean_console,
    assert_id_references_resolve,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def wegwijzer(live_server):
    reference_data_load()
    directory_seed_load()


def checked(page) -> None:
    assert_accessible(page)
    assert_id_references_resolve(page)
    assert_clean_console(page)


def _sign_in(sign_in, role):
    membership = MembershipFactory(role=role)
    sign_in(membership.user, device=TOTPDeviceFactory(user=membership.user), membership=membership)
    return membership


def test_search_for_a_girl_of_15_with_lvb_in_limburg(page, wegwijzer):
    page.goto("/wegwijzer/")
    checked(page)
    page.get_by_label("Gemeente waar de persoon woont of verblijft").select_option(
        label="Maastricht"
    )
    page.get_by_label("Leeftijd").fill("15")
    page.get_by_role("group", name="Geslacht").get_by_label("vrouw of meisje").check()
    page.get_by_role("group", name="Wat is nodig?").get_by_label("behandeling").check()
    page.get_by_role("group", name="Vorm van uitbuiting").get_by_label(
        "seksuele uitbuiting", exact=True
    ).check()
    page.get_by_role("group", name="Licht verstandelijke beperking (LVB)").get_by_label(
        "Ja"
    ).check()
    page.get_by_role("button", name="Zoeken").click()

    expect(page.get_by_role("heading", name="Past helemaal (1)")).to_be_visible()
    full = page.get_by_role("list", name="Past helemaal (1)")
    expect(full.get_by_role("link", name="YIP! (Your Inner Power)")).to_be_visible()
    partial = page.get_by_role("list", name=re.compile(r"Past gedeeltelijk"))
    expect(partial).to_contain_text("regio: alleen Leeuwarden en Rotterdam")
    checked(page)

    full.get_by_role("link", name="YIP! (Your Inner Power)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("YIP! (Your Inner Power)")
    expect(page.get_by_text("046 – 477 52 52")).to_be_visible()
    checked(page)


def test_search_errors_and_escalation(page, wegwijzer):
    page.goto("/wegwijzer/?age=200")
    expect(page.get_by_role("alert")).to_contain_text("Leeftijd")
    checked(page)
    page.goto(
        "/wegwijzer/?gemeente=GM0074&age=16&gender=man&forms=criminele_uitbuiting&need=treatment"
    )
    expect(
        page.get_by_role("heading", name="Niets past helemaal. Zo komt u verder:")
    ).to_be_visible()
    checked(page)


@pytest.mark.parametrize(
    "path",
    [
        "/wegwijzer/organisaties/",
        "/wegwijzer/organisaties/?q=fier",
        "/wegwijzer/organisaties/koraal/",
        "/wegwijzer/aanbod/asja/",
        "/wegwijzer/zorgcoordinatoren/",
        "/wegwijzer/zorgcoordinatoren/?gemeente=GM0080",
        "/wegwijzer/zorgcoordinatoren/?gemeente=XX",
        "/wegwijzer/waar-kan-ik-terecht/",
        "/wegwijzer/waar-kan-ik-terecht/jongeren/",
        "/wegwijzer/waar-kan-ik-terecht/ouders/",
        "/wegwijzer/suggestie/bedankt/",
    ],
)
def test_public_pages_are_accessible(page, wegwijzer, path):
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    checked(page)


def test_public_suggestion(page, wegwijzer):
    page.goto("/wegwijzer/suggestie/?aanbod=asja")
    checked(page)
    page.get_by_role("button", name="Versturen").click()  # empty: errors
    expect(page.get_by_role("alert")).to_contain_text("Onderwerp")
    checked(page)
    page.get_by_label("Onderwerp").fill("Asja")
    page.get_by_label("Uw voorstel").fill("Het programma is nu ook in Groningen.")
    page.get_by_label("Uw e-mailadres (mag leeg blijven)").fill("melder@example.org")
    # the form was just shown again with a fresh stamp: pretend it was shown a minute ago
    page.locator("input[name=started]").evaluate(
        "(el, value) => el.value = value", spam.issue(at=time.time() - 60)
    )
    page.get_by_role("button", name="Versturen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bedankt voor uw voorstel")
    assert Suggestion.objects.get().offer.key == "asja"


def test_capacity_update_by_the_providers_admin(page, sign_in, wegwijzer):
    org_admin = _sign_in(sign_in, "org_admin")
    fier = Offer.objects.get(key="asja").provider
    fier.organisation = org_admin.organisation
    fier.save()

    page.goto("/wegwijzer/beheer/")
    checked(page)
    link = page.get_by_role("link", name=re.compile(r"^Bijwerken.*Asja$"))
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Capaciteit van Asja")
    checked(page)
    page.get_by_label("Aantal plaatsen").fill("12")
    page.get_by_label("Vrije plaatsen nu").fill("20")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("alert")).to_contain_text("Vrije plaatsen nu")
    checked(page)
    page.get_by_label("Vrije plaatsen nu").fill("0")
    page.get_by_label("Wachttijd in weken").fill("6")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_have_text("De capaciteit is bijgewerkt.")
    expect(page.get_by_text(f"door {org_admin.organisation.name}")).to_be_visible()
    checked(page)

    page.get_by_role("link", name="Geschiedenis van wijzigingen").click()
    expect(page.get_by_role("table")).to_contain_text("capaciteit bijgewerkt")
    checked(page)

    page.goto("/wegwijzer/?q=asja&gemeente=GM0080")
    expect(page.get_by_text("geen vrije plek, wachttijd 6 weken")).to_be_visible()


def test_functional_admin_pages(page, sign_in, wegwijzer):
    _sign_in(sign_in, "functional_admin")
    Suggestion.objects.create(kind="new", subject="Opvang Zuid", message="Nieuwe opvang in Zuid.")
    page.goto("/wegwijzer/beheer/")
    checked(page)
    page.get_by_role("link", name=re.compile("Suggesties")).click()
    checked(page)
    page.get_by_role("link", name="Opvang Zuid").click()
    checked(page)
    page.get_by_role("button", name="Besluit opslaan").click()
    expect(page.get_by_role("alert")).to_contain_text("Besluit")
    checked(page)
    page.get_by_label("Afwijzen").check()
    page.get_by_role("button", name="Besluit opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Het e-mailadres is gewist.")

    for path in (
        "/wegwijzer/aanbod/asja/wijzigen/",
        "/wegwijzer/beheer/nieuw-aanbod/",
        "/wegwijzer/organisaties/fier/wijzigen/",
        "/wegwijzer/beheer/nieuwe-aanbieder/",
    ):
        page.goto(path)
        checked(page)
    page.goto("/wegwijzer/aanbod/asja/wijzigen/")
    page.get_by_label("Leeftijd tot en met").fill("10")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("alert")).to_contain_text("Leeftijd tot en met")
    checked(page)
