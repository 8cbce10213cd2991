"""Two registrations at the same moment (PostgreSQL, where requests run in parallel; SQLite
serialises writers itself).

The first registration is held open in its transaction; the second must wait for it (the
advisory locks on the organisation and on the person's pseudonyms) and then see it, instead of
reading past it: for matching, for renewing, and for the rate limits."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from schakel.privacy.services import processing_log_verify
from schakel.signal_index import hotpath
from schakel.signal_index.models import SignalMatch, SignalRegistration
from schakel.signal_index.services import RateLimited

from .factories import identifiers, professional, register

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="parallel transactions: PostgreSQL only"
    ),
]


def _waiting_for_an_index_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
            "AND classid IN (%s, %s)",
            [hotpath.LOCK_CLASS, hotpath.LOCK_RATE],
        )
        return cursor.fetchone()[0] > 0


def _race(first_actor, second_actor, ids, second_ids=None):
    """`first_actor` registers `ids` and keeps its transaction open until `second_actor`'s
    registration (of `second_ids`, default the same) is waiting; then commits. Returns both
    calls' results, or the exception each raised."""
    holding, release = threading.Event(), threading.Event()
    results, errors = {}, []

    def first():
        try:
            with transaction.atomic():
                results["first"] = register(first_actor, ids)
                holding.set()
                release.wait(10)
        except Exception as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
            holding.set()
        finally:
            connections.close_all()

    def second():
        try:
            results["second"] = register(second_actor, second_ids or ids)
        except RateLimited as refused:
            results["second"] = refused
        except Exception as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connections.close_all()

    one = threading.Thread(target=first)
    one.start()
    assert holding.wait(10)
    two = threading.Thread(target=second)
    two.start()
    deadline = time.monotonic() + 10
    while not _waiting_for_an_index_lock():
        assert time.monotonic() < deadline, "the second registration did not wait"
        assert two.is_alive(), "the second registration did not wait"
        time.sleep(0.01)
    release.set()
    one.join(10)
    two.join(10)
    assert not errors, errors
    return results


def test_two_organisations_at_once_still_find_each_other():
    school = professional(domain="onderwijs")
    police = professional(domain="politie")
    results = _race(school, police, identifiers(401))
    assert [m.cross_domain for m in results["second"].new_matches] == [True]
    match = SignalMatch.objects.get()
    assert {match.registration_a.organisation_id, match.registration_b.organisation_id} == {
        school.organisation_id,
        police.organisation_id,
    }
    assert processing_log_verify().ok


def test_one_organisation_at_once_keeps_one_registration():
    mentor = professional()
    colleague = professional(organisation=mentor.organisation)
    results = _race(mentor, colleague, identifiers(402))
    assert results["second"].renewed
    assert SignalRegistration.objects.count() == 1
    assert SignalRegistration.objects.get().version == 2


def test_a_rate_limit_holds_for_parallel_calls(settings):
    settings.SCHAKEL_SIGNAL_RATE_PER_USER_HOUR = 1
    mentor = professional()
    results = _race(mentor, mentor, identifiers(403), identifiers(404))
    assert isinstance(results["second"], RateLimited)
    assert SignalRegistration.objects.count() == 1


def test_the_organisation_limit_holds_for_parallel_calls_of_colleagues(settings):
    settings.SCHAKEL_SIGNAL_RATE_PER_ORG_DAY = 1
    mentor = professional()
    colleague = professional(organisation=mentor.organisation)
    results = _race(mentor, colleague, identifiers(405), identifiers(406))
    assert isinstance(results["second"], RateLimited)
    assert SignalRegistration.objects.count() == 1
