"""The statements of registering in the signal index, written for few round trips.

Registering (`services.signal_register`) is the index's hot path: every form post and API call
runs it, and its benchmark target is a p95 under 5 ms server-side with a million active
registrations. On PostgreSQL the call therefore costs a fixed number of statements whether or
not it matches:

1. `attempt`: record the attempt and take transaction-scoped advisory locks on the organisation
   and on each of the person's pseudonyms, so that parallel calls cannot race past the rate
   limits, two organisations registering the same person at the same moment cannot both miss
   each other, and one organisation cannot register a person twice;
2. `lookup_and_insert` (its snapshot is taken after those locks): the rate-limit counts, the
   active registrations holding any of the person's pseudonyms (with their organisation and the
   person's public id), and — unless the organisation already has one, which the caller then
   renews — the new registration, its pseudonyms and a match with each registration of another
   organisation; the same statement locks the processing log's chain head, which the caller
   passes on to the log (a refusal by a rate limit rolls all of it back);
3. the processing log's entries (`privacy.log_writer`).

With BEGIN and COMMIT that is five round trips. Step 2 is a prepared statement with a generic
plan (`_run_prepared`): prepared on its first use on a database connection, then only executed, so
the planner's work on this many-table statement (about half a millisecond) is not repeated on
every call. Its plan does not depend on the values: the lookups are by index and primary key
whatever they are. `DATABASE_PREPARED_STATEMENTS=false` (behind PgBouncer in transaction mode)
sends the statement itself every time. Other databases (SQLite, the embedded
default) run the same steps through the ORM (`active_with`, `insert_new`); SQLite serialises
writers itself (the project opens its transactions IMMEDIATE), so it needs no lock.
Table and column names come from the models; every value is a bound parameter.
"""

import datetime
import functools
import re
import weakref
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import F

from schakel.accounts.models import Organisation

from .models import SignalAttempt, SignalMatch, SignalPseudonym, SignalRegistration

# First key of the two-key advisory locks of the index (pg_advisory_xact_lock(int, int)): the
# letters "SI"; the second key is taken from the pseudonym.
LOCK_CLASS = 0x5349
# ... and of the organisation's lock for the rate limits ("SR"); the second key is its id.
LOCK_RATE = 0x5352


def fused() -> bool:
    """Whether `lookup_and_insert` runs here (PostgreSQL)."""
    return _postgresql()


def _postgresql() -> bool:
    return connection.vendor == "postgresql"


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def lock_key(value: str) -> int:
    """A signed 32-bit key from a pseudonym (hex HMAC): collisions only cost waiting."""
    return int(value[:8], 16) - 2**31


def _since(now) -> dict:
    adapt = connection.ops.adapt_datetimefield_value
    return {
        "hour_ago": adapt(now - datetime.timedelta(hours=1)),
        "day_ago": adapt(now - datetime.timedelta(days=1)),
    }


def _counts_sql() -> tuple[str, str]:
    """(attempts of the organisation in the last day, of the member in the last hour)."""
    table = _q(SignalAttempt._meta.db_table)
    return (
        f"SELECT COUNT(*) FROM {table} WHERE organisation_id = %(org)s AND at > %(day_ago)s",  # noqa: S608
        f"SELECT COUNT(*) FROM {table} WHERE membership_id = %(member)s AND at > %(hour_ago)s",  # noqa: S608
    )


def attempt(actor, now, lock_values=()) -> tuple[int, int] | None:
    """Record one attempt of `actor`.

    Elsewhere than PostgreSQL: return (attempts of the organisation in the last day, attempts of
    the actor in the last hour), not counting this one. On PostgreSQL: lock the organisation and
    then `lock_values` (the person's pseudonyms) until the transaction ends, and return None:
    `lookup_and_insert`, the next statement, counts. Its fresh snapshot then sees every attempt
    and registration that a parallel call of the same organisation, or about the same person,
    committed while this one waited, so neither the rate limits nor matching can be raced."""
    table = _q(SignalAttempt._meta.db_table)
    insert = (
        f"INSERT INTO {table} (membership_id, organisation_id, at) "  # noqa: S608
        "VALUES (%(member)s, %(org)s, %(at)s)"
    )
    params = {
        "member": actor.pk,
        "org": actor.organisation_id,
        "at": connection.ops.adapt_datetimefield_value(now),
    }
    with connection.cursor() as cursor:
        if _postgresql():
            # One lock order for every call (the organisation, then the pseudonyms sorted), so
            # two calls never wait for each other in a circle; unnest keeps the array's order.
            keys = sorted({lock_key(v) for v in lock_values})
            params["classes"] = [LOCK_RATE] + [LOCK_CLASS] * len(keys)
            params["keys"] = [actor.organisation_id, *keys]
            # For this transaction only: the prepared statement of the next step runs on its
            # generic plan (see `_run_prepared`).
            generic = (
                ", set_config('plan_cache_mode', 'force_generic_plan', true)"
                if settings.SCHAKEL_DB_PREPARED_STATEMENTS
                else ""
            )
            cursor.execute(
                f"WITH new AS ({insert}) SELECT COUNT(pg_advisory_xact_lock(l.c, l.k)){generic} "  # noqa: S608
                "FROM unnest(%(classes)s::int[], %(keys)s::int[]) AS l(c, k)",
                params,
            )
            return None
        org_sql, user_sql = _counts_sql()
        params.update(_since(now))
        cursor.execute(f"SELECT ({org_sql}), ({user_sql})", params)
        org_count, user_count = cursor.fetchone()
        cursor.execute(insert, params)
    return int(org_count), int(user_count)


def active_with(values: list[str], today) -> list[SignalRegistration]:
    """Every active registration holding one of `values`, with its organisation loaded and the
    person's public id as `person_public_id` (for the processing log), in order of id."""
    ids = set(
        SignalPseudonym.objects.filter(value__in=values).values_list("registration_id", flat=True)
    )
    if not ids:
        return []
    return list(
        SignalRegistration.objects.filter(pk__in=ids, ended_at__isnull=True, ends_on__gt=today)
        .select_related("organisation")
        .annotate(person_public_id=F("person__public_id"))
        .order_by("pk")
    )


def insert_new(
    registration: SignalRegistration, values: list[tuple[int, str]], others: list, now
) -> list[SignalMatch]:
    """Store a new registration, its pseudonyms [(key version, value)] and a match with each of
    `others` (active registrations of other organisations with the same person), through the
    ORM; return the matches (the older registration is `a`)."""
    registration.save(force_insert=True)
    add_pseudonyms(registration, values)
    matches = [
        SignalMatch(created_at=now, cross_domain=other.domain != registration.domain)
        for other in others
    ]
    for match, other in zip(matches, others, strict=True):
        _pair(match, registration, other)
    SignalMatch.objects.bulk_create(matches)
    return matches


def add_pseudonyms(registration: SignalRegistration, values: list[tuple[int, str]]) -> None:
    SignalPseudonym.objects.bulk_create(
        [
            SignalPseudonym(registration=registration, value=value, key_version=version)
            for version, value in values
        ]
    )


def _pair(match: SignalMatch, one: SignalRegistration, other: SignalRegistration) -> None:
    match.registration_a, match.registration_b = (other, one) if other.pk < one.pk else (one, other)


def _saved(instance) -> None:
    instance._state.adding = False
    instance._state.db = connection.alias


# -- PostgreSQL: one statement for lookup, insert and matches ---------------------------------

# SignalMatch columns the statement fills itself; the others get the model's defaults.
_MATCH_SET = {"id", "public_id", "registration_a", "registration_b", "created_at", "cross_domain"}


@dataclass
class Step:
    hits: list  # active registrations with the person, as `active_with` returns them
    inserted: bool  # False: the organisation has one already (the caller renews it)
    matches: list  # the new registration's matches, saved
    head: tuple  # the processing log's chain head (seq, last_hash), locked
    counts: tuple  # attempts (organisation last day, member last hour), not counting this one


def _fields(model, skip=("id",)):
    return [f for f in model._meta.concrete_fields if f.name not in skip]


@functools.lru_cache(maxsize=8)
def _statement(n_values: int) -> str:
    """The statement of `lookup_and_insert` for a person with `n_values` pseudonyms. Built once
    per process and shape; every value in it is a named parameter."""
    from schakel.people.models import Person
    from schakel.privacy.log_writer import head_lock_sql

    reg, org, pseud, match = (
        _q(m._meta.db_table)
        for m in (SignalRegistration, Organisation, SignalPseudonym, SignalMatch)
    )
    reg_all = list(SignalRegistration._meta.concrete_fields)
    org_all = list(Organisation._meta.concrete_fields)
    hit_cols = ", ".join(
        [f"x.{_q(f.column)} AS {_q('r_' + f.column)}" for f in reg_all]
        + [f"o.{_q(f.column)} AS {_q('o_' + f.column)}" for f in org_all]
        + [f"pe.{_q('public_id')} AS person_public_id"]
    )
    new_fields = _fields(SignalRegistration)
    new_cols = ", ".join(_q(f.column) for f in new_fields)
    new_vals = ", ".join(
        f"%(r{i})s::{f.cast_db_type(connection)}" for i, f in enumerate(new_fields)
    )
    pseud_rows = ", ".join(f"(%(v{i})s::varchar, %(k{i})s::smallint)" for i in range(n_values))
    defaults = [f for f in SignalMatch._meta.concrete_fields if f.name not in _MATCH_SET]
    default_cols = "".join(f", {_q(f.column)}" for f in defaults)
    default_vals = "".join(
        f", %(m{i})s::{f.cast_db_type(connection)}" for i, f in enumerate(defaults)
    )
    org_count, user_count = _counts_sql()
    hit_list = (
        ", ".join(f"h.{_q('r_' + f.column)}" for f in reg_all)
        + ", "
        + ", ".join(f"h.{_q('o_' + f.column)}" for f in org_all)
    )
    # The registrations are fetched by primary key, one per pseudonym hit (the LATERAL
    # sub-select with OFFSET 0 is not merged into a join): a few index lookups however large
    # the index and however fresh its statistics. A plain join, or id = ANY(...), was planned
    # as a scan of every active registration on a freshly bulk-loaded table.
    return (
        "WITH hits AS ("  # noqa: S608 - names from the models, values bound
        f"SELECT {hit_cols} FROM (SELECT DISTINCT registration_id FROM {pseud} "
        "WHERE value = ANY(%(lookup)s::varchar[])) AS s "
        f"CROSS JOIN LATERAL (SELECT * FROM {reg} AS y WHERE y.id = s.registration_id "
        "AND y.ended_at IS NULL AND y.ends_on > %(today)s::date OFFSET 0) AS x "
        f"JOIN {org} o ON o.id = x.organisation_id "
        f"LEFT JOIN {_q(Person._meta.db_table)} pe ON pe.id = x.person_id), "
        f"r AS (INSERT INTO {reg} ({new_cols}) SELECT {new_vals} WHERE NOT EXISTS "
        "(SELECT 1 FROM hits WHERE r_organisation_id = %(org)s::bigint) RETURNING id), "
        f"p AS (INSERT INTO {pseud} (registration_id, value, key_version) "
        f"SELECT r.id, v.value, v.key_version FROM r CROSS JOIN (VALUES {pseud_rows}) "
        "AS v(value, key_version)), "
        f"m AS (INSERT INTO {match} (public_id, registration_a_id, registration_b_id, "
        f"created_at, cross_domain{default_cols}) SELECT gen_random_uuid(), "
        "LEAST(r.id, h.r_id), GREATEST(r.id, h.r_id), %(now)s::timestamptz, "
        "h.r_domain <> %(domain)s::varchar"
        f"{default_vals} FROM r CROSS JOIN hits h WHERE h.r_organisation_id <> %(org)s::bigint "
        "RETURNING id, public_id, registration_a_id, registration_b_id), "
        f"hd AS ({head_lock_sql()}) "
        f"SELECT ({org_count}), ({user_count}), (SELECT id FROM r), hd.seq, hd.last_hash, "
        f"m.id, m.public_id, {hit_list}, h.person_public_id "
        "FROM (SELECT 1) AS one LEFT JOIN hd ON true "
        "LEFT JOIN hits h ON true "
        "LEFT JOIN m ON h.r_id IN (m.registration_a_id, m.registration_b_id) "
        "ORDER BY h.r_id"
    )


def _prep(field, value):
    return field.get_db_prep_save(value, connection)


def lookup_and_insert(
    registration: SignalRegistration,
    values: list[tuple[int, str]],
    lookup: list[str],
    today,
    *,
    member_id: int,
) -> Step:
    """PostgreSQL: in one statement, count the rate limits, find the active registrations
    holding any of `lookup` and, unless one of them is of `registration`'s organisation, insert
    `registration` (unsaved), its pseudonyms [(key version, value)] and its matches; lock the
    log's chain head. The caller rolls it all back when a rate limit is reached."""
    params = {
        "lookup": list(lookup),
        "today": today,
        "org": registration.organisation_id,
        "member": member_id,
        **_since(registration.created_at),
    }
    for i, f in enumerate(_fields(SignalRegistration)):
        params[f"r{i}"] = _prep(f, f.pre_save(registration, True))
    for i, (version, value) in enumerate(values):
        params[f"v{i}"], params[f"k{i}"] = value, version
    defaults = [f for f in SignalMatch._meta.concrete_fields if f.name not in _MATCH_SET]
    for i, f in enumerate(defaults):
        params[f"m{i}"] = _prep(f, f.get_default())
    params["now"] = registration.created_at
    params["domain"] = registration.domain
    rows = _run(_statement(len(values)), params, name=f"schakel_signal_register_{len(values)}")
    org_count, user_count, new_id, seq, last_hash = rows[0][:5]
    reg_fields = list(SignalRegistration._meta.concrete_fields)
    org_fields = list(Organisation._meta.concrete_fields)
    reg_names = [f.attname for f in reg_fields]
    org_names = [f.attname for f in org_fields]
    organisation = SignalRegistration._meta.get_field("organisation")
    n_reg, n_org = len(reg_fields), len(org_fields)
    hits, matches = [], []
    if new_id is not None:
        registration.pk = new_id
        _saved(registration)
    for row in rows:
        if row[7] is None:  # no registration holds the person
            continue
        hit = SignalRegistration.from_db(connection.alias, reg_names, row[7 : 7 + n_reg])
        org = Organisation.from_db(connection.alias, org_names, row[7 + n_reg : 7 + n_reg + n_org])
        organisation.set_cached_value(hit, org)
        hit.person_public_id = row[-1]
        hits.append(hit)
        if row[5] is not None:
            match = SignalMatch(
                id=row[5],
                public_id=row[6],
                created_at=registration.created_at,
                cross_domain=hit.domain != registration.domain,
            )
            _saved(match)
            _pair(match, registration, hit)
            matches.append(match)
    return Step(
        hits=hits,
        inserted=new_id is not None,
        matches=matches,
        head=(seq, last_hash),
        # this call's own attempt is in the counts: the statement sees its transaction's rows
        counts=(int(org_count) - 1, int(user_count) - 1),
    )


# -- prepared statements ----------------------------------------------------------------------

_NAMED = re.compile(r"%\(([a-z0-9_]+)\)s")
# Per database connection (psycopg's, which ends with it): name -> True when prepared there,
# "pending" while a first PREPARE + EXECUTE is under way or failed (then the server is asked).
_prepared: "weakref.WeakKeyDictionary[object, dict]" = weakref.WeakKeyDictionary()


@functools.lru_cache(maxsize=16)
def _numbered(sql: str) -> tuple[str, tuple[str, ...]]:
    """`sql` with its %(name)s parameters as $1, $2, … and the names in that order."""
    order: list[str] = []

    def number(found) -> str:
        if found.group(1) not in order:
            order.append(found.group(1))
        return f"${order.index(found.group(1)) + 1}"

    return _NAMED.sub(number, sql), tuple(order)


def _run(sql: str, params: dict, *, name: str) -> list[tuple]:
    """Run `sql` (named parameters, each with a cast) and return its rows: as a statement
    prepared on this connection (PREPARE once, then EXECUTE), or as itself when prepared
    statements are turned off. A PREPARE outlives a rolled-back transaction, so after a first
    attempt that failed, the server is asked whether the statement exists."""
    with connection.cursor() as cursor:
        if not settings.SCHAKEL_DB_PREPARED_STATEMENTS:
            cursor.execute(sql, params)
            return cursor.fetchall()
        text, order = _numbered(sql)
        values = [params[key] for key in order]
        execute = f"EXECUTE {name}({', '.join(['%s'] * len(order))})"
        state = _prepared.setdefault(connection.connection, {})
        if state.get(name) == "pending":
            cursor.execute("SELECT COUNT(*) FROM pg_prepared_statements WHERE name = %s", [name])
            state[name] = True if cursor.fetchone()[0] else None
        if state.get(name) is True:
            cursor.execute(execute, values)
        else:
            state[name] = "pending"
            cursor.execute(f"PREPARE {name} AS {text}; {execute}", values)
            cursor.nextset()  # the first result is the PREPARE's
            state[name] = True
        return cursor.fetchall()
