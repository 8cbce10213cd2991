"""Background work on huey: the production path (Redis), the periodic schedule, the configuration.

The Redis tests use a RedisHuey of their own (a unique queue name on database 15), register the
project's task functions on it the way `manage.py run_huey` does through autodiscovery, and then
enqueue, dequeue and execute exactly as a web process and a worker would.
"""

import time
import uuid
from datetime import datetime, timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import connections
from django.utils import timezone
from huey import RedisHuey
from huey.contrib.djhuey import HUEY

from schakel.accounts.models import UserSession
from schakel.accounts.tasks import clear_expired_sessions, send_password_setup
from tests.accounts.factories import UserFactory
from tests.conf.subprocess_env import production_env, run_django

REDIS_URL = "redis://127.0.0.1:6379/15"


def _redis_unreachable_reason() -> str | None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        return f"Redis not reachable at {REDIS_URL} ({error}): production queue path NOT tested"
    return None


@pytest.fixture
def redis_huey():
    """A RedisHuey like production's (RedisHuey, utc, not immediate), with the project's tasks."""
    reason = _redis_unreachable_reason()
    if reason:
        pytest.skip(reason)
    huey = RedisHuey(f"schakel-test-{uuid.uuid4().hex}", url=REDIS_URL, utc=True, immediate=False)
    huey.task()(send_password_setup)
    huey.periodic_task(
        lambda timestamp: clear_expired_sessions.task_class().validate_datetime(timestamp)
    )(clear_expired_sessions)
    yield huey
    huey.flush()
    huey.storage.conn.connection_pool.disconnect()


def _work_one(huey) -> None:
    """What one worker loop iteration does: take the next message from Redis and run it."""
    task = huey.dequeue()
    assert task is not None, "the queue was empty"
    huey.execute(task)


def _session(key: str, *, expires_in: timedelta) -> Session:
    return Session.objects.create(
        session_key=key, session_data="", expire_date=timezone.now() + expires_in
    )


# --- the production path: RedisHuey ---------------------------------------------------------


@pytest.mark.redis
@pytest.mark.django_db
def test_password_setup_mail_travels_through_redis(redis_huey):
    user = UserFactory(email="nieuw@example.org")
    assert HUEY.immediate, "test settings run djhuey tasks in-process"

    # The message the project's task wrapper builds, put on the Redis queue.
    redis_huey.enqueue(send_password_setup.s(user.pk))
    assert redis_huey.pending_count() == 1
    assert mail.outbox == [], "nothing may happen before a worker takes the message"

    _work_one(redis_huey)

    assert redis_huey.pending_count() == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nieuw@example.org"]
    assert "/account/wachtwoord-instellen/" in message.body


@pytest.mark.redis
@pytest.mark.django_db
def test_task_for_inactive_user_sends_nothing(redis_huey):
    user = UserFactory(is_active=False)
    redis_huey.enqueue(send_password_setup.s(user.pk))
    _work_one(redis_huey)
    assert mail.outbox == []


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_consumer_threads_run_the_task(redis_huey):
    """A real huey consumer (worker thread + scheduler) picks the message up from Redis."""
    user = UserFactory(email="consumer@example.org")

    @redis_huey.post_execute()
    def close_worker_connections(task, task_value, exc):
        connections.close_all()  # the worker thread's own database connection

    consumer = redis_huey.create_consumer(
        workers=1,
        worker_type="thread",
        periodic=False,
        check_worker_health=False,
        shutdown_timeout=10,
    )
    consumer._set_signal_handlers = lambda: None  # leave pytest's signal handling alone
    redis_huey.enqueue(send_password_setup.s(user.pk))
    consumer.start()
    try:
        deadline = time.monotonic() + 15  # a generous limit for slow CI, not a measurement
        while not mail.outbox and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        consumer.stop(graceful=True)
    assert [m.to for m in mail.outbox] == [["consumer@example.org"]]
    assert not any(t.is_alive() for _, t in consumer.worker_threads)


@pytest.mark.redis
@pytest.mark.django_db
def test_scheduler_enqueues_session_cleanup_on_redis_at_half_past(redis_huey):
    user = UserFactory()
    _session("expired-session-key", expires_in=timedelta(minutes=-1))
    UserSession.objects.create(user=user, session_key="expired-session-key")

    # What the consumer's scheduler does each minute: enqueue the periodic tasks that are due.
    assert redis_huey.read_periodic(datetime(2025, 3, 3, 10, 15)) == []
    due = redis_huey.read_periodic(datetime(2025, 3, 3, 10, 30))
    assert [type(task).__name__ for task in due] == ["clear_expired_sessions"]
    for task in due:
        redis_huey.enqueue(task)
    _work_one(redis_huey)

    assert not Session.objects.exists()
    assert not UserSession.objects.exists()


# --- the periodic task itself and its registration --------------------------------------------


@pytest.mark.django_db
def test_clear_expired_sessions_removes_expired_sessions_and_their_bookkeeping():
    user = UserFactory()
    _session("live-key", expires_in=timedelta(hours=1))
    _session("expired-key", expires_in=timedelta(seconds=-1))
    UserSession.objects.create(user=user, session_key="live-key")
    UserSession.objects.create(user=user, session_key="expired-key")
    UserSession.objects.create(user=user, session_key="already-gone-key")

    removed = clear_expired_sessions.call_local()

    assert removed == 2
    assert list(Session.objects.values_list("session_key", flat=True)) == ["live-key"]
    assert list(UserSession.objects.values_list("session_key", flat=True)) == ["live-key"]


@pytest.mark.django_db
def test_clear_expired_sessions_with_nothing_to_do():
    _session("live-key", expires_in=timedelta(hours=1))
    assert clear_expired_sessions.call_local() == 0
    assert Session.objects.count() == 1


def test_session_cleanup_is_a_registered_periodic_task_every_half_hour():
    periodic = {type(task).__name__: task for task in HUEY._registry.periodic_tasks}
    assert "clear_expired_sessions" in periodic
    assert "send_password_setup" not in periodic
    schedule = periodic["clear_expired_sessions"]
    assert schedule.validate_datetime(datetime(2025, 3, 3, 10, 0))
    assert schedule.validate_datetime(datetime(2025, 3, 3, 10, 30))
    assert not schedule.validate_datetime(datetime(2025, 3, 3, 10, 29))
    due = HUEY.read_periodic(datetime(2025, 3, 3, 23, 30))
    assert "clear_expired_sessions" in [type(task).__name__ for task in due]


# --- configuration per environment (fresh processes) -------------------------------------------

_DESCRIBE_HUEY = (
    "import django, json; django.setup(); "
    "from django.conf import settings; from huey.contrib.djhuey import HUEY; "
    "from huey.consumer_options import ConsumerConfig; "
    "storage = HUEY.storage; kwargs = getattr(getattr(storage, 'pool', None), "
    "'connection_kwargs', {}); "
    "print(json.dumps({'setting': settings.HUEY['huey_class'], 'class': type(HUEY).__name__, "
    "'immediate': HUEY.immediate, 'utc': HUEY.utc, "
    "'filename': getattr(storage, 'filename', None), 'host': kwargs.get('host'), "
    "'db': kwargs.get('db'), "
    "'periodic': ConsumerConfig(**settings.HUEY['consumer']).periodic}))"
)


def _huey_config(env):
    import json

    result = run_django(["-c", _DESCRIBE_HUEY], env, manage=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_dev_settings_queue_on_sqlite_under_var_dir(tmp_path):
    config = _huey_config(
        {"DJANGO_SETTINGS_MODULE": "schakel.conf.dev", "SCHAKEL_VAR_DIR": str(tmp_path)}
    )
    assert config["setting"] == "huey.SqliteHuey"
    assert config["class"] == "SqliteHuey"
    assert config["filename"] == str(tmp_path / "huey.sqlite3")
    assert config["immediate"] is False, "make run's run_huey must do the work, not the request"
    assert config["periodic"] is True


def test_production_settings_queue_on_redis_from_redis_url(tmp_path):
    env = production_env(tmp_path)
    env["REDIS_URL"] = "redis://queue.internal.example:6380/3"
    config = _huey_config(env)
    assert config["setting"] == "huey.RedisHuey"
    assert config["class"] == "RedisHuey"
    assert (config["host"], config["db"]) == ("queue.internal.example", 3)
    assert config["immediate"] is False
    assert config["utc"] is True
    assert config["periodic"] is True, "the production consumer runs the periodic schedule"


def test_each_job_gets_its_own_trace_and_the_request_keeps_its_own(redis_huey):
    """A worker thread runs many jobs: each job's processing-log entries carry a trace id of
    their own (not the first job's), and running a job does not change the caller's trace."""
    from schakel.privacy import task_trace
    from schakel.privacy.trace import current_trace_id, end_trace, start_trace

    task_trace.register(redis_huey)
    seen = []

    @redis_huey.task()
    def note_trace():
        seen.append(current_trace_id())

    token = start_trace()
    try:
        mine = current_trace_id()
        note_trace()
        note_trace()
        _work_one(redis_huey)
        _work_one(redis_huey)
        assert len(set(seen)) == 2 and mine not in seen
        assert current_trace_id() == mine
    finally:
        end_trace(token)
