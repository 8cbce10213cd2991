"""The registration statement on PostgreSQL: prepared once per connection, then only executed;
sent as itself when prepared statements are turned off; and recovered after a first attempt that
failed half-way (a PREPARE outlives the rolled-back transaction)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from schakel.signal_index import hotpath
from schakel.signal_index.models import SignalMatch

from .factories import identifiers, professional, register

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statements"),
]
NAME = "schakel_signal_register_2"  # a person with a BSN and a name: two pseudonyms


def _deallocate():
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM pg_prepared_statements WHERE name = %s", [NAME])
        if cursor.fetchone()[0]:
            cursor.execute(f"DEALLOCATE {NAME}")
    hotpath._prepared.get(connection.connection, {}).pop(NAME, None)


def _statements(run) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        run()
    return [q["sql"] for q in queries.captured_queries]


def test_prepared_once_then_only_executed():
    connection.ensure_connection()
    _deallocate()
    school, police = professional("onderwijs"), professional("politie")
    first = _statements(lambda: register(school, identifiers(601)))
    assert sum(f"PREPARE {NAME} AS" in sql for sql in first) == 1
    second = _statements(lambda: register(police, identifiers(601)))
    assert not any("PREPARE" in sql for sql in second)
    assert sum(sql.startswith(f"EXECUTE {NAME}(") for sql in second) == 1
    assert SignalMatch.objects.count() == 1


def test_turned_off_the_statement_is_sent_as_itself(settings):
    settings.SCHAKEL_DB_PREPARED_STATEMENTS = False
    school, police = professional("onderwijs"), professional("politie")
    register(school, identifiers(602))
    sent = _statements(lambda: register(police, identifiers(602)))
    assert not any("PREPARE" in sql or "EXECUTE" in sql for sql in sent)
    assert any(sql.startswith("WITH hits AS") for sql in sent)
    assert SignalMatch.objects.count() == 1


@pytest.mark.parametrize("exists", [True, False])
def test_after_a_failed_first_attempt_the_server_is_asked(exists):
    connection.ensure_connection()
    _deallocate()
    if exists:  # the PREPARE went through, what came after it failed
        register(professional(), identifiers(603))
    hotpath._prepared.setdefault(connection.connection, {})[NAME] = "pending"
    sent = _statements(lambda: register(professional(), identifiers(604)))
    assert any("FROM pg_prepared_statements" in sql for sql in sent)
    assert any(f"PREPARE {NAME} AS" in sql for sql in sent) is not exists
    assert hotpath._prepared[connection.connection][NAME] is True
