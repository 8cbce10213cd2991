"""Login with password and second factor, lockout, session lifetime, choosing an organisation."""

import time

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice

from schakel.accounts import services
from schakel.accounts.middleware import SESSION_SEEN_KEY, SESSION_STARTED_KEY
from schakel.accounts.models import Role
from tests.accounts.factories import (
    PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    TOTPDeviceFactory,
    UserFactory,
)
from tests.conftest import totp_code

pytestmark = pytest.mark.django_db
LOGIN = "/account/inloggen/"


def _login(client, email, password=PASSWORD):
    return client.post(LOGIN, {"username": email, "password": password})


def test_password_alone_does_not_give_access_to_personal_data_roles(client):
    membership = MembershipFactory(role=Role.PROFESSIONAL)
    TOTPDeviceFactory(user=membership.user)
    response = _login(client, membership.user.email)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor"))
    # Any page other than the 2FA step sends the user back to it.
    response = client.get("/account/")
    assert response["Location"].startswith(reverse("accounts:two_factor"))
    assert client.get("/personen/")["Location"].startswith(reverse("accounts:two_factor"))


def test_totp_code_completes_login_and_picks_the_only_organisation(client):
    membership = MembershipFactory(role=Role.PROFESSIONAL)
    device = TOTPDeviceFactory(user=membership.user)
    _login(client, membership.user.email)
    response = client.post(reverse("accounts:two_factor"), {"code": totp_code(device)})
    assert response.status_code == 302
    response = client.get(response["Location"], follow=True)
    assert response.status_code == 200
    assert membership.organisation.name in response.content.decode()
    assert client.session["schakel_membership_id"] == membership.pk


def test_wrong_code_is_refused_with_a_clear_message(client):
    membership = MembershipFactory()
    TOTPDeviceFactory(user=membership.user)
    _login(client, membership.user.email)
    response = client.post(reverse("accounts:two_factor"), {"code": "000000"})
    assert response.status_code == 200
    assert "Deze code klopt niet" in response.content.decode()
    assert client.get("/account/").status_code == 302


def test_recovery_code_works_once(client):
    membership = MembershipFactory()
    TOTPDeviceFactory(user=membership.user)
    codes = services.recovery_codes_renew(user=membership.user)
    assert len(codes) == 10
    _login(client, membership.user.email)
    response = client.post(reverse("accounts:two_factor"), {"code": codes[0]})
    assert response.status_code == 302
    assert client.get("/account/").status_code == 200
    client.post(reverse("accounts:logout"))
    _login(client, membership.user.email)
    response = client.post(reverse("accounts:two_factor"), {"code": codes[0]})
    assert response.status_code == 200  # used up
    assert StaticDevice.objects.get(user=membership.user).token_set.count() == 9


def test_user_without_device_must_enrol_and_gets_recovery_codes(client):
    membership = MembershipFactory()
    _login(client, membership.user.email)
    response = client.get(reverse("accounts:two_factor"))
    assert response["Location"].startswith(reverse("accounts:two_factor_setup"))
    page = client.get(reverse("accounts:two_factor_setup"))
    assert page.status_code == 200
    assert b"<svg" in page.content
    device = membership.user.totpdevice_set.get(confirmed=False)
    response = client.post(reverse("accounts:two_factor_setup"), {"code": totp_code(device)})
    assert response.status_code == 200
    assert len(response.context["codes"]) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/account/").status_code == 200


PASSWORD_ONLY_PATHS = [
    "/monitor/",
    "/monitor/{table}/download.csv",
    "/monitor/{table}/download.xlsx",
    "/account/",
    "/kennisbank/",
]


@pytest.mark.parametrize("role", list(Role))
def test_every_role_needs_the_second_factor(client, role):
    """Issue 13.5: with the password alone nobody gets past the second step, whatever the role."""
    from schakel.monitor.tables import TABLES

    membership = MembershipFactory(role=role)
    response = _login(client, membership.user.email)
    assert response["Location"].startswith(reverse("accounts:two_factor"))
    table = next(iter(TABLES))
    for path in PASSWORD_ONLY_PATHS:
        response = client.get(path.format(table=table))
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("accounts:two_factor")), path
    for path in ["/api/v1/me/", "/api/v1/monitor/tables/", f"/api/v1/monitor/tables/{table}/"]:
        response = client.get(path)
        assert response.status_code in (401, 403), path
        assert response["Content-Type"] == "application/problem+json", path


def test_analyst_with_the_second_factor_opens_the_monitor(client):
    membership = MembershipFactory(role=Role.ANALYST)
    device = TOTPDeviceFactory(user=membership.user)
    _login(client, membership.user.email)
    client.post(reverse("accounts:two_factor"), {"code": totp_code(device)})
    assert client.get("/monitor/").status_code == 200
    assert client.get("/api/v1/me/").json()["role"] == "analyst"


def test_bad_password_names_no_detail_and_logs_nobody_in(client):
    membership = MembershipFactory()
    response = _login(client, membership.user.email, "wrong-password-123")
    assert response.status_code == 200
    assert "Het e-mailadres of het wachtwoord klopt niet" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_after_five_failures_even_with_the_right_password(client, settings):
    membership = MembershipFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, membership.user.email, "wrong-password-123")
    response = _login(client, membership.user.email)
    assert response.status_code == 429
    assert "tijdelijk geblokkeerd" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_account(client, settings):
    victim = MembershipFactory()
    other = MembershipFactory(role=Role.ANALYST)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, victim.user.email, "wrong-password-123")
    assert _login(client, other.user.email).status_code == 302


def test_idle_timeout_logs_out(actor_client, settings):
    client, _membership = actor_client()
    session = client.session
    session[SESSION_SEEN_KEY] = int(time.time()) - settings.SCHAKEL_SESSION_IDLE_SECONDS - 5
    session[SESSION_STARTED_KEY] = int(time.time()) - 100
    session.save()
    response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?verlopen=1"
    assert "_auth_user_id" not in client.session


def test_absolute_lifetime_logs_out_even_when_active(actor_client, settings):
    client, _membership = actor_client()
    session = client.session
    session[SESSION_SEEN_KEY] = int(time.time())
    session[SESSION_STARTED_KEY] = int(time.time()) - settings.SCHAKEL_SESSION_MAX_SECONDS - 1
    session.save()
    assert client.get("/account/")["Location"].endswith("?verlopen=1")


def test_activity_keeps_the_session_alive(actor_client, settings):
    client, _membership = actor_client()
    session = client.session
    session[SESSION_SEEN_KEY] = int(time.time()) - settings.SCHAKEL_SESSION_IDLE_SECONDS + 60
    session[SESSION_STARTED_KEY] = int(time.time()) - 100
    session.save()
    assert client.get("/account/").status_code == 200
    assert client.session[SESSION_SEEN_KEY] >= int(time.time()) - 2
    assert client.post(reverse("accounts:keepalive")).status_code == 204


def test_user_with_two_organisations_chooses_and_switches(actor_client):
    first = MembershipFactory()
    second = MembershipFactory(user=first.user, organisation=OrganisationFactory())
    client, _ = actor_client(first)
    page = client.get(reverse("accounts:choose_organisation"))
    assert first.organisation.name in page.content.decode()
    assert second.organisation.name in page.content.decode()
    response = client.post(
        reverse("accounts:choose_organisation"), {"membership": second.pk, "next": "/account/"}
    )
    assert response["Location"] == "/account/"
    assert client.session["schakel_membership_id"] == second.pk


def test_cannot_choose_a_membership_of_someone_else(actor_client):
    client, mine = actor_client()
    foreign = MembershipFactory()
    client.post(reverse("accounts:choose_organisation"), {"membership": foreign.pk})
    assert client.session["schakel_membership_id"] == mine.pk


def test_open_redirect_is_refused(client):
    membership = MembershipFactory(role=Role.ANALYST)
    response = client.post(
        LOGIN,
        {"username": membership.user.email, "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert "evil.example" not in response["Location"]


def test_ended_membership_is_no_longer_an_actor(actor_client):
    client, membership = actor_client()
    membership.is_active = False
    membership.save()
    response = client.get("/account/")
    assert response.status_code == 200
    assert response.context["actor"] is None


def test_user_email_login_is_case_insensitive(client):
    user = UserFactory(email="mixed@example.org")
    MembershipFactory(user=user, role=Role.ANALYST)
    assert _login(client, "MIXED@example.org").status_code == 302
