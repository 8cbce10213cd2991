"""Idle sessions: the server logs out, the page warns first and can keep the session alive.

live_server runs in a thread of this process, so `override_settings` reaches it. The page reads
the timings from <body data-idle-seconds data-warning-seconds> when it loads; the warning shows
at idle - warning seconds after that.
"""

import re
import time

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from tests.accounts.factories import MembershipFactory, TOTPDeviceFactory
from tests.browser.helpers import LOGIN_PATH, age_session, assert_clean_console

pytestmark = pytest.mark.browser

EXPIRED_NOTICE = "U was te lang niet actief"


def _signed_in(sign_in):
    membership = MembershipFactory()
    sign_in(membership.user, device=TOTPDeviceFactory(user=membership.user), membership=membership)
    return membership


def _no_favicon(context):
    # Chromium asks for /favicon.ico by itself; that request would count as activity.
    context.route("**/favicon.ico", lambda route: route.fulfill(status=204))


@override_settings(SCHAKEL_SESSION_IDLE_SECONDS=2)
def test_idle_session_ends_on_the_next_request_without_javascript(make_context, sign_in):
    context = make_context(java_script_enabled=False)
    _no_favicon(context)
    membership = MembershipFactory()
    device = TOTPDeviceFactory(user=membership.user)
    sign_in(membership.user, device=device, membership=membership, into=context)
    page = context.new_page()
    page.goto("/account/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn account")

    time.sleep(3.2)  # idle > 2 s, counted in whole seconds
    page.get_by_role("link", name="Start", exact=True).click()

    expect(page).to_have_url(re.compile(rf"{LOGIN_PATH}\?verlopen=1$"))
    expect(page.get_by_role("status")).to_contain_text(EXPIRED_NOTICE)
    page.goto("/account/")  # really logged out, not only shown the login page
    expect(page).to_have_url(re.compile(rf"{LOGIN_PATH}\?next=/account/$"))


@override_settings(SCHAKEL_SESSION_IDLE_SECONDS=3, SCHAKEL_SESSION_WARNING_SECONDS=2)
def test_warning_shows_before_expiry_then_the_page_goes_to_login(page, context, sign_in):
    _no_favicon(context)
    _signed_in(sign_in)
    page.goto("/account/")
    warning = page.locator("#sessie-waarschuwing")
    expect(warning).to_be_hidden()

    expect(warning).to_be_visible(timeout=2_500)  # after idle - warning = 1 s
    expect(page.get_by_role("alertdialog")).to_contain_text("wordt u uitgelogd")
    expect(warning.get_by_role("button", name="Ingelogd blijven")).to_be_focused()

    # No answer: at idle + 2 s the page reloads itself and the server has ended the session.
    expect(page).to_have_url(re.compile(rf"{LOGIN_PATH}\?verlopen=1$"), timeout=8_000)
    expect(page.get_by_role("status")).to_contain_text(EXPIRED_NOTICE)
    assert_clean_console(page)


@override_settings(SCHAKEL_SESSION_IDLE_SECONDS=10, SCHAKEL_SESSION_WARNING_SECONDS=9)
def test_stay_signed_in_extends_the_session(page, context, sign_in):
    """Clicking "Ingelogd blijven" must restart the idle time on the server.

    The server counts idle time in whole seconds, so the margins here are whole seconds too:
    just before the click the session is made 6 s old (it could end 4 s later, so the click
    has 4 s to arrive); the check comes 5.5 s after that, when the old session would surely
    have ended (11.5 s > 10 s + rounding) and the renewed one surely has not (< 10 s).
    """
    _no_favicon(context)
    _signed_in(sign_in)
    page.goto("/account/")
    page.wait_for_load_state("networkidle")

    warning = page.locator("#sessie-waarschuwing")
    expect(warning).to_be_visible(timeout=2_500)  # at 1 s
    age_session(context, 6)
    aged = time.monotonic()
    with page.expect_response(re.compile(r"/account/sessie/verlengen/$")) as keepalive:
        warning.get_by_role("button", name="Ingelogd blijven").click()
    assert keepalive.value.status == 204
    expect(warning).to_be_hidden()

    time.sleep(max(0.0, aged + 5.5 - time.monotonic()))
    page.goto("/account/")
    assert page.url.endswith("/account/"), (
        f"logged out {time.monotonic() - aged:.1f} s after the click, although the user chose "
        f"to stay logged in (idle time 10 s); ended up at {page.url}"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn account")


@override_settings(SCHAKEL_SESSION_IDLE_SECONDS=20, SCHAKEL_SESSION_WARNING_SECONDS=19)
def test_stay_signed_in_after_a_long_idle_time(page, context, sign_in):
    """As in production: the click comes long (here 15 s) after the last request."""
    _no_favicon(context)
    _signed_in(sign_in)
    page.goto("/account/")
    page.wait_for_load_state("networkidle")
    age_session(context, 15)  # the server could end the session 5 s from here
    aged = time.monotonic()

    warning = page.locator("#sessie-waarschuwing")
    expect(warning).to_be_visible(timeout=2_500)  # at 1 s
    with page.expect_response(re.compile(r"/account/sessie/verlengen/$")) as keepalive:
        warning.get_by_role("button", name="Ingelogd blijven").click()
    assert keepalive.value.status == 204
    expect(warning).to_be_hidden()

    time.sleep(max(0.0, aged + 6.2 - time.monotonic()))  # 21.2 s > 20 s without the click
    page.goto("/account/")
    expect(page).to_have_url(re.compile(r"/account/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn account")
