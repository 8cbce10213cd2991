"""Helpers for the browser tests: contexts, signing in, keyboard focus and axe checks."""

import base64
import re
import time
from importlib import import_module

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from playwright.sync_api import BrowserContext, Page, expect

from schakel.accounts.middleware import SESSION_ACTOR_KEY, SESSION_SEEN_KEY
from tests.accounts.factories import PASSWORD
from tests.conftest import totp_code

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium tries to reach the internet, which is closed.
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 10_000

LOGIN_PATH = "/account/inloggen/"


def new_context(browser, base_url: str, **kwargs) -> BrowserContext:
    """A fresh context: Dutch browser, Dutch time zone, short timeouts."""
    options = {
        "base_url": base_url,
        "locale": "nl-NL",
        "timezone_id": "Europe/Amsterdam",
        "viewport": {"width": 1280, "height": 800},
        **kwargs,
    }
    context = browser.new_context(**options)
    context.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    return context


def session_key(context: BrowserContext) -> str:
    return next(c["value"] for c in context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)


def session_store(key: str):
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)


def sign_in_context(
    context: BrowserContext, base_url: str, user, *, device=None, membership=None
) -> None:
    """Log `user` in by planting a session cookie, as `Client.force_login` does.

    `device`: a confirmed TOTPDevice; when given, the session counts as 2FA-verified.
    `membership`: when given, the session already acts for it (no organisation choice).
    """
    client = Client()
    client.force_login(user)
    session = client.session
    if device is not None:
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    if membership is not None:
        session[SESSION_ACTOR_KEY] = membership.pk
    session.save()
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session.session_key,
                "url": base_url,
                "httpOnly": True,
                "sameSite": "Lax",
            }
        ]
    )


def age_session(context: BrowserContext, seconds: int) -> None:
    """Pretend the last request of this browser's session was `seconds` ago."""
    store = session_store(session_key(context))
    store[SESSION_SEEN_KEY] = int(time.time()) - seconds
    store.save()


# -- logging in through the real forms ----------------------------------------------------------


def submit_password(page: Page, email: str, password: str = PASSWORD) -> None:
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.locator("main").get_by_role("button", name="Inloggen").click()


def submit_code(page: Page, code: str) -> None:
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Verder").click()


def log_in_with_form(page: Page, user, device, *, path: str = LOGIN_PATH) -> None:
    """E-mail and password, then the TOTP code. Leaves the page wherever the app sends it next."""
    page.goto(path)
    submit_password(page, user.email)
    expect(page).to_have_url(re.compile(r"/account/tweestaps/"))
    submit_code(page, totp_code(device))


def code_from_secret(secret: str) -> str:
    """The current TOTP code for a base32 secret, as an authenticator app would show it."""
    key = base64.b32decode(secret.strip().replace(" ", ""))
    return f"{totp(key, step=30, t0=0, digits=6):06d}"


# -- keyboard focus ------------------------------------------------------------------------------

_FOCUS_INFO = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) { return null; }
  const style = getComputedStyle(el);
  const text = (el.getAttribute('aria-label') || el.innerText || el.value || el.name || '').trim();
  return {
    tag: el.tagName.toLowerCase(), id: el.id, cls: el.className, text: text.slice(0, 60),
    outlineStyle: style.outlineStyle, outlineWidth: style.outlineWidth,
    focusVisible: el.matches(':focus-visible'),
  };
}"""


def focused(page: Page) -> dict | None:
    """What has keyboard focus, with its computed outline (None when nothing does)."""
    return page.evaluate(_FOCUS_INFO)


def describe(info: dict) -> str:
    ident = f"#{info['id']}" if info["id"] else f".{info['cls']}" if info["cls"] else ""
    return f"<{info['tag']}{ident}> {info['text']!r}"


def assert_focus_visible(info: dict) -> None:
    assert info is not None, "nothing has focus"
    visible = info["outlineStyle"] != "none" and info["outlineWidth"] not in ("0px", "")
    assert visible, (
        f"focus is not visible on {describe(info)}: outline-style {info['outlineStyle']}, "
        f"outline-width {info['outlineWidth']} (WCAG 2.4.7)"
    )


def tab_until(page: Page, predicate, *, limit: int = 40) -> dict:
    """Press Tab until `predicate(focus_info)` holds; each stop on the way must show focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = focused(page)
        assert_focus_visible(info)
        if predicate(info):
            return info
    raise AssertionError(f"no focusable element matched after {limit} presses of Tab")


# -- axe -----------------------------------------------------------------------------------------

# WCAG 2.0, 2.1 and 2.2 success criteria at levels A and AA (axe tags them separately).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
_axe = Axe()


def axe_report(url: str, violations: list[dict]) -> str:
    lines = [f"{len(violations)} accessibility rule(s) violated on {url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}"
            f" [{', '.join(t for t in violation['tags'] if t.startswith('wcag'))}]"
            f" {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            target = " >> ".join(t if isinstance(t, str) else " ".join(t) for t in node["target"])
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    at {target}: {summary}")
            lines.append(f"       {node['html'][:200]}")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """No WCAG 2.x A/AA violations that axe can detect on the page as it is now.

    A click on a link may still be navigating when the check starts; axe then finds no document.
    Wait for the new page to load and check that one instead (once).
    """
    from playwright.sync_api import Error as PlaywrightError

    options = {
        "runOnly": {"type": "tag", "values": WCAG_TAGS},
        "resultTypes": ["violations"],
    }
    page.wait_for_load_state("load")
    try:
        results = _axe.run(page, options=options)
    except PlaywrightError:
        page.wait_for_load_state("load")
        results = _axe.run(page, options=options)
    violations = results.response["violations"]
    assert results.violations_count == 0, axe_report(page.url, violations)


_BROKEN_ID_REFERENCES = """() => {
  const broken = [];
  const attributes = ['aria-describedby', 'aria-labelledby', 'aria-controls', 'aria-errormessage'];
  for (const attr of attributes) {
    // A hidden input is not in the accessibility tree: a dangling reference there reads nothing.
    for (const el of document.querySelectorAll('[' + attr + ']:not(input[type=hidden])')) {
      for (const id of el.getAttribute(attr).split(/\\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) {
          broken.push(`<${el.tagName.toLowerCase()} id="${el.id}"> ${attr}="${id}"`);
        }
      }
    }
  }
  for (const label of document.querySelectorAll('label[for]')) {
    if (!document.getElementById(label.htmlFor)) {
      broken.push(`<label> for="${label.htmlFor}"`);
    }
  }
  return broken;
}"""


def assert_id_references_resolve(page: Page) -> None:
    """Every aria-describedby/-labelledby/... and label[for] points at an element that exists.

    axe only lists a dangling aria-describedby as "needs review", yet the help or error text it
    should announce is then never read out (WCAG 1.3.1).
    """
    broken = page.evaluate(_BROKEN_ID_REFERENCES)
    assert not broken, f"id references to nothing on {page.url}:\n" + "\n".join(broken)


def assert_clean_console(page: Page) -> None:
    assert not page.problems, "problems in the browser console:\n" + "\n".join(page.problems)
