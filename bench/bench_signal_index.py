"""Benchmark of the signal index: the bulk loader's rate, and register-and-match latency with N
active registrations loaded, on SQLite and PostgreSQL.

    .venv/bin/python bench/bench_signal_index.py               # N = 1,000,000
    .venv/bin/python bench/bench_signal_index.py --n 100000    # a smaller run
    .venv/bin/python bench/bench_signal_index.py --quick       # N = 20,000, 200 samples

For each database, in a fresh process (Django binds its database at start-up), on a fresh
database (SQLite: a new file under var/bench_signal_index/; PostgreSQL: the database
`schakel_bench_signals`, created before and dropped after; skipped with a message when no server
answers):

* load: N registrations of persons with a BSN and a name + date of birth (two pseudonyms each),
  spread over the organisations, through `signal_registrations_import` (the service behind
  `manage.py import_signals`: validation, pseudonyms computed in Python, bulk inserts in batches,
  one processing-log entry per registration, matching per batch), timed as a whole: rows/s.
* latency: `--samples` calls of `signal_register` (the service behind the web form and the API),
  each timed server-side from call to return, including its commit: the rate-limit counts, the
  pseudonyms at every key version, the own-registration lookup (renewal), the inserts, the match
  query, the processing log, the match rows and the queued e-mail task. About 10% of the calls
  register a person that another organisation already registered (a match); the rest are new
  persons. The rate limits are raised for the run (the counting queries still run).

Writes bench/results/signal_index.json and bench/results/signal_index.md.
"""

import argparse
import datetime
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))

import run as bench_run  # noqa: E402 - bench/run.py: setup_django, machine info

RESULTS = BENCH_DIR / "results"
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/schakel_bench_signals"
SQLITE_DIR = REPO / "var" / "bench_signal_index"
ORGANISATIONS = 40
SEED = 7
TARGET_P95_MS = 5.0
WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2)
SURNAMES = ["Jansen", "de Vries", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
            "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer",
            "Çelik", "Yılmaz", "El Amrani", "Nguyen"]  # fmt: skip
GIVEN = ["Sem", "Noa", "Milan", "Emma", "Daan", "Julia", "Mohammed", "Sara", "Finn", "Lina"]


def bsn_of(n: int) -> str:
    """A distinct valid BSN (elfproef) for each n: each n has its own ten 8-digit prefixes."""
    for prefix in range(10_000_000 + n * 10, 10_000_000 + n * 10 + 10):
        digits = f"{prefix:08d}"
        check = sum(w * int(d) for w, d in zip(WEIGHTS, digits, strict=True)) % 11
        if check <= 9:
            return digits + str(check)
    raise ValueError(n)


def person(n: int) -> dict:
    rng = random.Random(n * 7919 + SEED)
    born = datetime.date(2006, 1, 1) + datetime.timedelta(days=rng.randrange(0, 365 * 10))
    letters = "abcdefghijklmnopqrstuvwxyz"
    suffix = letters[n % 26] + letters[(n // 26) % 26] + letters[(n // 676) % 26]
    return {
        "bsn": bsn_of(n),
        "surname": f"{rng.choice(SURNAMES)} {suffix}{letters[(n // 17576) % 26]}",
        "given_names": rng.choice(GIVEN),
        "birth_date": born.isoformat(),
    }


def summary_ms(samples: list[float]) -> dict:
    ordered = sorted(samples)

    def pick(q):
        return round(ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] * 1000, 3)

    return {
        "n": len(ordered),
        "p50_ms": round(statistics.median(ordered) * 1000, 3),
        "p95_ms": pick(0.95),
        "p99_ms": pick(0.99),
        "mean_ms": round(statistics.fmean(ordered) * 1000, 3),
        "max_ms": round(ordered[-1] * 1000, 3),
    }


# --- child: one database -----------------------------------------------------------------------


REDIS_URL = "redis://127.0.0.1:6379/14"


def _redis_reachable() -> bool:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception:  # noqa: BLE001 - any failure means: not there
        return False
    return True


def _setup(database_url: str, var_dir: Path) -> str:
    """Django for one database; returns which task queue the match e-mails go to.

    PostgreSQL is the production path, so its run queues on Redis (as in production) when a
    server answers; SQLite is the embedded path and keeps the SQLite-backed queue of `make run`.
    """
    os.environ["SCHAKEL_SIGNAL_RATE_PER_USER_HOUR"] = "1000000"
    os.environ["SCHAKEL_SIGNAL_RATE_PER_ORG_DAY"] = "1000000"
    queue, overrides = "huey.SqliteHuey (var/)", {}
    if database_url.startswith("postgres") and _redis_reachable():
        overrides["HUEY"] = {
            "huey_class": "huey.RedisHuey",
            "name": "schakel-bench",
            "immediate": False,
            "connection": {"url": REDIS_URL},
        }
        queue = f"huey.RedisHuey ({REDIS_URL})"
    bench_run.setup_django(database_url, var_dir, overrides)
    return queue


def _database_info() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        version = cursor.fetchone()[0]
    return {"vendor": connection.vendor, "version": version}


def _actors():
    from schakel.accounts.models import Membership, Organisation, Role, User

    domains = ["zorg", "onderwijs", "politie", "gemeente", "justitie"]
    actors = []
    for i in range(ORGANISATIONS):
        org = Organisation.objects.create(name=f"Bench org {i}", domain=domains[i % len(domains)])
        user = User.objects.create_user(f"bench{i}@example.org", None, full_name=f"Bench {i}")
        actors.append(
            Membership.objects.create(user=user, organisation=org, role=Role.PROFESSIONAL)
        )
    return actors


def measure_load(actors, n: int) -> dict:
    from schakel.signal_index.services import signal_registrations_import

    per_org = -(-n // len(actors))
    created = 0
    start = time.perf_counter()
    for index, actor in enumerate(actors):
        first = index * per_org
        last = min(n, first + per_org)
        if first >= last:
            break
        rows = (
            {**person(k), "context": "zorgen_over_uitbuiting", "contact_function": "Mentor",
             "contact_phone": "020-5551234"}
            for k in range(first, last)
        )  # fmt: skip
        report = signal_registrations_import(actor=None, rows=rows, organisation=actor.organisation)
        created += report.created
        if index % 10 == 9:
            print(f"   loaded {created} rows, {time.perf_counter() - start:.0f} s", flush=True)
    seconds = time.perf_counter() - start
    return {
        "rows": created,
        "organisations": len(actors),
        "seconds": round(seconds, 1),
        "rows_per_second": round(created / seconds),
    }


def measure_latency(actors, n: int, samples: int, hit_share: float) -> dict:
    from schakel.people.pseudonyms import Identifiers
    from schakel.signal_index.models import SignalPseudonym, SignalRegistration
    from schakel.signal_index.services import signal_register

    rng = random.Random(SEED)
    per_org = -(-n // len(actors))
    times, matched, hits_planned = [], 0, 0
    for i in range(samples + 20):
        actor = actors[i % len(actors)]
        if rng.random() < hit_share and n:
            hits_planned += 1 if i >= 20 else 0
            k = rng.randrange(n)
            if k // per_org == i % len(actors):  # the own organisation: take another's person
                k = (k + per_org) % n
        else:
            k = n + 1_000_000 + i  # a person nobody registered yet
        p = person(k)
        ids = Identifiers(
            bsn=p["bsn"], surname=p["surname"], given_names=p["given_names"],
            date_of_birth=datetime.date.fromisoformat(p["birth_date"]),
        )  # fmt: skip
        start = time.perf_counter()
        result = signal_register(
            actor=actor, context="zorgen_over_uitbuiting", identifiers=ids,
            contact_function="Mentor", contact_phone="020-5551234",
        )  # fmt: skip
        elapsed = time.perf_counter() - start
        if i >= 20:  # the first 20 warm up caches and connections
            times.append(elapsed)
            matched += bool(result.new_matches)
    return {
        **summary_ms(times),
        "calls_with_a_new_match": matched,
        "calls_meant_to_match": hits_planned,
        "registrations_after": SignalRegistration.objects.count(),
        "pseudonyms_after": SignalPseudonym.objects.count(),
    }


def child(args) -> None:
    queue = _setup(args.database_url, Path(args.var_dir))
    result = {"database": _database_info(), "task_queue": queue}
    actors = _actors()
    print(f"   loading {args.n} registrations over {len(actors)} organisations", flush=True)
    result["load"] = measure_load(actors, args.n)
    print(f"   load: {result['load']['rows_per_second']} rows/s", flush=True)
    result["latency"] = measure_latency(actors, args.n, args.samples, args.hit_share)
    if queue.startswith("huey.RedisHuey"):
        from huey.contrib.djhuey import HUEY

        HUEY.flush()  # the queued match e-mails of this run: nobody reads them
    lat = result["latency"]
    print(f"   register-and-match: p50 {lat['p50_ms']} ms, p95 {lat['p95_ms']} ms, "
          f"p99 {lat['p99_ms']} ms", flush=True)  # fmt: skip
    Path(args.out).write_text(json.dumps(result, indent=2))


# --- parent ---------------------------------------------------------------------------------------


def _pg_admin(url: str, statement: str) -> None:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
        conn.execute(statement)


def _run_child(backend: str, url: str, var_dir: Path, out: Path, args) -> dict:
    command = [
        sys.executable, __file__, "--child", "--database-url", url, "--var-dir", str(var_dir),
        "--out", str(out), "--n", str(args.n), "--samples", str(args.samples),
        "--hit-share", str(args.hit_share),
    ]  # fmt: skip
    print(f"== {backend}", flush=True)
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=REPO)  # noqa: S603 - our own script, fixed args
    result = json.loads(out.read_text())
    result["wall_seconds"] = round(time.perf_counter() - started, 1)
    return result


def run_sqlite(args, tmp: Path) -> dict:
    shutil.rmtree(SQLITE_DIR, ignore_errors=True)
    SQLITE_DIR.mkdir(parents=True)
    try:
        url = f"sqlite:///{SQLITE_DIR / 'signals.sqlite3'}"
        return _run_child("sqlite", url, SQLITE_DIR, tmp / "sqlite.json", args)
    finally:
        shutil.rmtree(SQLITE_DIR, ignore_errors=True)


def run_postgres(args, tmp: Path) -> dict:
    import psycopg

    url = args.postgres_url
    name = urlsplit(url).path.lstrip("/")
    if not name.startswith("schakel_bench"):
        raise SystemExit(f"refusing to create and drop '{name}': use a schakel_bench… name")
    try:
        _pg_admin(url, f'DROP DATABASE IF EXISTS "{name}"')
        _pg_admin(url, f'CREATE DATABASE "{name}"')
    except psycopg.Error as error:
        reason = f"PostgreSQL not reachable at {url}: {str(error).strip()}"
        print(f"== postgresql: SKIPPED ({reason})", flush=True)
        return {"skipped": reason}
    try:
        return _run_child("postgresql", url, tmp / "pg-var", tmp / "postgresql.json", args)
    finally:
        _pg_admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def markdown(result: dict) -> str:
    m, p = result["machine"], result["parameters"]
    lines = [
        "# Signal index benchmark",
        "",
        f"{m['date_utc']} UTC · commit {m['commit']} · {m['cpu']} ({m['cpus']} CPUs, "
        f"{m['memory_gib']} GiB) · {m['os']} · Python {m['python']} · Django {m['django']} · "
        f"SQLite file on {m['sqlite_filesystem']}",
        "",
        f"N = {p['n']:,} active registrations (each with a BSN and a name + date of birth "
        f"pseudonym) over {ORGANISATIONS} organisations; {p['samples']} timed calls of "
        f"`signal_register`, about {round(p['hit_share'] * 100)}% of them for a person another "
        "organisation already registered. Written by `bench/bench_signal_index.py`; the same "
        "numbers are in `signal_index.json`.",
        "",
        "## Bulk load (`signal_registrations_import`, as `manage.py import_signals`)",
        "",
        "| database | rows | seconds | rows per second |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, r in result["databases"].items():
        if "skipped" in r:
            lines.append(f"| {name} | skipped: {r['skipped']} | | |")
            continue
        label = f"{r['database']['vendor']} {r['database']['version']}"
        load = r["load"]
        lines.append(
            f"| {label} | {load['rows']:,} | {load['seconds']} | {load['rows_per_second']:,} |"
        )
    lines += [
        "",
        "## Register and match, server-side (ms per call, including the commit)",
        "",
        f"Target: p95 under {TARGET_P95_MS} ms.",
        "",
        "| database | task queue | p50 | p95 | p99 | mean | max | calls with a new match "
        "| p95 within target |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, r in result["databases"].items():
        if "skipped" in r:
            lines.append(f"| {name} | skipped | | | | | | | |")
            continue
        label = f"{r['database']['vendor']} {r['database']['version']}"
        lat = r["latency"]
        ok = "yes" if lat["p95_ms"] < TARGET_P95_MS else "no"
        lines.append(
            f"| {label} | {r.get('task_queue', '')} | {lat['p50_ms']} | {lat['p95_ms']} | "
            f"{lat['p99_ms']} | {lat['mean_ms']} | "
            f"{lat['max_ms']} | {lat['calls_with_a_new_match']} of {lat['n']} | {ok} |"
        )
    lines += [
        "",
        "Each call computes the pseudonyms at every key version, records the attempt and "
        "locks the organisation and the person's pseudonyms, counts the rate limits, looks up "
        "the active registrations with those pseudonyms (own: a renewal; others: matches), "
        "inserts the registration, its pseudonyms and any match, writes the processing-log "
        "entries (hash chain) and commits; after a match it queues the e-mail task. On "
        "PostgreSQL that is five round trips (`signal_index/hotpath.py`). SQLite runs with WAL "
        "and the dev settings (the e-mail task goes to the SQLite-backed queue of `make run`); "
        "PostgreSQL with its server "
        "settings and, as in production, the Redis queue when a Redis server answers.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--hit-share", type=float, default=0.1)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument(
        "--postgres-url", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_PG_URL)
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--var-dir", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    if args.quick:
        args.n, args.samples = 20_000, 200
    RESULTS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-signals-") as tmp_name:
        tmp = Path(tmp_name)
        databases = {}
        if not args.no_sqlite:
            databases["sqlite"] = run_sqlite(args, tmp)
        if not args.no_postgres:
            databases["postgresql"] = run_postgres(args, tmp)
        result = {
            "machine": bench_run.machine(SQLITE_DIR.parent),
            "parameters": {
                "n": args.n,
                "samples": args.samples,
                "hit_share": args.hit_share,
                "organisations": ORGANISATIONS,
            },  # fmt: skip
            "target_p95_ms": TARGET_P95_MS,
            "databases": databases,
        }
    (RESULTS / "signal_index.json").write_text(json.dumps(result, indent=2) + "\n")
    (RESULTS / "signal_index.md").write_text(markdown(result))
    print(f"wrote {RESULTS / 'signal_index.json'} and signal_index.md")


if __name__ == "__main__":
    main()
