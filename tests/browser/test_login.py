"""Logging in through the real pages: password, second factor, enrolment, organisation choice."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.accounts.factories import MembershipFactory, TOTPDeviceFactory, UserFactory
from tests.browser.helpers import LOGIN_PATH, code_from_secret, log_in_with_form, submit_password
from tests.conftest import totp_code

pytestmark = pytest.mark.browser


def test_login_with_code_and_organisation_choice(page, live_server):
    user = UserFactory()
    first = MembershipFactory(user=user, organisation__name="Jeugdzorg Noord")
    second = MembershipFactory(user=user, organisation__name="Wijkteam Zuid")
    device = TOTPDeviceFactory(user=user)

    log_in_with_form(page, user, device)

    expect(page).to_have_url(re.compile(r"/account/organisatie-kiezen/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Namens welke organisatie werkt u nu?"
    )
    expect(page.get_by_label(f"{first.organisation.name} — Professional")).to_be_checked()
    page.get_by_label(f"{second.organisation.name} — Professional").check()
    page.get_by_role("button", name="Verder").click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator(".acting-as")).to_contain_text(f"U werkt namens {second.organisation.name}")
    expect(page.get_by_role("status")).to_contain_text(
        f"U werkt nu namens {second.organisation.name}"
    )


def test_login_returns_to_the_page_asked_for(page, live_server):
    membership = MembershipFactory()
    device = TOTPDeviceFactory(user=membership.user)

    page.goto("/account/")
    expect(page).to_have_url(re.compile(r"/account/inloggen/\?next=/account/"))
    submit_password(page, membership.user.email)
    page.get_by_label("Code").fill(totp_code(device))
    page.get_by_role("button", name="Verder").click()

    expect(page).to_have_url(f"{live_server.url}/account/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn account")
    expect(page.locator(".acting-as")).to_contain_text(
        f"U werkt namens {membership.organisation.name}"
    )


def test_wrong_password_gives_a_clear_message(page):
    membership = MembershipFactory()

    page.goto(LOGIN_PATH)
    submit_password(page, membership.user.email, "not-the-password")

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Controleer wat u hebt ingevuld")
    expect(summary).to_contain_text("Het e-mailadres of het wachtwoord klopt niet.")
    expect(page.get_by_label("E-mailadres")).to_have_value(membership.user.email)


def test_first_login_enrols_an_authenticator(page, live_server):
    membership = MembershipFactory()  # a professional: must use 2FA, has no device yet
    user = membership.user

    page.goto(LOGIN_PATH)
    submit_password(page, user.email)

    expect(page).to_have_url(re.compile(r"/account/tweestaps/instellen/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tweestapsverificatie instellen")
    expect(
        page.get_by_role("img", name="QR-code om Schakel aan uw app toe te voegen")
    ).to_be_visible()
    secret = page.locator(".secret").inner_text()
    page.get_by_label("Code uit de app").fill(code_from_secret(secret))
    page.get_by_role("button", name="Bevestigen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Uw herstelcodes")
    codes = page.locator(".codes li")
    expect(codes).to_have_count(10)
    assert all(re.fullmatch(r"[a-z0-9]{8}", code) for code in codes.all_inner_texts())
    assert TOTPDevice.objects.get(user=user).confirmed

    page.get_by_role("link", name="Ik heb de codes bewaard").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator(".acting-as")).to_contain_text(
        f"U werkt namens {membership.organisation.name}"
    )


def test_enrolment_refuses_a_wrong_code(page):
    membership = MembershipFactory()

    page.goto(LOGIN_PATH)
    submit_password(page, membership.user.email)
    expect(page).to_have_url(re.compile(r"/account/tweestaps/instellen/"))
    page.get_by_label("Code uit de app").fill("000000")
    page.get_by_role("button", name="Bevestigen").click()

    expect(page.get_by_role("alert")).to_contain_text("De code klopt niet")
    expect(page.get_by_label("Code uit de app")).to_have_attribute("aria-invalid", "true")
    assert not TOTPDevice.objects.filter(user=membership.user, confirmed=True).exists()
