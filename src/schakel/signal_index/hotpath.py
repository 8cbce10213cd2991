"""The statements of registering in the signal index, written for few round trips.

Registering (`services.signal_register`) is the index's hot path: every form post and API call
runs it, and its benchmark target is a p95 under 5 ms server-side with a million active
registrations. On PostgreSQL the call therefore costs a fixed number of statements whether or
not it matches:

1. `attempt`: record the attempt, count the rate limits, and take a transaction-scoped advisory
   lock on each of the person's pseudonyms (so two organisations registering the same person at
   the same moment cannot both miss each other, nor one organisation register a person twice);
2. `lookup_and_insert`: the active registrations holding any of the person's pseudonyms (with
   their organisation and the person's public id), and — unless the organisation already has
   one, which the caller then renews — the new registration, its pseudonyms and a match with
   each registration of another organisation; the same statement locks the processing log's
   chain head, which the caller passes on to the log;
3. the processing log's entries (`privacy.log_writer`).

With BEGIN and COMMIT that is five round trips. Other databases (SQLite, the embedded
default) run the same steps through the ORM (`active_with`, `insert_new`); SQLite serialises
writers itself (the project opens its transactions IMMEDIATE), so it needs no lock.
Table and column names come from the models; every value is a bound parameter.
"""

import datetime
import functools
from dataclasses import dataclass

from django.db import connection
from django.db.models import F

from schakel.accounts.models import Organisation

from .models import SignalAttempt, SignalMatch, SignalPseudonym, SignalRegistration

# First key of the two-key advisory locks of the index (pg_advisory_xact_lock(int, int)): the
# letters "SI"; the second key is taken from the pseudonym.
LOCK_CLASS = 0x5349


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


def attempt(actor, now, lock_values=()) -> tuple[int, int]:
    """Record one attempt of `actor` and return (attempts of the organisation in the last day,
    attempts of the actor in the last hour), not counting this one. On PostgreSQL the same
    statement locks `lock_values` for the rest of the transaction."""
    adapt = connection.ops.adapt_datetimefield_value
    hour_ago = adapt(now - datetime.timedelta(hours=1))
    day_ago = adapt(now - datetime.timedelta(days=1))
    table = _q(SignalAttempt._meta.db_table)
    insert = f"INSERT INTO {table} (membership_id, organisation_id, at) VALUES (%s, %s, %s)"  # noqa: S608
    count = (
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN membership_id = %s AND at > %s "  # noqa: S608
        f"THEN 1 ELSE 0 END), 0) FROM {table} WHERE organisation_id = %s AND at > %s"
    )
    row = [actor.pk, actor.organisation_id, adapt(now)]
    count_params = [actor.pk, hour_ago, actor.organisation_id, day_ago]
    with connection.cursor() as cursor:
        if _postgresql():
            # The counts do not see the row inserted beside them. The locks are taken in sorted
            # order (no deadlock between two calls) and before the next statement, whose fresh
            # snapshot then sees what a concurrent registration of the same person committed.
            keys = sorted({lock_key(v) for v in lock_values})
            locks = (
                "(SELECT COUNT(pg_advisory_xact_lock(%s, k)) FROM unnest(%s::int[]) AS k)"
                if keys
                else "0"
            )
            cursor.execute(
                f"WITH new AS ({insert} RETURNING 1) "  # noqa: S608
                f"SELECT counts.*, {locks} FROM ({count}) AS counts",
                row + ([LOCK_CLASS, keys] if keys else []) + count_params,
            )
            org_count, user_count, _locked = cursor.fetchone()
        else:
            cursor.execute(count, count_params)
            org_count, user_count = cursor.fetchone()
            cursor.execute(insert, row)
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
        "WHERE value = ANY(%(lookup)s)) AS s "
        f"CROSS JOIN LATERAL (SELECT * FROM {reg} AS y WHERE y.id = s.registration_id "
        "AND y.ended_at IS NULL AND y.ends_on > %(today)s OFFSET 0) AS x "
        f"JOIN {org} o ON o.id = x.organisation_id "
        f"LEFT JOIN {_q(Person._meta.db_table)} pe ON pe.id = x.person_id), "
        f"r AS (INSERT INTO {reg} ({new_cols}) SELECT {new_vals} WHERE NOT EXISTS "
        "(SELECT 1 FROM hits WHERE r_organisation_id = %(org)s) RETURNING id), "
        f"p AS (INSERT INTO {pseud} (registration_id, value, key_version) "
        f"SELECT r.id, v.value, v.key_version FROM r CROSS JOIN (VALUES {pseud_rows}) "
        "AS v(value, key_version)), "
        f"m AS (INSERT INTO {match} (public_id, registration_a_id, registration_b_id, "
        f"created_at, cross_domain{default_cols}) SELECT gen_random_uuid(), "
        "LEAST(r.id, h.r_id), GREATEST(r.id, h.r_id), %(now)s, h.r_domain <> %(domain)s"
        f"{default_vals} FROM r CROSS JOIN hits h WHERE h.r_organisation_id <> %(org)s "
        "RETURNING id, public_id, registration_a_id, registration_b_id), "
        f"hd AS ({head_lock_sql()}) "
        f"SELECT (SELECT id FROM r), hd.seq, hd.last_hash, m.id, m.public_id, {hit_list}, "
        "h.person_public_id FROM (SELECT 1) AS one LEFT JOIN hd ON true "
        "LEFT JOIN hits h ON true "
        "LEFT JOIN m ON h.r_id IN (m.registration_a_id, m.registration_b_id) "
        "ORDER BY h.r_id"
    )


def _prep(field, value):
    return field.get_db_prep_save(value, connection)


def lookup_and_insert(
    registration: SignalRegistration, values: list[tuple[int, str]], lookup: list[str], today
) -> Step:
    """PostgreSQL: in one statement, find the active registrations holding any of `lookup` and,
    unless one of them is of `registration`'s organisation, insert `registration` (unsaved),
    its pseudonyms [(key version, value)] and its matches; lock the log's chain head."""
    params = {"lookup": list(lookup), "today": today, "org": registration.organisation_id}
    for i, f in enumerate(_fields(SignalRegistration)):
        params[f"r{i}"] = _prep(f, f.pre_save(registration, True))
    for i, (version, value) in enumerate(values):
        params[f"v{i}"], params[f"k{i}"] = value, version
    defaults = [f for f in SignalMatch._meta.concrete_fields if f.name not in _MATCH_SET]
    for i, f in enumerate(defaults):
        params[f"m{i}"] = _prep(f, f.get_default())
    params["now"] = registration.created_at
    params["domain"] = registration.domain
    with connection.cursor() as cursor:
        cursor.execute(_statement(len(values)), params)
        rows = cursor.fetchall()
    new_id, seq, last_hash = rows[0][:3]
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
        if row[5] is None:  # no registration holds the person
            continue
        hit = SignalRegistration.from_db(connection.alias, reg_names, row[5 : 5 + n_reg])
        org = Organisation.from_db(connection.alias, org_names, row[5 + n_reg : 5 + n_reg + n_org])
        organisation.set_cached_value(hit, org)
        hit.person_public_id = row[-1]
        hits.append(hit)
        if row[3] is not None:
            match = SignalMatch(
                id=row[3],
                public_id=row[4],
                created_at=registration.created_at,
                cross_domain=hit.domain != registration.domain,
            )
            _saved(match)
            _pair(match, registration, hit)
            matches.append(match)
    return Step(hits=hits, inserted=new_id is not None, matches=matches, head=(seq, last_hash))
