"""Issue 13.4: failed logins are limited per account across addresses, not only per address."""

import re

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from schakel.accounts.models import AccountEvent, Role
from tests.accounts.factories import PASSWORD, MembershipFactory, TOTPDeviceFactory

pytestmark = pytest.mark.django_db
LOGIN = "/account/inloggen/"


def _login(client, email, password=PASSWORD, address="127.0.0.1"):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=address)


def _spray(client, email, count, first_address=1):
    """`count` wrong passwords, each from another address (below axes' per-address limit)."""
    for n in range(first_address, first_address + count):
        _login(client, email, "wrong-password-123", address=f"10.0.{n // 250}.{n % 250 + 1}")


@pytest.fixture
def limits(settings):
    settings.SCHAKEL_ACCOUNT_FAILURE_LIMIT = 6
    return settings


def test_per_address_lockout_still_holds(client, limits):
    membership = MembershipFactory()
    for _ in range(limits.AXES_FAILURE_LIMIT):
        _login(client, membership.user.email, "wrong-password-123")
    assert _login(client, membership.user.email).status_code == 429


def test_many_addresses_lock_the_account_even_for_the_right_password(client, limits):
    membership = MembershipFactory()
    _spray(client, membership.user.email, limits.SCHAKEL_ACCOUNT_FAILURE_LIMIT)
    response = _login(client, membership.user.email, address="192.0.2.77")
    assert response.status_code == 429
    assert "Dit account is vergrendeld" in response.content.decode()
    assert "_auth_user_id" not in client.session
    membership.user.refresh_from_db()
    assert membership.user.locked_at is not None
    assert AccountEvent.objects.filter(
        kind=AccountEvent.Kind.ACCOUNT_LOCKED, target_user=membership.user
    ).exists()


def test_below_the_limit_the_right_password_works(client, limits):
    membership = MembershipFactory()
    _spray(client, membership.user.email, limits.SCHAKEL_ACCOUNT_FAILURE_LIMIT - 1)
    response = _login(client, membership.user.email, address="192.0.2.77")
    assert response.status_code == 302


def test_a_locked_account_looks_the_same_for_a_wrong_password(client, limits):
    """No password oracle: right and wrong passwords get the same answer once locked."""
    membership = MembershipFactory()
    _spray(client, membership.user.email, limits.SCHAKEL_ACCOUNT_FAILURE_LIMIT)
    right = _login(client, membership.user.email, address="192.0.2.80")
    wrong = _login(client, membership.user.email, "nope-nope-nope", address="192.0.2.81")
    assert right.status_code == wrong.status_code == 429

    def page(response):  # the CSP nonce and the CSRF token differ per response
        text = re.sub(r'nonce="[^"]*"', "", response.content.decode())
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)

    assert page(right) == page(wrong)


def test_other_accounts_are_not_affected(client, limits):
    victim = MembershipFactory()
    other = MembershipFactory(role=Role.ANALYST)
    _spray(client, victim.user.email, limits.SCHAKEL_ACCOUNT_FAILURE_LIMIT)
    assert _login(client, other.user.email, address="192.0.2.9").status_code == 302


def test_the_owner_unlocks_by_the_emailed_link_once(
    client, limits, django_capture_on_commit_callbacks
):
    membership = MembershipFactory()
    admin = MembershipFactory(organisation=membership.organisation, role=Role.ORG_ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        _spray(client, membership.user.email, limits.SCHAKEL_ACCOUNT_FAILURE_LIMIT)
    to_owner = [m for m in mail.outbox if m.to == [membership.user.email]]
    to_admin = [m for m in mail.outbox if m.to == [admin.user.email]]
    assert len(to_owner) == 1 and len(to_admin) == 1
    assert membership.user.email in to_admin[0].body
    link = re.search(r"https?://\S+/account/ontgrendelen/\S+/", to_owner[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    # A GET (as a mail scanner would do) changes nothing.
    assert client.get("/" + path).status_code == 200
    membership.user.refresh_from_db()
    assert membership.user.locked_at is not None
    response = client.post("/" + path)
    assert response.status_code == 302
    membership.user.refresh_from_db()
    assert membership.user.locked_at is None and membership.user.login_failures == 0
    assert _login(client, membership.user.email, address="192.0.2.50").status_code == 302
    # The link works once.
    client.logout()
    assert client.post("/" + path).status_code == 400


def test_a_tampered_unlock_link_is_refused(client, limits):
    membership = MembershipFactory()
    _spray(client, membership.user.email, limits.SCHAKEL_ACCOUNT_FAILURE_LIMIT)
    response = client.post(reverse("accounts:unlock", kwargs={"token": "eyJ1IjoxfQ:abc:def"}))
    assert response.status_code == 400
    assert "werkt niet meer" in response.content.decode()
    membership.user.refresh_from_db()
    assert membership.user.locked_at is not None


def test_an_org_admin_unlocks_a_member(client, actor_client, limits):
    membership = MembershipFactory()
    _spray(client, membership.user.email, limits.SCHAKEL_ACCOUNT_FAILURE_LIMIT)
    admin_client, _admin = actor_client(organisation=membership.organisation, role=Role.ORG_ADMIN)
    page = admin_client.get(reverse("accounts:organisation_users")).content.decode()
    assert "vergrendeld" in page and "ontgrendelen" in page
    url = reverse("accounts:organisation_member_action", args=[membership.pk, "ontgrendelen"])
    assert admin_client.post(url).status_code == 302
    membership.user.refresh_from_db()
    assert membership.user.locked_at is None


def test_an_admin_of_another_organisation_cannot_unlock(client, actor_client, limits):
    membership = MembershipFactory()
    _spray(client, membership.user.email, limits.SCHAKEL_ACCOUNT_FAILURE_LIMIT)
    admin_client, _admin = actor_client(role=Role.ORG_ADMIN)
    url = reverse("accounts:organisation_member_action", args=[membership.pk, "ontgrendelen"])
    assert admin_client.post(url).status_code == 404
    membership.user.refresh_from_db()
    assert membership.user.locked_at is not None


def test_operator_command_lists_and_unlocks(client, limits, capsys):
    membership = MembershipFactory()
    _spray(client, membership.user.email, limits.SCHAKEL_ACCOUNT_FAILURE_LIMIT)
    call_command("unlock_account", show_list=True)
    assert membership.user.email in capsys.readouterr().out
    call_command("unlock_account", membership.user.email.upper())
    membership.user.refresh_from_db()
    assert membership.user.locked_at is None
    with pytest.raises(CommandError, match="niet vergrendeld"):
        call_command("unlock_account", membership.user.email)
    with pytest.raises(CommandError, match="no account"):
        call_command("unlock_account", "nobody@example.org")


def test_failures_outside_the_window_do_not_add_up(client, limits):
    from datetime import timedelta

    from django.utils import timezone

    membership = MembershipFactory()
    _spray(client, membership.user.email, limits.SCHAKEL_ACCOUNT_FAILURE_LIMIT - 1)
    user = membership.user
    user.refresh_from_db()
    user.login_failures_since = timezone.now() - limits.SCHAKEL_ACCOUNT_FAILURE_WINDOW
    user.login_failures_since -= timedelta(minutes=1)
    user.save(update_fields=["login_failures_since"])
    _spray(client, user.email, 1, first_address=200)
    user.refresh_from_db()
    assert user.login_failures == 1 and user.locked_at is None


def test_unknown_addresses_are_not_counted_or_revealed(client, limits):
    _spray(client, "nobody@example.org", limits.SCHAKEL_ACCOUNT_FAILURE_LIMIT + 1)
    response = _login(client, "nobody@example.org", address="192.0.2.1")
    assert response.status_code == 200
    assert "klopt niet" in response.content.decode()


def test_a_locked_account_loses_its_sessions(client, actor_client, limits):
    user_client, membership = actor_client()
    TOTPDeviceFactory(user=membership.user)
    from schakel.accounts.services import user_session_register

    user_session_register(user=membership.user, session_key=user_client.session.session_key)
    _spray(client, membership.user.email, limits.SCHAKEL_ACCOUNT_FAILURE_LIMIT)
    response = user_client.get("/account/")
    assert response.status_code == 302
