"""Browser fixtures: one Chromium per test session (per xdist worker), a fresh context per test.

We drive Debian's Chromium (/usr/bin/chromium) with Playwright's sync API against
pytest-django's `live_server` (a thread of this process, on the transactional test database).
"""

import os

import pytest
from playwright.sync_api import sync_playwright

from tests.browser.helpers import CHROMIUM, LAUNCH_ARGS, new_context, sign_in_context


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make chromium`")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def make_context(browser, live_server, django_db_serialized_rollback):
    """Factory for browser contexts on the live server (closed after the test).

    live_server flushes the database after each test, which also removes rows that data
    migrations create; serialized rollback restores them before the next test.
    """
    contexts = []

    def make(**options):
        context = new_context(browser, live_server.url, **options)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def context(make_context):
    return make_context()


@pytest.fixture
def page(context):
    """A page that collects script errors and Content-Security-Policy violations.

    Tests that expect a clean console call `assert_clean_console(page)`, which reads the list
    kept on `page.problems`.
    """
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on(
        "console",
        lambda message: (
            problems.append(f"console: {message.text}")
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    page.problems = problems
    return page


@pytest.fixture
def sign_in(context, live_server):
    """Factory: log a user in by planting a session cookie in this test's context (no form)."""

    def make(user, *, device=None, membership=None, into=None):
        sign_in_context(
            into or context, live_server.url, user, device=device, membership=membership
        )

    return make
