"""Production settings: a complete environment passes `check --deploy`; a gap stops the start."""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conf.subprocess_env import REPO, production_env, run_django

REQUIRED = (
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "SCHAKEL_PERSON_KEYS",
    "SCHAKEL_PSEUDONYM_KEYS",
    "SCHAKEL_LOG_KEYS",
    "SCHAKEL_LOG_CHECKPOINT_KEYS",
    "SCHAKEL_LOG_CHECKPOINT_DIR",
    "REDIS_URL",
    "EMAIL_URL",
    "SCHAKEL_BASE_URL",
)
# base.py parses these two first (with a default), so an *empty* value fails there, before
# production.py can name it. The process still refuses to start.
PARSED_IN_BASE = ("DATABASE_URL", "EMAIL_URL")


def test_complete_environment_passes_deploy_checks_without_warnings(tmp_path):
    result = run_django(["check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output and "?: (" not in output


def test_production_settings_hold_the_environment_values(tmp_path):
    env = production_env(tmp_path)
    script = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.DEBUG, s.SECRET_KEY, s.ALLOWED_HOSTS, s.SCHAKEL_PERSON_KEYS, "
        "s.SCHAKEL_DEMO_ALLOWED, s.SESSION_COOKIE_SECURE, s.EMAIL_HOST, s.EMAIL_PORT, "
        "s.DATABASES['default']['NAME']]))"
    )
    result = run_django(["-c", script], env, manage=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        f'[false, "{env["SECRET_KEY"]}", ["schakel.example.nl"], '
        f'"{env["SCHAKEL_PERSON_KEYS"]}", false, true, "mail.example.nl", 587, '
        f'"{tmp_path / "production.sqlite3"}"]'
    )


@pytest.mark.parametrize("name", REQUIRED)
def test_missing_variable_stops_the_start_and_names_it(tmp_path, name):
    env = production_env(tmp_path)
    del env[name]
    result = run_django(["check"], env)
    assert result.returncode != 0
    assert f"Set the {name} environment variable" in result.stderr


@pytest.mark.parametrize("name", REQUIRED)
def test_empty_variable_stops_the_start(tmp_path, name):
    env = production_env(tmp_path)
    env[name] = ""
    result = run_django(["check"], env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr or "KeyError" in result.stderr
    if name not in PARSED_IN_BASE:
        assert f"Set the {name} environment variable (it is empty)" in result.stderr


def test_demo_data_is_refused_in_production(tmp_path):
    result = run_django(["seed_demo"], production_env(tmp_path))
    assert result.returncode != 0
    assert "refused under production settings" in result.stderr


def test_wsgi_entry_point_defaults_to_production_settings(tmp_path):
    env = production_env(tmp_path)
    del env["DJANGO_SETTINGS_MODULE"]
    script = (
        "import schakel.wsgi; from django.conf import settings; "
        "print(settings.SETTINGS_MODULE, settings.DEBUG)"
    )
    result = run_django(["-c", script], env, manage=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["schakel.conf.production", "False"]


def test_gunicorn_serves_the_documented_command(tmp_path):
    """`gunicorn schakel.wsgi:application --chdir src` (docs/operations.md) starts and answers."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = production_env(tmp_path)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [
        str(gunicorn), "schakel.wsgi:application", "--chdir", "src", "--workers", "1",
        "--bind", f"127.0.0.1:{port}",
    ]  # fmt: skip
    base = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    log = tmp_path / "gunicorn.log"

    def get(path, **headers):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            conn.request("GET", path, headers={"Host": "schakel.example.nl", **headers})
            response = conn.getresponse()
            return response.status, response.getheader("Location"), response.read()
        finally:
            conn.close()

    with log.open("w") as log_file:
        server = subprocess.Popen(  # noqa: S603 - fixed argument list, no shell
            command, cwd=REPO, env={**base, **env}, stdout=log_file, stderr=log_file
        )
        try:
            deadline = time.monotonic() + 30  # start-up limit for slow machines, not a timing
            while True:
                try:
                    status, _location, body = get("/health/")
                    break
                except OSError as error:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise AssertionError(
                            f"gunicorn did not start: {log.read_text()}"
                        ) from error
                    time.sleep(0.2)
            assert (status, body) == (200, b'{"status": "ok", "database": "ok"}')
            status, location, _body = get("/account/inloggen/")
            assert (status, location) == (301, "https://schakel.example.nl/account/inloggen/")
            status, location, _body = get("/health/", **{"X-Forwarded-Proto": "https"})
            assert (status, location) == (200, None)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
