"""The authorisation matrix over every page and API endpoint that takes an id.

For each route in `matrix.MATRIX`: the object is made in organisation A, and every role is tried
as an active member of A, of another organisation B, as a former member of A (membership ended)
and as a member of A after A was deactivated. The web is tried with a 2FA-verified session, the
API with a token. Where the table says "may not see", the answer is 404 (a former member's or a
deactivated organisation's token: 401), exactly as for an id that does not exist, so ids cannot
be probed; never 200 with A's data and never a server error. Where it says "may", a GET answers
200 (or the route's own status). Every POST/PUT/PATCH/DELETE the route takes is tried by those
who may not act, and nothing in the database changes.

The routes are found in the URL resolver: a new route that takes an id and has no entry in the
table fails `test_every_route_with_an_id_is_in_the_matrix`.
"""

import hashlib
import re
import uuid

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from schakel.accounts.models import Membership, Organisation
from schakel.accounts.services import api_token_issue
from schakel.people import crypto

from .matrix import (
    FORMER,
    MATRIX,
    NOT_A_RECORD,
    NOT_ID_KWARGS,
    ORG_GONE,
    OTHER,
    OWN,
    ROLES,
    make_world,
)

pytestmark = pytest.mark.django_db

UNSAFE = ("post", "put", "patch", "delete")
# Rows that any request may touch without changing anything: when a token was last used, which
# sessions a user has, the session itself.
HOUSEKEEPING = {"accounts.ApiToken", "accounts.UserSession"}
# The processing log: a refused request of someone who may see the record may leave a read in
# it (the record was read to decide); of anyone else, nothing.
PROCESSING_LOG = {"privacy.ProcessingEntry", "privacy.AuditEntry", "privacy.LogChainHead"}
SESSION_TABLES = {"django_session"}
WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


@pytest.fixture(autouse=True)
def _fresh_key_rings():
    from schakel.signal_index import keys

    crypto._ring.cache_clear()
    keys._ring.cache_clear()
    yield
    crypto._ring.cache_clear()
    keys._ring.cache_clear()


# -- the routes ---------------------------------------------------------------------------------


def _walk(patterns, prefix="", namespace=None, groups=()):
    for pattern in patterns:
        names = (*groups, *pattern.pattern.regex.groupindex)
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns, names)
        else:
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield name, prefix + str(pattern.pattern), pattern, names


def routes_with_kwargs() -> dict[str, tuple[str, object, tuple]]:
    """Every named route that takes a keyword argument, outside the Django admin (which is for
    staff only: `test_the_admin_is_for_staff_only`)."""
    found = {}
    for name, route, pattern, kwargs in _walk(get_resolver().url_patterns):
        if not kwargs or route.startswith("beheer/"):
            continue
        found[name or f"<unnamed {route}>"] = (route, pattern, kwargs)
    return found


ROUTES = routes_with_kwargs()


def test_every_route_with_an_id_is_in_the_matrix():
    missing = sorted(set(ROUTES) - set(MATRIX) - set(NOT_A_RECORD))
    assert not missing, "\n".join(
        f"endpoint {name} ({ROUTES[name][0]}) takes an id but has no matrix entry in "
        "tests/security/matrix.py"
        for name in missing
    )


def test_the_matrix_names_only_existing_routes():
    stale = sorted((set(MATRIX) | set(NOT_A_RECORD)) - set(ROUTES))
    assert not stale, f"matrix entries for routes that do not exist (any more): {stale}"


# The entries whose routes exist (a stale one fails test_the_matrix_names_only_existing_routes).
ENTRIES = sorted(set(MATRIX) & set(ROUTES))


def _is_api(name: str) -> bool:
    return ROUTES[name][0].startswith("api/")


def _unsafe_methods(name: str) -> tuple[str, ...]:
    """The write methods a route takes: what the API view implements; a form post for pages."""
    if not _is_api(name):
        return ("post",)
    view = ROUTES[name][1].callback.cls
    return tuple(m for m in UNSAFE if hasattr(view, m))


def _ghost(kwargs: dict) -> dict:
    """The same keyword arguments with made-up ids of records that do not exist."""
    made_up = {}
    for key, value in kwargs.items():
        if key in NOT_ID_KWARGS:
            made_up[key] = value
        elif isinstance(value, uuid.UUID):
            made_up[key] = uuid.UUID("00000000-0000-4000-8000-00000000dead")
        elif isinstance(value, int):
            made_up[key] = 2_000_000_000
        elif key == "uidb64":
            made_up[key] = urlsafe_base64_encode(force_bytes(2_000_000_000))
        else:
            made_up[key] = "bestaat-niet-1"
    return made_up


# -- the database, before and after -------------------------------------------------------------


def _fingerprint() -> dict[str, str]:
    """A digest of every row of every Schakel table (a refused request must change none)."""
    digests = {}
    for model in apps.get_models():
        label = model._meta.label
        if not model.__module__.startswith("schakel.") or label in HOUSEKEEPING | PROCESSING_LOG:
            continue
        rows = model._default_manager.order_by("pk").values_list()
        digests[label] = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
    return digests


def _changed(before: dict, after: dict) -> list[str]:
    return sorted(label for label in before if before[label] != after[label])


def _tables(labels) -> set[str]:
    return {apps.get_model(label)._meta.db_table for label in labels}


def _written(queries) -> set[str]:
    """The tables that a request's SQL statements wrote to."""
    tables = set()
    for query in queries:
        match = WRITE.match(query["sql"])
        if match:
            tables.add(match.group(1))
    return tables


# -- requests -----------------------------------------------------------------------------------


class Caller:
    """Makes requests as one actor after another: web sessions set up with `actor_client`
    (2FA verified) before anything is measured, API tokens issued while memberships are
    active."""

    def __init__(self, client, actor_client, world, api: bool, relations=(OWN, OTHER, FORMER)):
        self.client = client
        self.api = api
        self.credentials = {}
        for key, membership in world.actors.items():
            if key[1] not in relations:
                continue
            if api:
                _token, secret = api_token_issue(membership=membership)
                self.credentials[key] = secret
            else:
                client.cookies.clear()  # else logging in the next user ends this session
                actor_client(membership)
                self.credentials[key] = client.cookies[settings.SESSION_COOKIE_NAME].value

    def __call__(self, key, method: str, path: str):
        headers = {}
        if self.api:
            headers["Authorization"] = f"Bearer {self.credentials[key]}"
            self.client.cookies.clear()
        else:
            self.client.cookies[settings.SESSION_COOKIE_NAME] = self.credentials[key]
        send = getattr(self.client, method)
        with CaptureQueriesContext(connection) as queries:
            try:
                # A savepoint: a server error must not break the requests after it (PostgreSQL).
                with transaction.atomic():
                    if method == "get":
                        response = send(path, headers=headers)
                    elif self.api:
                        response = send(
                            path, "{}", content_type="application/json", headers=headers
                        )
                    else:
                        response = send(path, {}, headers=headers)
            except Exception as error:  # noqa: BLE001 - a server error is a finding, not a stop
                response = ServerError(error)
        return response, _written(queries.captured_queries)


class ServerError:
    status_code = 500

    def __init__(self, error):
        self.error = error

    def __repr__(self):
        return f"500 ({type(self.error).__name__}: {self.error})"


def _describe(response) -> str:
    if isinstance(response, ServerError):
        return repr(response)
    location = response.get("Location", "")
    return f"{response.status_code}" + (f" → {location}" if location else "")


# -- the matrix ---------------------------------------------------------------------------------


def _expected(entry, role, relation, method, api) -> tuple[set[int], bool, bool]:
    """(statuses that are right, whether the answer must equal that for a made-up id, whether
    the request is allowed)."""
    if api and relation in (FORMER, ORG_GONE):  # the token itself is refused, whatever it asks
        return {401}, False, False
    if method == "get" and entry.ok is None:  # no GET on this route: 405 for everyone
        return {405}, False, False
    allowed = entry.may_use(role, relation) if method == "get" else entry.may_act(role, relation)
    if allowed:
        return set(entry.ok), False, True
    if entry.see(role, relation):  # a record they can see anyway: a refusal may say why
        return {400, 403, 404, 405}, False, False
    return {404, 405, *entry.refused}, True, False


class Run:
    def __init__(self, name, caller, kwargs):
        self.name = name
        self.caller = caller
        self.entry = MATRIX[name]
        self.path = reverse(name, kwargs=kwargs)
        self.ghost_path = reverse(name, kwargs=_ghost(kwargs))
        self.failures: list[str] = []

    def check(self, actor_key, relation, method):
        role = actor_key[0]
        expected, like_ghost, allowed = _expected(
            self.entry, role, relation, method, self.caller.api
        )
        response, written = self.caller(actor_key, method, self.path)
        where = f"{self.name} × {role} × {relation}: {method.upper()} {self.path}"
        if response.status_code not in expected:
            self.failures.append(f"{where} → {_describe(response)}, expected {sorted(expected)}")
        elif like_ghost and response.status_code != 404:
            ghost, _ = self.caller(actor_key, method, self.ghost_path)
            if ghost.status_code != response.status_code:
                self.failures.append(
                    f"{where} → {_describe(response)}, but {_describe(ghost)} for an id that "
                    "does not exist: the answer tells that the record exists"
                )
        if not allowed:
            harmless = SESSION_TABLES | _tables(HOUSEKEEPING)
            if self.entry.see(role, relation):
                harmless |= _tables(PROCESSING_LOG)
            if written - harmless:
                self.failures.append(
                    f"{where} → {_describe(response)}, but wrote to {sorted(written - harmless)}"
                )

    def relations(self, relations, actor_of):
        """Allowed GETs first; then everything that must be refused, which changes nothing."""
        entry = self.entry
        for relation in relations:
            for role in ROLES:
                if entry.ok is not None and entry.may_use(role, relation):
                    self.check(actor_of(role, relation), relation, "get")
        before = _fingerprint()
        tried = []
        for relation in relations:
            for role in ROLES:
                key = actor_of(role, relation)
                if entry.ok is None or not entry.may_use(role, relation):
                    self.check(key, relation, "get")
                for method in _unsafe_methods(self.name):
                    if not entry.may_act(role, relation):
                        self.check(key, relation, method)
                        tried.append(f"{method.upper()} by {role} × {relation}")
        changed = _changed(before, _fingerprint())
        if changed:
            self.failures.append(
                f"{self.name}: refused requests changed {changed} (requests: {tried})"
            )


def _end_memberships(world, relation):
    Membership.objects.filter(
        pk__in=[m.pk for (_, rel), m in world.actors.items() if rel == relation]
    ).update(is_active=False, ended_at=timezone.now())


@pytest.mark.parametrize("name", ENTRIES)
def test_route(name, client, actor_client):
    world = make_world()
    kwargs = MATRIX[name].build(world)
    api = _is_api(name)
    caller = Caller(client, actor_client, world, api)
    run = Run(name, caller, kwargs)
    _end_memberships(world, FORMER)
    run.relations((OWN, OTHER, FORMER), lambda role, relation: (role, relation))
    if not api:  # the API's column is test_api_token_of_a_deactivated_organisation
        Organisation.objects.filter(pk=world.organisation.pk).update(is_active=False)
        run.relations((ORG_GONE,), lambda role, relation: (role, OWN))
    assert not run.failures, "\n".join(run.failures)


@pytest.mark.parametrize("name", [n for n in ENTRIES if _is_api(n)])
def test_api_token_of_a_deactivated_organisation(name, client, actor_client):
    """A token of a member of A no longer works once A is deactivated: 401 for every role."""
    world = make_world()
    kwargs = MATRIX[name].build(world)
    caller = Caller(client, actor_client, world, api=True, relations=(OWN,))
    run = Run(name, caller, kwargs)
    Organisation.objects.filter(pk=world.organisation.pk).update(is_active=False)
    run.relations((ORG_GONE,), lambda role, relation: (role, OWN))
    assert not run.failures, "\n".join(run.failures)


def test_the_admin_is_for_staff_only(client, actor_client):
    """The Django admin (`/beheer/`) shows records of every organisation: no membership opens
    it, whatever its role, not even an organisation administrator's."""
    from tests.privacy.factories import ConsentFactory

    consent = ConsentFactory()
    admin_pages = [
        f"/beheer/privacy/consent/{consent.pk}/change/",
        "/beheer/privacy/consent/",
        "/beheer/",
    ]
    for role in ROLES:
        actor_client(organisation=consent.organisation, role=role)
        for path in admin_pages:
            response = client.get(path)
            assert response.status_code == 302, (role, path, response.status_code)
            assert response["Location"].startswith("/beheer/login/"), (role, path)
