"""The page shell: switching organisation, switching language, and using it with only a keyboard."""

import re

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD, MembershipFactory, TOTPDeviceFactory, UserFactory
from tests.browser.helpers import (
    LOGIN_PATH,
    assert_clean_console,
    assert_focus_visible,
    describe,
    focused,
    tab_until,
)
from tests.conftest import totp_code

pytestmark = pytest.mark.browser


# -- organisation ---------------------------------------------------------------------------------


def test_switch_organisation(page, sign_in, live_server):
    user = UserFactory()
    first = MembershipFactory(user=user, organisation__name="Jeugdzorg Noord")
    second = MembershipFactory(user=user, organisation__name="Wijkteam Zuid")
    sign_in(user, device=TOTPDeviceFactory(user=user), membership=first)

    page.goto("/")
    banner = page.locator(".acting-as")
    expect(banner).to_contain_text("U werkt namens Jeugdzorg Noord als Professional.")

    banner.get_by_role("link", name="Wisselen").click()
    expect(page).to_have_url(re.compile(r"/account/organisatie-kiezen/"))
    expect(page.get_by_label("Jeugdzorg Noord — Professional")).to_be_checked()
    page.get_by_label("Wijkteam Zuid — Professional").check()
    page.get_by_role("button", name="Verder").click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(banner).to_contain_text("U werkt namens Wijkteam Zuid als Professional.")
    expect(page.get_by_role("status")).to_have_text(f"U werkt nu namens {second.organisation}.")
    assert_clean_console(page)


# -- language -------------------------------------------------------------------------------------


def test_switch_language_to_english_and_back(page):
    page.goto("/privacy/")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "nl")

    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(re.compile(r"/privacy/$"))  # stays on the same page
    expect(html).to_have_attribute("lang", "en")
    back = page.get_by_role("button", name="Nederlands")
    expect(back).to_have_attribute("lang", "nl")  # the button's language is marked (WCAG 3.1.2)

    # The language sticks across pages; Django's own messages come in English.
    page.goto(LOGIN_PATH)
    expect(html).to_have_attribute("lang", "en")
    page.locator("main button[type=submit]").click()
    expect(page.locator("#id_username_error")).to_have_text("This field is required.")

    page.get_by_role("button", name="Nederlands").click()
    expect(html).to_have_attribute("lang", "nl")
    expect(page.get_by_role("button", name="English")).to_have_attribute("lang", "en")
    page.locator("main button[type=submit]").click()
    expect(page.locator("#id_username_error")).to_have_text("Dit veld is vereist.")


def test_english_pages_are_translated(page):
    """Needs our own English catalogue (locale/en/LC_MESSAGES/django.po)."""
    page.goto(LOGIN_PATH)
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    # The page has loaded in English now, so plain reads (no retrying) are enough.
    # Dutch msgid: (where it shows, the English we expect; None: anything but the Dutch).
    expected = {
        "Naar de inhoud": (".skip-link", "Skip to content"),
        "Inloggen": ("main h1", "Log in"),
        "Hoofdmenu": (".site-nav", None),
        "Privacyverklaring": (".site-footer li:nth-child(1) a", None),
        "Toegankelijkheid": (".site-footer li:nth-child(2) a", None),
    }
    missing = []
    for msgid, (selector, english) in expected.items():
        element = page.locator(selector)
        actual = (
            element.get_attribute("aria-label") if msgid == "Hoofdmenu" else element.inner_text()
        ).strip()
        if actual == msgid or (english is not None and actual != english):
            wanted = repr(english) if english else "English"
            missing.append(f"{msgid!r} -> {wanted} (shows {actual!r} at {selector})")
    assert not missing, "English translations missing:\n" + "\n".join(missing)


# -- keyboard -------------------------------------------------------------------------------------


def test_first_tab_reaches_the_skip_link_which_moves_focus_to_the_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    info = focused(page)
    assert info is not None and "skip-link" in info["cls"], f"first Tab went to {info}"
    assert_focus_visible(info)
    skip = page.locator(".skip-link")
    expect(skip).to_have_text("Naar de inhoud")
    expect(skip).to_be_in_viewport()  # shown when focused, not only to screen readers

    page.keyboard.press("Enter")
    expect(page.locator("main#inhoud")).to_be_focused()
    page.keyboard.press("Tab")
    # The next Tab continues inside the content, not at the top of the page.
    inside_main = page.evaluate(
        "() => document.querySelector('main').contains(document.activeElement)"
    )
    assert inside_main, f"after the skip link, Tab went to {describe(focused(page))}"


@pytest.mark.parametrize(
    ("path", "role"),
    [
        ("/", "professional"),
        ("/privacy/", "professional"),
        ("/toegankelijkheid/", "professional"),
        ("/account/", "professional"),
        ("/account/organisatie-kiezen/", "professional"),
        ("/account/organisatie/gebruikers/", "org_admin"),
        ("/personen/", "professional"),
        ("/personen/nieuw/", "professional"),
    ],
)
def test_first_tab_on_each_page_reaches_the_skip_link(page, sign_in, path, role):
    """Only single-task pages (login, code) may put the focus in a field by themselves."""
    membership = MembershipFactory(role=role)
    sign_in(membership.user, device=TOTPDeviceFactory(user=membership.user), membership=membership)
    page.goto(path)
    assert focused(page) is None, f"focus starts on {describe(focused(page))}, not at the top"
    page.keyboard.press("Tab")
    info = focused(page)
    assert info is not None and "skip-link" in info["cls"], f"first Tab went to {info}"


def test_login_with_only_the_keyboard(page, live_server):
    membership = MembershipFactory()
    device = TOTPDeviceFactory(user=membership.user)
    page.goto("/")

    tab_until(page, lambda f: f["tag"] == "a" and f["text"] == "Inloggen")
    page.keyboard.press("Enter")

    expect(page).to_have_url(f"{live_server.url}{LOGIN_PATH}")
    email = page.get_by_label("E-mailadres")
    expect(email).to_be_focused()  # autofocus
    page.keyboard.type(membership.user.email)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Wachtwoord")).to_be_focused()
    assert_focus_visible(focused(page))
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/account/tweestaps/"))
    expect(page.get_by_label("Code")).to_be_focused()  # autofocus
    page.keyboard.type(totp_code(device))
    page.keyboard.press("Enter")

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator(".acting-as")).to_contain_text(
        f"U werkt namens {membership.organisation.name}"
    )


_MARK_FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) { return 'outside'; }
  if (el.dataset.tabStop) { return 'again'; }
  el.dataset.tabStop = 'seen';
  return 'new';
}"""


def _tab_through_page(page, *, limit=120):
    """Tab through every stop on the page once; return what was focused, in order."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = page.evaluate(_MARK_FOCUSED)
        if state == "outside":
            continue  # focus went to the browser itself; the next Tab comes back to the page
        if state == "again":
            break  # wrapped round
        stops.append(focused(page))
    return stops


@pytest.mark.parametrize(
    "path",
    ["/", "/account/", "/account/organisatie-kiezen/", "/account/organisatie/gebruikers/"],
)
def test_every_tab_stop_shows_focus(page, sign_in, path):
    user = UserFactory()
    admin = MembershipFactory(user=user, role="org_admin", organisation__name="Jeugdzorg Noord")
    MembershipFactory(user=user, organisation__name="Wijkteam Zuid")
    MembershipFactory(organisation=admin.organisation)  # a colleague: rows with actions
    sign_in(user, device=TOTPDeviceFactory(user=user), membership=admin)

    page.goto(path)
    stops = _tab_through_page(page)
    assert len(stops) >= 5, [describe(s) for s in stops]
    invisible = [
        f"{describe(s)} (outline-style {s['outlineStyle']}, width {s['outlineWidth']})"
        for s in stops
        if s["outlineStyle"] == "none" or s["outlineWidth"] == "0px"
    ]
    assert not invisible, "no visible focus on: " + "; ".join(invisible)


def test_anonymous_login_page_tab_stops_show_focus(page):
    page.goto(LOGIN_PATH)
    stops = _tab_through_page(page)
    texts = [s["text"] for s in stops]
    assert "Naar de inhoud" in texts
    for stop in stops:
        assert_focus_visible(stop)
