"""API rate limits: per user across tokens and sessions, per address for anonymous calls."""

import pytest
from django.core.cache import cache

from schakel.accounts.services import api_token_issue
from tests.accounts.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(settings):
    settings.SCHAKEL_API_RATES = {"user": "3/minute", "anonymous": "2/minute"}
    cache.clear()
    yield settings
    cache.clear()


def test_a_user_is_limited_across_tokens_with_a_problem_and_retry_after(client, rates):
    membership = MembershipFactory()
    _t1, first = api_token_issue(membership=membership)
    _t2, second = api_token_issue(membership=membership)
    statuses = [
        client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code
        for token in (first, second, first, second)
    ]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {first}")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert int(response["Retry-After"]) > 0
    assert response.json()["status"] == 429


def test_other_users_are_not_limited_by_one_user(client, rates):
    _t, busy = api_token_issue(membership=MembershipFactory())
    _t, calm = api_token_issue(membership=MembershipFactory())
    for _ in range(4):
        client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {busy}")
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {calm}").status_code == 200


def test_anonymous_calls_are_limited_per_address(client, rates):
    first = [client.get("/api/v1/recommendations/", REMOTE_ADDR="192.0.2.1") for _ in range(3)]
    assert [r.status_code for r in first] == [200, 200, 429]
    assert client.get("/api/v1/recommendations/", REMOTE_ADDR="192.0.2.2").status_code == 200


def test_behind_a_proxy_the_forwarded_address_counts(client, rates):
    rates.SCHAKEL_TRUSTED_PROXY_COUNT = 1
    for _ in range(2):
        client.get(
            "/api/v1/recommendations/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.7"
        )
    other = client.get(
        "/api/v1/recommendations/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.8"
    )
    assert other.status_code == 200


def test_an_empty_rate_switches_the_limit_off(client, rates):
    rates.SCHAKEL_API_RATES = {"user": None, "anonymous": None}
    assert all(client.get("/api/v1/recommendations/").status_code == 200 for _ in range(5))
