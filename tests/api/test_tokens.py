"""API tokens: hashed, expiring, revocable; errors as problem+json."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from schakel.accounts.models import ApiToken, Role
from schakel.accounts.services import api_token_issue, api_token_revoke
from tests.accounts.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _me(client, token):
    return client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_token_is_stored_hashed_and_acts_for_its_membership(client):
    membership = MembershipFactory()
    token, plaintext = api_token_issue(membership=membership)
    assert plaintext not in token.secret_hash and plaintext.split(".")[1] not in token.secret_hash
    response = _me(client, plaintext)
    assert response.status_code == 200
    assert response.json() == {
        "email": membership.user.email,
        "organisation": membership.organisation.name,
        "organisation_id": membership.organisation_id,
        "role": "professional",
    }


def test_expired_token_is_refused_with_problem_json(client):
    token, plaintext = api_token_issue(membership=MembershipFactory(), days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = _me(client, plaintext)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 401 and "verlopen" in body["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_revoked_token_is_refused(client):
    token, plaintext = api_token_issue(membership=MembershipFactory())
    api_token_revoke(token=token)
    assert _me(client, plaintext).status_code == 401


def test_tampered_secret_is_refused(client):
    _token, plaintext = api_token_issue(membership=MembershipFactory())
    assert _me(client, plaintext[:-2] + "xx").status_code == 401
    assert _me(client, "sk_nothing").status_code == 401


def test_no_credentials_gives_401_problem(client):
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["type"].endswith("not_authenticated")


def test_validity_is_bounded():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        api_token_issue(membership=MembershipFactory(), days=0)


def test_command_prints_a_working_token_and_can_revoke_it(client):
    membership = MembershipFactory()
    out, err = StringIO(), StringIO()
    call_command("api_token", membership.user.email, stdout=out, stderr=err)
    plaintext = out.getvalue().strip()
    assert _me(client, plaintext).status_code == 200
    prefix = plaintext[3:].split(".")[0]
    call_command("api_token", revoke=prefix, stdout=StringIO())
    assert _me(client, plaintext).status_code == 401


def test_command_asks_to_choose_when_user_has_several_organisations():
    membership = MembershipFactory()
    other = MembershipFactory(user=membership.user, organisation=OrganisationFactory())
    with pytest.raises(CommandError, match="several memberships"):
        call_command("api_token", membership.user.email, stdout=StringIO(), stderr=StringIO())
    out = StringIO()
    call_command(
        "api_token",
        membership.user.email,
        organisation=other.organisation_id,
        stdout=out,
        stderr=StringIO(),
    )
    assert ApiToken.objects.get().membership == other


def test_command_rejects_unknown_user():
    with pytest.raises(CommandError, match="no active user"):
        call_command("api_token", "nobody@example.org", stdout=StringIO(), stderr=StringIO())


def test_session_without_second_factor_cannot_use_the_api(client):
    membership = MembershipFactory(role=Role.PROFESSIONAL)
    client.force_login(membership.user)
    assert client.get("/api/v1/me/").status_code in (401, 403)


def test_verified_session_can_use_the_api(actor_client):
    client, membership = actor_client()
    assert client.get("/api/v1/me/").json()["organisation_id"] == membership.organisation_id


@pytest.mark.parametrize("method", ["get", "post"])
def test_token_of_a_deactivated_organisation_is_refused(client, method):
    """Issue 13.1: a token must not outlive its organisation (the web session does not)."""
    membership = MembershipFactory()
    _token, plaintext = api_token_issue(membership=membership)
    assert _me(client, plaintext).status_code == 200
    membership.organisation.is_active = False
    membership.organisation.save(update_fields=["is_active"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}
    if method == "get":
        response = client.get("/api/v1/persons/", **auth)
    else:
        response = client.post(
            "/api/v1/persons/",
            {"given_name": "Sara", "family_name": "Jansen", "date_of_birth": "2010-01-02"},
            content_type="application/json",
            **auth,
        )
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    from schakel.people.models import Person

    assert not Person.objects.exists()


@pytest.mark.parametrize("what", ["membership", "user"])
def test_token_of_an_ended_membership_or_user_is_refused(client, what):
    membership = MembershipFactory()
    _token, plaintext = api_token_issue(membership=membership)
    target = membership if what == "membership" else membership.user
    target.is_active = False
    target.save(update_fields=["is_active"])
    assert _me(client, plaintext).status_code == 401
