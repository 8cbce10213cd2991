"""Org admins manage the users of their own organisation only; deactivation ends access."""

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from schakel.accounts import services
from schakel.accounts.models import AccountEvent, Membership, Role, User, UserSession
from tests.accounts.factories import PASSWORD, MembershipFactory, TOTPDeviceFactory
from tests.conftest import totp_code

pytestmark = pytest.mark.django_db
USERS = "/account/organisatie/gebruikers/"


@pytest.fixture
def admin(db):
    return MembershipFactory(role=Role.ORG_ADMIN)


def test_org_admin_sees_only_own_organisation(actor_client, admin):
    colleague = MembershipFactory(organisation=admin.organisation)
    stranger = MembershipFactory()
    client, _ = actor_client(admin)
    page = client.get(USERS).content.decode()
    assert colleague.user.email in page
    assert stranger.user.email not in page


def test_professional_cannot_open_user_management(actor_client):
    client, _ = actor_client()
    assert client.get(USERS).status_code == 403


def test_invite_creates_user_membership_and_sends_setup_mail(
    actor_client, admin, django_capture_on_commit_callbacks
):
    client, _ = actor_client(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            USERS, {"email": "New.Person@Example.org", "full_name": "Nieuw", "role": "professional"}
        )
    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.org")
    assert not user.has_usable_password()
    assert Membership.objects.filter(user=user, organisation=admin.organisation).exists()
    assert len(mail.outbox) == 1
    assert "/account/wachtwoord-instellen/" in mail.outbox[0].body
    assert AccountEvent.objects.filter(kind="membership_created", target_user=user).exists()


def test_invite_with_bad_input_names_the_field_and_changes_nothing(actor_client, admin):
    client, _ = actor_client(admin)
    before = User.objects.count()
    response = client.post(USERS, {"email": "not-an-email", "role": "wizard"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "email" in form.errors and "role" in form.errors
    assert User.objects.count() == before


def test_org_admin_cannot_touch_another_organisations_member(actor_client, admin):
    stranger = MembershipFactory()
    client, _ = actor_client(admin)
    url = reverse("accounts:organisation_member_action", args=[stranger.pk, "deactiveren"])
    assert client.post(url).status_code == 404
    stranger.user.refresh_from_db()
    assert stranger.user.is_active
    with pytest.raises(PermissionDenied):
        services.membership_end(actor=admin, membership=stranger)


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.ORG_ADMIN])
def test_who_may_not_manage_users_gets_404_for_an_account_as_for_an_unknown_id(actor_client, role):
    """Not 403: an account id of the own organisation answers as an id that does not exist."""
    actor = MembershipFactory(role=role)
    colleague = MembershipFactory(organisation=actor.organisation)
    client, _ = actor_client(actor)
    for pk in (colleague.pk, 2_000_000_000):
        url = reverse("accounts:organisation_member_action", args=[pk, "deactiveren"])
        assert client.post(url).status_code == 404
    colleague.user.refresh_from_db()
    assert colleague.user.is_active


def test_role_change_is_recorded(actor_client, admin):
    member = MembershipFactory(organisation=admin.organisation)
    client, _ = actor_client(admin)
    url = reverse("accounts:organisation_member_action", args=[member.pk, "rol"])
    client.post(url, {"role": "care_coordinator"})
    member.refresh_from_db()
    assert member.role == "care_coordinator"
    assert (
        AccountEvent.objects.get(kind="role_changed").detail == "professional -> care_coordinator"
    )


def _logged_in_session(client, membership):
    device = TOTPDeviceFactory(user=membership.user)
    client.post("/account/inloggen/", {"username": membership.user.email, "password": PASSWORD})
    client.post(reverse("accounts:two_factor"), {"code": totp_code(device)})
    assert client.get("/account/").status_code == 200
    return client.session.session_key


def test_deactivating_a_user_ends_sessions_and_tokens(client, admin):
    from django.test import Client

    member = MembershipFactory(organisation=admin.organisation)
    victim_client = Client()
    key = _logged_in_session(victim_client, member)
    _token, plaintext = services.api_token_issue(membership=member)
    assert UserSession.objects.filter(user=member.user).exists()

    services.user_deactivate(actor=admin, user=member.user)

    assert not Session.objects.filter(session_key=key).exists()
    assert victim_client.get("/account/").status_code == 302
    api = Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    assert api.status_code == 401
    assert services.api_token_authenticate(plaintext) is None


def test_org_admin_cannot_deactivate_user_of_several_organisations(admin):
    member = MembershipFactory(organisation=admin.organisation)
    MembershipFactory(user=member.user)
    with pytest.raises(PermissionDenied):
        services.user_deactivate(actor=admin, user=member.user)


def test_ending_membership_revokes_its_tokens(admin):
    member = MembershipFactory(organisation=admin.organisation)
    token, plaintext = services.api_token_issue(membership=member)
    services.membership_end(actor=admin, membership=member)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert services.api_token_authenticate(plaintext) is None


def test_admin_cannot_remove_own_admin_role(admin):
    with pytest.raises(ValidationError):
        services.membership_change_role(actor=admin, membership=admin, role="professional")


def test_password_setup_link_sets_password_once(
    client, actor_client, admin, django_capture_on_commit_callbacks
):
    c, _ = actor_client(admin)
    with django_capture_on_commit_callbacks(execute=True):
        c.post(USERS, {"email": "fresh@example.org", "role": "analyst"})
    link = next(line for line in mail.outbox[0].body.splitlines() if "wachtwoord-instellen" in line)
    path = link.split("8000", 1)[1]
    c.logout()
    response = client.post(
        path, {"new_password1": "A-long-new-password-42", "new_password2": "A-long-new-password-42"}
    )
    assert response.status_code == 302
    assert User.objects.get(email="fresh@example.org").check_password("A-long-new-password-42")
    assert client.get(path).status_code == 400  # token used up


def test_admin_action_deactivates_through_the_service(rf):
    from django.contrib import admin as django_admin
    from django.contrib.messages.storage.fallback import FallbackStorage

    superuser = User.objects.create_superuser("root@example.org", "A-long-password-1")
    member = MembershipFactory()
    token, _plaintext = services.api_token_issue(membership=member)
    request = rf.post("/")
    request.user = superuser
    request.session = {}
    request._messages = FallbackStorage(request)
    model_admin = django_admin.site._registry[User]
    model_admin.deactivate_users(request, User.objects.filter(pk=member.user.pk))
    member.user.refresh_from_db()
    token.refresh_from_db()
    assert not member.user.is_active and token.revoked_at is not None
    assert "is_active" in model_admin.readonly_fields
