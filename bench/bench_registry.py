"""Benchmark of the registry and the monitor: import rate, and the time to compute every monitor
table, on SQLite and PostgreSQL, side by side with DuckDB computing the same tables.

    .venv/bin/python bench/bench_registry.py                 # what `make bench` runs (1,000,000)
    .venv/bin/python bench/bench_registry.py --quick         # 20,000 rows, to see that it works
    .venv/bin/python bench/bench_registry.py --rows 200000   # a smaller run

The data comes from the registry's own generator (`generate_registrations`, seeded): one CSV file
in the contract's format, written once and used by every database. For each database, in a fresh
process (Django binds its database at start-up):

* import: `registrations_import` (the service behind `manage.py registry_import`: two streaming
  passes, batches inside one transaction, one processing-log entry per melding), timed as a
  whole; rows per second and the process's peak memory (maximum resident set size);
* tables: every table of `schakel.monitor.tables.TABLES` for all years of the data, `--runs`
  times; per table and in total, median and p95 over the runs.

DuckDB (imported only here) loads the same CSV file into a table with the registry's columns and
runs the *same SQL* that the monitor sends to the database (captured from `tables._query`), so
the comparison is between engines, not between queries. The rows DuckDB returns are compared
with the Django rows: the run fails if any table differs.

Writes bench/results/registry.json and bench/results/registry.md.
"""

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import run as bench_run  # noqa: E402 - bench/run.py: setup_django, machine info, PostgreSQL

RESULTS = BENCH_DIR / "results"
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/schakel_registry_bench"
SEED = 2016
FIRST_YEAR, LAST_YEAR = 2016, 2025


def summary(samples_s: list[float]) -> dict:
    ordered = sorted(samples_s)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {
        "n": len(ordered),
        "p50_s": round(statistics.median(ordered), 3),
        "p95_s": round(p95, 3),
        "mean_s": round(statistics.fmean(ordered), 3),
    }


# --- data -------------------------------------------------------------------------------------


def write_data(path: Path, rows: int) -> None:
    sys.path.insert(0, str(BENCH_DIR.parent / "src"))
    import datetime

    from schakel.registry.synthetic import generate_csv_lines

    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.writelines(
            generate_csv_lines(
                rows=rows,
                seed=SEED,
                first_year=FIRST_YEAR,
                last_year=LAST_YEAR,
                today=datetime.date(LAST_YEAR, 12, 31),
            )
        )


# --- child: one database -----------------------------------------------------------------------


def _peak_rss_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def measure_import(csv_path: Path) -> dict:
    from schakel.registry.services import registrations_import

    size = csv_path.stat().st_size
    rss_before = _peak_rss_mib()
    start = time.perf_counter()
    report = registrations_import(
        actor=None, opener=lambda: csv_path.open("rb"), file_name=csv_path.name, size=size
    )
    seconds = time.perf_counter() - start
    return {
        "rows": report.created,
        "file_mib": round(size / 1024 / 1024, 1),
        "seconds": round(seconds, 1),
        "rows_per_second": round(report.created / seconds),
        "peak_rss_mib_before": rss_before,
        "peak_rss_mib_after": _peak_rss_mib(),
    }


def measure_tables(runs: int) -> tuple[dict, dict]:
    from schakel.monitor import tables

    per_table: dict[str, list[float]] = {t: [] for t in tables.TABLES}
    totals, rows = [], {}
    for _run in range(runs):
        total = 0.0
        for table_id in tables.TABLES:
            start = time.perf_counter()
            rows[table_id] = tables.raw_rows(table_id, FIRST_YEAR, LAST_YEAR)
            elapsed = time.perf_counter() - start
            per_table[table_id].append(elapsed)
            total += elapsed
        totals.append(total)
    result = {"total": summary(totals), "tables": {k: summary(v) for k, v in per_table.items()}}
    return result, rows


def measure_duckdb(csv_path: Path, runs: int, django_rows: dict) -> dict:
    """The same SQL on DuckDB, over the same CSV file."""
    import duckdb

    from schakel.monitor import tables
    from schakel.registry.models import FORM_FIELDS

    con = duckdb.connect()
    flags = ", ".join(
        f"CASE WHEN list_contains(string_split(uitbuitingsvormen, '|'), '{form}') "
        f"THEN 1 ELSE 0 END AS {field}"
        for form, field in FORM_FIELDS.items()
    )
    start = time.perf_counter()
    con.execute(
        "CREATE TABLE registry_melding AS SELECT "  # noqa: S608 - our own file and column names
        "row_number() OVER () AS id, CAST(melddatum AS DATE) AS melddatum, "
        "year(CAST(melddatum AS DATE)) AS year, persoon_sleutel, melder, "
        "coalesce(politie_eenheid, '') AS politie_eenheid, "
        f"{flags}, coalesce(sector, '') AS sector, geslacht, "
        "TRY_CAST(nullif(leeftijd, '') AS INTEGER) AS leeftijd, "
        "coalesce(nationaliteit, '') AS nationaliteit, "
        "coalesce(nullif(lvb_indicatie, ''), 'onbekend') AS lvb_indicatie "
        f"FROM read_csv('{csv_path}', header = true, all_varchar = true)"
    )
    load_seconds = time.perf_counter() - start

    def duck_query(sql, params):
        return con.execute(sql.replace("%s", "?"), list(params)).fetchall()

    original = tables._query
    tables._query = duck_query
    try:
        measured, rows = measure_tables(runs)
    finally:
        tables._query = original
    differing = [t for t in tables.TABLES if rows[t] != django_rows[t]]
    if differing:
        raise SystemExit(f"DuckDB and the database disagree on: {', '.join(differing)}")
    return {"load_seconds": round(load_seconds, 2), "version": duckdb.__version__, **measured}


def _database_info() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        else:
            cursor.execute("SELECT sqlite_version()")
            version = cursor.fetchone()[0]
    return {"vendor": connection.vendor, "version": version}


def child(args) -> None:
    bench_run.setup_django(args.database_url, Path(args.var_dir))
    csv_path = Path(args.csv)
    result = {"database": _database_info(), "import": measure_import(csv_path)}
    print(
        f"   import: {result['import']['rows']} rows in {result['import']['seconds']} s "
        f"({result['import']['rows_per_second']}/s)",
        flush=True,
    )
    measured, rows = measure_tables(args.runs)
    result["tables"] = measured
    print(f"   all tables: median {measured['total']['p50_s']} s", flush=True)
    if args.duckdb:
        result["duckdb"] = measure_duckdb(csv_path, args.runs, rows)
        print(f"   duckdb: median {result['duckdb']['total']['p50_s']} s", flush=True)
    Path(args.out).write_text(json.dumps(result, indent=2))


# --- parent ---------------------------------------------------------------------------------------


def _run_child(backend: str, url: str, tmp: Path, csv_path: Path, args, *, duckdb: bool) -> dict:
    out = tmp / f"{backend}.json"
    command = [
        sys.executable, __file__, "--child", "--database-url", url, "--var-dir",
        str(tmp / f"var-{backend}"), "--out", str(out), "--csv", str(csv_path),
        "--runs", str(args.runs),
    ] + (["--duckdb"] if duckdb else [])  # fmt: skip
    print(f"== registry on {backend}: {args.rows} meldingen", flush=True)
    subprocess.run(command, check=True, cwd=BENCH_DIR.parent)  # noqa: S603 - our own script
    return json.loads(out.read_text())


def _postgres(url: str, tmp: Path, csv_path: Path, args) -> dict:
    import psycopg

    _admin, name = bench_run._pg_admin_url(url)
    try:
        bench_run._pg_admin(url, f'DROP DATABASE IF EXISTS "{name}"')
        bench_run._pg_admin(url, f'CREATE DATABASE "{name}"')
    except psycopg.Error as error:
        reason = f"PostgreSQL not reachable at {url}: {str(error).strip()}"
        print(f"== postgresql: SKIPPED ({reason})", flush=True)
        return {"skipped": reason}
    try:
        return _run_child("postgresql", url, tmp, csv_path, args, duckdb=False)
    finally:
        bench_run._pg_admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _ratio(a, b):
    return round(a / b, 1) if b else None


def markdown(result: dict) -> str:
    m, p = result["machine"], result["parameters"]
    lines = [
        "# Registry and monitor benchmark",
        "",
        f"{m['date_utc']} UTC · commit {m['commit']} · {m['cpu']} ({m['cpus']} CPUs, "
        f"{m['memory_gib']} GiB) · {m['os']} · Python {m['python']} · Django {m['django']} · "
        f"SQLite file on {m['sqlite_filesystem']} · load {result['load_before']} → "
        f"{result['load_after']}",
        "",
        f"N = {p['rows']:,} meldingen from `generate_registrations` (seed {p['seed']}, years "
        f"{p['first_year']}–{p['last_year']}); every table computed {p['runs']} times over all "
        "years. Written by `bench/bench_registry.py`; the same numbers are in `registry.json`.",
    ]
    if p.get("note"):
        lines += ["", f"**{p['note']}**"]
    lines += [
        "",
        "## Import (`registrations_import`, as `manage.py registry_import`)",
        "",
        "| database | rows | seconds | rows per second | peak memory of the process (MiB) |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    backends = result["backends"]
    for name, data in backends.items():
        if "skipped" in data:
            lines.append(f"| {name} | skipped: {data['skipped']} | | | |")
            continue
        i = data["import"]
        lines.append(
            f"| {name} {data['database']['version']} | {i['rows']:,} | {i['seconds']} | "
            f"{i['rows_per_second']:,} | {i['peak_rss_mib_after']} |"
        )
    lines += [
        "",
        "## All monitor tables, seconds (median and p95 over the runs)",
        "",
    ]
    engines = []
    for name, data in backends.items():
        if "skipped" not in data:
            engines.append((f"{name} {data['database']['version']}", data["tables"]))
    duck = backends.get("sqlite", {}).get("duckdb")
    if duck:
        engines.append((f"duckdb {duck['version']}", duck))
    header = "| table | " + " | ".join(f"{label} p50 | p95" for label, _ in engines) + " |"
    lines += [header, "| --- |" + " ---: | ---: |" * len(engines)]
    table_ids = list(engines[0][1]["tables"]) if engines else []
    for table_id in table_ids:
        cells = " | ".join(
            f"{data['tables'][table_id]['p50_s']} | {data['tables'][table_id]['p95_s']}"
            for _label, data in engines
        )
        lines.append(f"| {table_id} | {cells} |")
    total = " | ".join(
        f"**{data['total']['p50_s']}** | {data['total']['p95_s']}" for _label, data in engines
    )
    lines.append(f"| **all tables** | {total} |")
    if duck:
        lines += [
            "",
            f"DuckDB loaded the CSV file into its table in {duck['load_seconds']} s (not included "
            "above). The SQL is the same; DuckDB's rows equal the database's rows for every table.",
            "",
            "## Ratios (median time of all tables, this run)",
            "",
            "| ratio | value |",
            "| --- | ---: |",
        ]
        for name, data in backends.items():
            if "skipped" in data:
                continue
            lines.append(
                f"| {name} / DuckDB | {_ratio(data['tables']['total']['p50_s'], duck['total']['p50_s'])} |"  # noqa: E501
            )
        sqlite, pg = backends.get("sqlite", {}), backends.get("postgresql", {})
        if "tables" in sqlite and "tables" in pg:
            lines.append(
                "| PostgreSQL / SQLite | "
                f"{_ratio(pg['tables']['total']['p50_s'], sqlite['tables']['total']['p50_s'])} |"
            )
            lines.append(
                "| import rows per second, PostgreSQL / SQLite | "
                f"{_ratio(pg['import']['rows_per_second'], sqlite['import']['rows_per_second'])} |"
            )
    busy = max(result["load_before"] or 0, result["load_after"] or 0) > (m["cpus"] or 1)
    if busy:
        lines += ["", "**The machine was busy during this run** (load above the number of CPUs)."]
    lines += [
        "",
        "Peak memory is the maximum resident set size of the process that imported and "
        "counted (it did not generate the data). The import streams the file twice and keeps "
        "only the melding ids for the duplicate check, so memory grows with the number of ids "
        "(roughly 90 MiB for a million; about 110 MiB in total at 20,000 rows), not with the "
        "size of the rows. Compare numbers only within one run; see bench/README.md on reading "
        "the results.",
        "",
    ]
    return "\n".join(lines)


def parent(args) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="schakel-bench-registry-"))
    try:
        load_before = bench_run._load()
        csv_path = tmp / "meldingen.csv"
        start = time.perf_counter()
        write_data(csv_path, args.rows)
        print(f"== data: {args.rows} meldingen in {time.perf_counter() - start:.1f} s", flush=True)
        backends = {
            "sqlite": _run_child(
                "sqlite", f"sqlite:///{tmp / 'bench.sqlite3'}", tmp, csv_path, args, duckdb=True
            )
        }
        if not args.no_postgres:
            backends["postgresql"] = _postgres(args.postgres_url, tmp, csv_path, args)
        result = {
            "machine": bench_run.machine(tmp),
            "load_before": load_before,
            "load_after": bench_run._load(),
            "parameters": {
                "rows": args.rows,
                "runs": args.runs,
                "seed": SEED,
                "first_year": FIRST_YEAR,
                "last_year": LAST_YEAR,
                "note": args.note,
            },
            "backends": backends,
        }
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "registry.json").write_text(json.dumps(result, indent=2) + "\n")
    text = markdown(result)
    (RESULTS / "registry.md").write_text(text)
    print(text)
    print("Written: bench/results/registry.json and registry.md")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="meldingen to generate")
    parser.add_argument("--runs", type=int, default=3, help="times every table is computed")
    parser.add_argument("--quick", action="store_true", help="20,000 rows, to see that it works")
    parser.add_argument("--note", default="", help="a remark for the results (why N was reduced)")
    parser.add_argument(
        "--postgres-url", default=os.environ.get("BENCH_REGISTRY_POSTGRES_URL", DEFAULT_PG_URL)
    )
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--duckdb", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--var-dir", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--csv", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        args.rows, args.runs = 20_000, 3
    if args.child:
        child(args)
    else:
        parent(args)


if __name__ == "__main__":
    main()
