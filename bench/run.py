"""Run the benchmarks on throwaway databases and write bench/results/. See bench/README.md.

    .venv/bin/python bench/run.py            # what `make bench` runs
    .venv/bin/python bench/run.py --quick    # a few seconds, to see that it works

Each database backend is measured in a fresh process of this script (`--child`), because Django
binds its database at start-up. SQLite lives in a temporary directory; PostgreSQL gets a database
of its own (`schakel_bench` by default) that is created before and dropped after. The developer's
var/ is never used: SCHAKEL_VAR_DIR points at the temporary directory as well.
"""

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
SRC = REPO / "src"
RESULTS = BENCH_DIR / "results"
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/schakel_bench"


# --- child: one backend, in its own process ----------------------------------------------------


def setup_django(database_url: str, var_dir: Path, overrides: dict | None = None) -> None:
    """Django on a throwaway database: migrated from scratch, keys generated into `var_dir`.

    `overrides` replace settings before the apps load (e.g. HUEY, which is read at start-up)."""
    sys.path.insert(0, str(SRC))
    sys.path.insert(0, str(BENCH_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "schakel.conf.dev")
    os.environ["DATABASE_URL"] = database_url
    os.environ["SCHAKEL_VAR_DIR"] = str(var_dir)
    os.environ["DEBUG"] = "false"  # DEBUG keeps every query in memory and skews the timings
    os.environ.setdefault("LOG_LEVEL", "WARNING")

    import django
    from django.conf import settings
    from django.core.management import call_command

    for name, value in (overrides or {}).items():
        setattr(settings, name, value)
    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def child(args) -> None:
    var_dir = Path(args.var_dir)
    setup_django(args.database_url, var_dir)
    import processing_log

    result = processing_log.run(
        n=args.n,
        batches=args.batches,
        long_n=args.long_n,
        verify_n=args.verify_n,
        verify_runs=args.verify_runs,
    )
    Path(args.out).write_text(json.dumps(result, indent=2))


# --- parent: orchestrate, compare, write the results --------------------------------------------


def _pg_admin_url(url: str) -> tuple[str, str]:
    """(URL of the `postgres` maintenance database, name of the benchmark database)."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.endswith("_bench"):
        raise SystemExit(f"refusing to create and drop '{name}': the name must end in _bench")
    return urlunsplit(parts._replace(path="/postgres")), name


def _pg_admin(url: str, statement: str) -> None:
    import psycopg

    admin_url, _name = _pg_admin_url(url)
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=3) as conn:
        conn.execute(statement)


def _run_child(backend: str, database_url: str, tmp: Path, args) -> dict:
    out = tmp / f"{backend}.json"
    command = [
        sys.executable, __file__, "--child", backend, "--database-url", database_url,
        "--var-dir", str(tmp / "var"), "--out", str(out), "--n", str(args.n),
        "--batches", str(args.batches), "--long-n", str(args.long_n),
        "--verify-n", str(args.verify_n),
        "--verify-runs", str(args.verify_runs),
    ]  # fmt: skip
    print(f"== {backend}: {args.n} entries in own transactions, {args.batches}x100 in one, "
          f"verify over {args.verify_n}", flush=True)  # fmt: skip
    subprocess.run(command, check=True, cwd=REPO)  # noqa: S603 - our own script, fixed args
    return json.loads(out.read_text())


def run_postgres(url: str, tmp: Path, args) -> dict:
    import psycopg

    _admin_url, name = _pg_admin_url(url)
    try:
        _pg_admin(url, f'DROP DATABASE IF EXISTS "{name}"')
        _pg_admin(url, f'CREATE DATABASE "{name}"')
    except psycopg.Error as error:
        reason = f"PostgreSQL not reachable at {url}: {str(error).strip()}"
        print(f"== postgresql: SKIPPED ({reason})", flush=True)
        return {"skipped": reason}
    try:
        return _run_child("postgresql", url, tmp, args)
    finally:
        _pg_admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def _filesystem_of(path: Path) -> str:
    """The file system type SQLite writes to (tmpfs would make commits look free)."""
    best, kind = "", "unknown"
    try:
        for line in Path("/proc/mounts").read_text().splitlines():
            _dev, mount, fstype, *_rest = line.split()
            if str(path).startswith(mount) and len(mount) > len(best):
                best, kind = mount, fstype
    except OSError:
        pass
    return kind


def _git_commit() -> str:
    try:
        commit = subprocess.run(  # noqa: S603
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
            cwd=REPO, capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        dirty = subprocess.run(  # noqa: S603
            ["git", "status", "--porcelain"],  # noqa: S607
            cwd=REPO, capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{commit}{' (with uncommitted changes)' if dirty else ''}"


def machine(tmp: Path) -> dict:
    import django

    return {
        "date_utc": datetime.now(UTC).strftime("%Y-%m-%d %H:%M"),
        "commit": _git_commit(),
        "cpu": _cpu_model(),
        "cpus": os.cpu_count(),
        "memory_gib": _memory_gib(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "sqlite_filesystem": _filesystem_of(tmp),
        "settings": os.environ.get("DJANGO_SETTINGS_MODULE", "schakel.conf.dev"),
    }


def _load() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def _ratio(a: float, b: float) -> float:
    return round(a / b, 2) if b else float("nan")


def ratios(backends: dict) -> dict:
    out = {}
    for name, r in backends.items():
        if "skipped" in r:
            continue
        own = r["own_transaction"]["median_us"]
        out[f"{name}: in-transaction per call / own transaction"] = _ratio(
            r["in_transaction_per_call"]["median_us"], own
        )
        out[f"{name}: in-transaction per entry incl. commit / own transaction"] = _ratio(
            r["in_transaction_per_entry_incl_commit"]["median_us"], own
        )
        long = r["long_transaction"]
        edge, size = long["first"]["n"], long["entries"]
        out[f"{name}: last / first {edge} calls of one {size}-entry transaction"] = _ratio(
            long["last"]["median_us"], long["first"]["median_us"]
        )
    sqlite, pg = backends.get("sqlite", {}), backends.get("postgresql", {})
    if "own_transaction" in sqlite and "own_transaction" in pg:
        for key, label in (
            ("own_transaction", "own transaction"),
            ("in_transaction_per_call", "in-transaction per call"),
            ("in_transaction_per_entry_incl_commit", "in-transaction per entry incl. commit"),
        ):
            out[f"PostgreSQL / SQLite: {label}"] = _ratio(
                pg[key]["median_us"], sqlite[key]["median_us"]
            )
        out["PostgreSQL / SQLite: verify per entry"] = _ratio(
            pg["verify"]["per_entry_median_us"], sqlite["verify"]["per_entry_median_us"]
        )
    return out


def markdown(result: dict) -> str:
    m, p = result["machine"], result["parameters"]
    lines = [
        "# Benchmark results: processing log",
        "",
        "Written by `bench/run.py` (see `bench/README.md`); the same numbers are in",
        "`processing_log.json`. Compare numbers only within one run: the ratios below are.",
        "",
        f"- Date (UTC): {m['date_utc']}; commit {m['commit']}; settings `{m['settings']}`",
        f"- Machine: {m['cpu']}, {m['cpus']} CPUs, {m['memory_gib']} GiB; {m['os']}",
        f"- Python {m['python']}, Django {m['django']}; SQLite file on {m['sqlite_filesystem']}",
        f"- Load average (1 min) at start and end: {m['load_at_start']}, {m['load_at_end']}"
        + (
            " — **the machine was busy; expect noisy numbers**"
            if max(m["load_at_start"] or 0, m["load_at_end"] or 0) > (m["cpus"] or 1)
            else ""
        ),
        f"- N: {p['n']} entries each in its own transaction; {p['batches']} batches of "
        f"{p['batch_size']} entries in one transaction; one transaction of {p['long_n']}; "
        f"verification over {p['verify_n']} "
        f"entries, {p['verify_runs']} runs",
        "",
        "## `processing_record`, microseconds per entry",
        "",
        "| database | mode | median µs | p95 µs | mean µs | samples |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    modes = (
        ("own_transaction", "own transaction (commit per entry)"),
        ("in_transaction_per_call", "inside one transaction, per call"),
        ("in_transaction_per_entry_incl_commit", "inside one transaction, per entry incl. commit"),
    )
    for name, r in result["backends"].items():
        if "skipped" in r:
            lines.append(f"| {name} | skipped: {r['skipped']} | | | | |")
            continue
        db = r["database"]
        label = f"{name} {db['version']}"
        for key, mode in modes:
            s = r[key]
            lines.append(
                f"| {label} | {mode} | {s['median_us']} | {s['p95_us']} | {s['mean_us']} | "
                f"{s['n']} |"
            )
    lines += [
        "",
        f"One long transaction of {p['long_n']} entries (every entry updates the one chain-head "
        "row), median µs per call:",
        "",
    ]
    for name, r in result["backends"].items():
        if "skipped" in r:
            continue
        long = r["long_transaction"]
        lines.append(
            f"- {name}: first {long['first']['n']} calls {long['first']['median_us']}, "
            f"last {long['last']['n']} calls {long['last']['median_us']}"
        )
    lines += [
        "",
        "SQL statements per entry, as Django sent them:",
        "",
    ]
    for name, r in result["backends"].items():
        if "skipped" in r:
            continue
        st = r["statements_per_entry"]
        rt = r["round_trip_select_1"]
        lines.append(
            f"- {name}: own transaction {' '.join(st['own_transaction'])}; "
            f"nested {' '.join(st['in_transaction'])}. "
            f"One `SELECT 1` round trip: median {rt['median_us']} µs, p95 {rt['p95_us']} µs."
        )
    lines += [
        "",
        "## `processing_log_verify`",
        "",
        "| database | entries | total median ms | total p95 ms | median µs per entry |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, r in result["backends"].items():
        if "skipped" in r:
            continue
        v = r["verify"]
        lines.append(
            f"| {name} | {v['entries']} | {v['total_median_ms']} | {v['total_p95_ms']} | "
            f"{v['per_entry_median_us']} |"
        )
    lines += ["", "## Ratios (medians, this run)", "", "| ratio | value |", "| --- | ---: |"]
    lines += [f"| {k} | {v} |" for k, v in result["ratios"].items()]
    lines += ["", "## Conditions", ""]
    for name, r in result["backends"].items():
        if "skipped" in r:
            lines.append(f"- {name}: not measured ({r['skipped']})")
            continue
        db = ", ".join(f"{k} {v}" for k, v in r["database"].items() if k != "vendor")
        lines.append(f"- {name}: {db}; subject: {r['subject']}")
    return "\n".join(lines) + "\n"


def write_results(result: dict, results_dir: Path) -> None:
    results_dir.mkdir(parents=True, exist_ok=True)
    for name, text in (
        ("processing_log.json", json.dumps(result, indent=2) + "\n"),
        ("latest.md", markdown(result)),
    ):
        tmp = results_dir / f"{name}.tmp"
        tmp.write_text(text)
        tmp.replace(results_dir / name)


def parent(args) -> None:
    if args.quick:
        args.n, args.batches, args.long_n, args.verify_n, args.verify_runs = 200, 3, 300, 1000, 3
    sys.path.insert(0, str(SRC))
    tmp = Path(tempfile.mkdtemp(prefix="schakel-bench-"))
    load_at_start = _load()
    try:
        backends = {"sqlite": _run_child("sqlite", f"sqlite:///{tmp / 'bench.sqlite3'}", tmp, args)}
        if args.no_postgres:
            backends["postgresql"] = {"skipped": "--no-postgres"}
        else:
            backends["postgresql"] = run_postgres(args.postgres_url, tmp, args)
        result = {
            "benchmark": "processing_log",
            "machine": {**machine(tmp), "load_at_start": load_at_start, "load_at_end": _load()},
            "parameters": {
                "n": args.n,
                "batches": args.batches,
                "batch_size": 100,
                "long_n": args.long_n,
                "verify_n": args.verify_n,
                "verify_runs": args.verify_runs,
            },
            "backends": backends,
        }
        result["ratios"] = ratios(backends)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    write_results(result, Path(args.results_dir))
    print(markdown(result))
    print(f"Written: {args.results_dir}/processing_log.json and latest.md")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="entries in own transactions")
    parser.add_argument("--batches", type=int, default=20, help="batches of 100 in one transaction")
    parser.add_argument("--long-n", type=int, default=1000, help="entries in one long transaction")
    parser.add_argument("--verify-n", type=int, default=10000, help="chain length to verify")
    parser.add_argument("--verify-runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="small N, to see that it works")
    parser.add_argument(
        "--postgres-url", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_PG_URL)
    )
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--results-dir", default=str(RESULTS))
    parser.add_argument("--child", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--var-dir", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
    else:
        parent(args)


if __name__ == "__main__":
    main()
