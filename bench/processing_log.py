"""Benchmark of the processing log: what one `processing_record` costs, and `processing_log_verify`.

Imported by bench/run.py after Django is set up on a throwaway database. Three measurements:

* own transaction: each entry is written in its own transaction (autocommit; one commit each),
  as a lone read of a person's record does;
* in a transaction: 100 entries inside one outer `transaction.atomic()`, as a service that writes
  several things does. Reported twice: per call (inside the open transaction) and per entry of
  the whole batch including its commit;
* a long transaction: `long_n` entries in one transaction; the first and the last 100 calls are
  compared, because every entry updates the one chain-head row;
* verification: `processing_log_verify` over the whole chain, per entry and in total.
"""

import hashlib
import random
import statistics
import time
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

BATCH_SIZE = 100
ACTIVITY = "person_record"
WARMUP = 50
GIVEN_NAMES = ("Sanne", "Mohamed", "Daan", "Fatima", "Jeroen", "Aylin", "Kevin", "Priya", "Lotte")
SURNAMES = ("de Vries", "Jansen", "El Amrani", "Bakker", "Yilmaz", "Visser", "Smit", "Meijer")


@dataclass
class Data:
    memberships: list
    persons: list


# --- data generator ---------------------------------------------------------------------------


def fake_bsn(rng: random.Random) -> str:
    """A 9-digit number that passes the elfproef (fictional: generated, not looked up)."""
    while True:
        digits = [rng.randint(0, 9) for _ in range(8)]
        check = sum(w * d for w, d in zip(range(9, 1, -1), digits, strict=True)) % 11
        if check < 10 and any(digits):
            return "".join(map(str, digits)) + str(check)


def generate(*, organisations: int = 5, members_each: int = 4, persons: int = 500, seed: int = 7):
    """Organisations with memberships (the actors) and persons with encrypted identifiers.

    Persons are created with `Person.objects.create` directly, so the benchmark does not depend
    on the people services; then loaded back, so their fields are decrypted as in a service.
    """
    from schakel.accounts.models import Membership, Organisation, Role, User
    from schakel.people.models import Person

    rng = random.Random(seed)
    roles = [Role.PROFESSIONAL, Role.CARE_COORDINATOR, Role.REGISTRAR, Role.ORG_ADMIN]
    orgs = [
        Organisation.objects.create(name=f"Bench organisatie {i}", domain="zorg")
        for i in range(organisations)
    ]
    memberships = []
    for org in orgs:
        for j in range(members_each):
            user = User.objects.create_user(f"bench{org.pk}-{j}@example.org", password=None)
            memberships.append(
                Membership.objects.create(user=user, organisation=org, role=roles[j % len(roles)])
            )
    created = [
        Person.objects.create(
            given_names=rng.choice(GIVEN_NAMES),
            surname=rng.choice(SURNAMES),
            bsn=fake_bsn(rng),
            date_of_birth=date(1990, 1, 1) + timedelta(days=rng.randint(0, 12000)),
            owner_organisation=rng.choice(orgs),
        )
        for _ in range(persons)
    ]
    loaded = list(Person.objects.filter(pk__in=[p.pk for p in created]).order_by("pk"))
    return Data(memberships=memberships, persons=loaded)


# --- measurements -----------------------------------------------------------------------------


def summary(samples_ns: list[int]) -> dict:
    """Median, p95 and friends, in microseconds."""
    us = sorted(s / 1000 for s in samples_ns)
    p95 = statistics.quantiles(us, n=100, method="inclusive")[94] if len(us) > 1 else us[0]
    return {
        "n": len(us),
        "median_us": round(statistics.median(us), 1),
        "p95_us": round(p95, 1),
        "mean_us": round(statistics.fmean(us), 1),
        "min_us": round(us[0], 1),
        "max_us": round(us[-1], 1),
    }


def choose_subjects(data: Data) -> tuple[list, str]:
    """Persons as subjects (the real path: the log pseudonym is computed per entry).

    If the keyed pseudonym cannot be computed in this build, fall back to fixed pseudonym
    strings and say so in the results, so the database cost is still measured.
    """
    from schakel.people.pseudonyms import pseudonym_for

    try:
        pseudonym_for(data.persons[0], "log")
    except Exception as error:  # reported in the results, never hidden
        strings = [hashlib.sha256(p.public_id.bytes).hexdigest() for p in data.persons]
        note = f"pseudonym strings (Person subjects failed: {type(error).__name__}: {error})"
        return strings, note
    return data.persons, "Person (log pseudonym computed per entry)"


def _record(actor, subject) -> None:
    from schakel.privacy.services import processing_record

    processing_record(actor=actor, subject=subject, activity=ACTIVITY, operation="read")


def run(
    *, n: int, batches: int, long_n: int, verify_n: int, verify_runs: int, seed: int = 7
) -> dict:
    from schakel.privacy.models import ProcessingEntry
    from schakel.privacy.services import processing_log_verify

    data = generate(seed=seed)
    subjects, subject_kind = choose_subjects(data)
    rng = random.Random(seed)

    def pick():
        return rng.choice(data.memberships), rng.choice(subjects)

    for _ in range(WARMUP):
        _record(*pick())
    statements = statements_per_entry(pick)
    round_trip = []
    with connection.cursor() as cursor:
        for _ in range(n):
            start = time.perf_counter_ns()
            cursor.execute("SELECT 1")
            cursor.fetchone()
            round_trip.append(time.perf_counter_ns() - start)

    assert not connection.in_atomic_block, "own-transaction runs must start in autocommit"
    own = []
    for _ in range(n):
        actor, subject = pick()
        start = time.perf_counter_ns()
        _record(actor, subject)
        own.append(time.perf_counter_ns() - start)

    per_call, per_entry_of_batch = [], []
    for _ in range(batches):
        work = [pick() for _ in range(BATCH_SIZE)]
        batch_start = time.perf_counter_ns()
        with transaction.atomic():
            for actor, subject in work:
                start = time.perf_counter_ns()
                _record(actor, subject)
                per_call.append(time.perf_counter_ns() - start)
        per_entry_of_batch.append((time.perf_counter_ns() - batch_start) // BATCH_SIZE)

    long_tx = []
    with transaction.atomic():
        for _ in range(long_n):
            actor, subject = pick()
            start = time.perf_counter_ns()
            _record(actor, subject)
            long_tx.append(time.perf_counter_ns() - start)
    edge = max(1, min(100, long_n // 10))

    # Lengthen the chain (untimed) so verification is measured on a log of verify_n entries.
    while (missing := verify_n - ProcessingEntry.objects.count()) > 0:
        with transaction.atomic():
            for _ in range(min(missing, 1000)):
                _record(*pick())

    verify_totals = []
    for _ in range(verify_runs):
        start = time.perf_counter_ns()
        report = processing_log_verify()
        verify_totals.append(time.perf_counter_ns() - start)
        if not report.ok:
            raise RuntimeError(f"the benchmark's own chain does not verify: {report.problem}")
    entries = report.checked
    verify = summary(verify_totals)
    return {
        "database": database_info(),
        "subject": subject_kind,
        "data": {
            "memberships": len(data.memberships),
            "persons": len(data.persons),
            "warmup_entries": WARMUP,
        },
        "statements_per_entry": statements,
        "round_trip_select_1": summary(round_trip),
        "own_transaction": summary(own),
        "in_transaction_per_call": summary(per_call),
        "in_transaction_per_entry_incl_commit": summary(per_entry_of_batch),
        "long_transaction": {
            "entries": long_n,
            "first": summary(long_tx[:edge]),
            "last": summary(long_tx[-edge:]),
        },
        "verify": {
            "entries": entries,
            "runs": verify_runs,
            "total_median_ms": round(verify["median_us"] / 1000, 1),
            "total_p95_ms": round(verify["p95_us"] / 1000, 1),
            "per_entry_median_us": round(verify["median_us"] / entries, 2),
            "per_entry_p95_us": round(verify["p95_us"] / entries, 2),
        },
    }


def statements_per_entry(pick) -> dict:
    """The first word of each SQL statement one entry sends, alone and nested."""
    with CaptureQueriesContext(connection) as own:
        _record(*pick())
    with transaction.atomic(), CaptureQueriesContext(connection) as nested:
        _record(*pick())
    return {
        "own_transaction": [q["sql"].split()[0].upper() for q in own.captured_queries],
        "in_transaction": [q["sql"].split()[0].upper() for q in nested.captured_queries],
    }


def database_info() -> dict:
    info = {"vendor": connection.vendor}
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            import sqlite3

            cursor.execute("PRAGMA journal_mode")
            journal = cursor.fetchone()[0]
            cursor.execute("PRAGMA synchronous")
            synchronous = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}[cursor.fetchone()[0]]
            info.update(
                version=sqlite3.sqlite_version, journal_mode=journal, synchronous=synchronous
            )
        elif connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
            cursor.execute("SHOW synchronous_commit")
            info.update(version=version, synchronous_commit=cursor.fetchone()[0])
    return info
