"""Screening in Chromium: every instrument filled with the keyboard only, axe on every page,
back and forward, the printed advice and the PDF download."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from schakel.screening import contacts, selectors
from schakel.screening.services import assessment_create
from tests.accounts.factories import MembershipFactory, TOTPDeviceFactory
from tests.browser.helpers import (
    assert_accessible,
    assert_clean_console,
    assert_id_references_resolve,
    focused,
    tab_until,
)
from tests.people.factories import PersonFactory
from tests.screening.factories import FAKE_CONTACTS, answers_all

pytestmark = pytest.mark.browser

KEYS = [
    "signalen-uitbuiting",
    "aanwijzingen-lvb",
    "quickscan-ouders",
    "gespreksleidraad-online",
    "zelfcheck-jongeren",
]


@pytest.fixture
def instruments(live_server, monkeypatch):
    call_command("load_instruments", stdout=io.StringIO())
    selectors._parsed.cache_clear()
    fake = type(
        "Wegwijzer",
        (),
        {
            "contacts_by_key": staticmethod(
                lambda *, keys: {k: FAKE_CONTACTS[k] for k in keys if k in FAKE_CONTACTS}
            ),
            "care_coordinators_for": staticmethod(lambda *, municipality_code: []),
        },
    )
    monkeypatch.setattr(contacts, "_directory", lambda: fake)
    yield
    selectors._parsed.cache_clear()


def checked(page) -> None:
    """The page passes axe and every aria/label reference resolves."""
    assert_accessible(page)
    assert_id_references_resolve(page)


def _focus_item(page, item_id: str) -> dict:
    prefix = f"id_a-{item_id}"
    return tab_until(page, lambda info: info["id"].startswith(prefix), limit=80)


def _answer_by_keyboard(page, item, value) -> None:
    """Give one answer with the keyboard only, the way a keyboard user would."""
    _focus_item(page, item.id)
    if item.type == "text":
        page.keyboard.type(value)
        return
    if item.type == "multiple":
        page.keyboard.press("Space")  # the first option
        return
    values = [choice for choice, _label in item.choices()]
    target = values.index(str(value))
    # Tabbing into a radio group without a choice lands on its first radio.
    if target == 0:
        page.keyboard.press("Space")
    else:
        for _ in range(target):
            page.keyboard.press("ArrowRight")


def _press_button(page, name: str) -> None:
    tab_until(page, lambda info: info["tag"] == "button" and info["text"] == name, limit=120)
    page.keyboard.press("Enter")


def fill_by_keyboard(page, instrument, answers) -> None:
    for index, area in enumerate(instrument.areas):
        expect(page.locator(".screening-progress__now")).to_contain_text(
            f"Stap {index + 1} van {len(instrument.areas) + 1}"
        )
        page.locator("main").focus()  # start tabbing from the top of the content
        for item in area.items:
            if item.id in answers:
                _answer_by_keyboard(page, item, answers[item.id])
        _press_button(page, "Volgende")
    expect(page.get_by_role("heading", level=2, name="Controleer de antwoorden")).to_be_visible()
    page.locator("main").focus()
    _press_button(page, "Advies bekijken")


@pytest.mark.parametrize("key", KEYS)
def test_every_instrument_can_be_filled_with_the_keyboard(page, instruments, key):
    instrument = selectors.instrument_get(key=key)
    answers = answers_all(instrument, "no")
    for item in instrument.items.values():
        if item.type == "text":
            answers[item.id] = "Aantekening"
    first_yes = next(i for i in instrument.items.values() if i.type == "yes_no_unknown")
    answers[first_yes.id] = "yes"

    page.goto(f"/screening/{key}/")
    checked(page)
    tab_until(page, lambda info: info["tag"] == "a" and info["text"] == "Beginnen", limit=60)
    page.keyboard.press("Enter")
    expect(page.locator(".screening-progress__now")).to_contain_text("Stap 1 van")
    checked(page)
    fill_by_keyboard(page, instrument, answers)

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Advies: {instrument.title}")
    checked(page)
    assert_clean_console(page)


def test_pages_of_the_flow_pass_axe(page, instruments):
    page.goto("/screening/")
    checked(page)
    page.goto("/screening/signalen-uitbuiting/invullen/")
    checked(page)
    page.get_by_role("button", name="Volgende").click()  # nothing answered
    expect(page.get_by_role("alert")).to_be_visible()
    checked(page)
    # The error summary links to the first radio of the question.
    page.get_by_role("alert").get_by_role("link").first.click()
    assert focused(page)["id"] == "id_a-direct_gevaar_0"


def test_back_and_forward_keep_the_answers(page, instruments):
    page.goto("/screening/zelfcheck-jongeren/invullen/")
    page.get_by_role(
        "group", name="Heb je een vriend of vriendin die veel ouder is dan jij?"
    ).get_by_label("Ja").check()
    page.get_by_role("group", name=re.compile("dingen geheimhouden")).get_by_label("Nee").check()
    page.get_by_role("group", name=re.compile("Bepaalt iemand")).get_by_label(
        "Weet ik niet"
    ).check()
    page.get_by_role("button", name="Volgende").click()
    expect(page.locator(".screening-progress__now")).to_contain_text("Stap 2 van 5")
    page.get_by_role("group", name=re.compile("schuld afwerken")).get_by_label("Ja").check()
    page.get_by_role("button", name="Vorige").click()
    expect(page.locator(".screening-progress__now")).to_contain_text("Stap 1 van 5")
    expect(
        page.get_by_role("group", name=re.compile("Bepaalt iemand")).get_by_label("Weet ik niet")
    ).to_be_checked()
    page.get_by_role("button", name="Volgende").click()
    expect(
        page.get_by_role("group", name=re.compile("schuld afwerken")).get_by_label("Ja")
    ).to_be_checked()


def test_the_advice_prints_and_downloads_as_pdf(page, instruments):
    instrument = selectors.instrument_get(key="signalen-uitbuiting")
    answers = answers_all(instrument, "no")
    answers.update(seksueel_geweld_7_dagen="yes", pakketjes="yes")
    page.goto("/screening/signalen-uitbuiting/invullen/")
    for index, area in enumerate(instrument.areas):
        for item in area.items:
            if item.id in answers:
                page.locator(f"input[name='a-{item.id}'][value='{answers[item.id]}']").check()
        page.get_by_role("button", name="Volgende").click()
        expect(page.locator(".screening-progress__now")).to_contain_text(f"Stap {index + 2} van")
    page.get_by_role("button", name="Advies bekijken").click()
    expect(page.get_by_role("heading", name="Rode vlaggen: dit moet eerst")).to_be_visible()
    expect(page.get_by_role("link", name="0800-0188").first).to_have_attribute(
        "href", "tel:08000188"
    )
    checked(page)

    page.emulate_media(media="print")
    expect(page.locator(".site-nav")).to_be_hidden()
    expect(page.get_by_role("button", name="Download als PDF")).to_be_hidden()
    expect(page.get_by_role("heading", name="Rode vlaggen: dit moet eerst")).to_be_visible()
    page.emulate_media(media="screen")

    with page.expect_download() as download:
        page.get_by_role("button", name="Download als PDF").click()
    assert download.value.suggested_filename == "advies-signalen-uitbuiting.pdf"


def test_a_stored_screening_and_the_person_history(page, instruments, sign_in):
    membership = MembershipFactory()
    sign_in(membership.user, device=TOTPDeviceFactory(user=membership.user), membership=membership)
    person = PersonFactory(owner_organisation=membership.organisation, given_names="Sam")
    row = selectors.instrument_row_get(key="aanwijzingen-lvb")
    assessment = assessment_create(
        actor=membership,
        person=person,
        instrument_row=row,
        answers=answers_all(selectors.instrument_of(row), "yes"),
    )
    page.goto("/screening/")
    page.get_by_role("link", name="Screening voor een persoon").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Screening voor een persoon")
    checked(page)
    page.get_by_role("link", name=person.display_name).click()
    expect(page).to_have_url(re.compile(f"/screening/personen/{person.public_id}/"))
    checked(page)
    page.get_by_role("link", name=re.compile(r"\d{4}")).first.click()
    expect(page).to_have_url(re.compile(str(assessment.public_id)))
    expect(
        page.get_by_role("heading", name="Praten met iemand met een (mogelijke) LVB")
    ).to_be_visible()
    checked(page)

    page.goto(f"/screening/signalen-uitbuiting/?persoon={person.public_id}")
    expect(page.locator(".screening-person")).to_contain_text(person.display_name)
    checked(page)


def test_usage_page_passes_axe(page, instruments, sign_in):
    membership = MembershipFactory(role="functional_admin")
    sign_in(membership.user, device=TOTPDeviceFactory(user=membership.user), membership=membership)
    page.goto("/screening/gebruik/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Gebruik van de screening")
    checked(page)
