"""Benchmark of screening: how many assessments are scored per second.

    .venv/bin/python bench/bench_screening.py            # what `make bench` runs
    .venv/bin/python bench/bench_screening.py --quick    # a few seconds, to see that it works

Three measurements, each on answer sets drawn by a seeded generator from the instrument
definitions (every item answered as a person could; "no" most often):

* engine: `engine.score` (check the answers, score, red flags, advice rules) and
  `advice.build` (step plan, reporting, contacts) per shipped instrument, without a database;
* anonymous: `services.consultation_score`, i.e. the engine plus the use count it writes;
* stored: `services.assessment_create` for a known person, i.e. the engine plus the assessment
  row and its processing-log entry (hash chain) in one transaction.

The database parts run on a throwaway SQLite file and, when reachable, on a throwaway
PostgreSQL database (`schakel_bench`), each in a fresh process as bench/run.py does.
Writes bench/results/screening.json and bench/results/screening.md.
"""

import argparse
import json
import os
import random
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
WORDS = ("vrienden", "geld", "telefoon", "school", "bang", "auto", "nacht", "werk", "schuld")


# --- data generator -----------------------------------------------------------------------


def random_answers(instrument, rng: random.Random) -> dict:
    """A valid answer set: every required item, optional ones half of the time."""
    answers = {}
    for item in instrument.items.values():
        if not item.required and rng.random() < 0.5:
            continue
        if item.type == "yes_no_unknown":
            answers[item.id] = rng.choices(["no", "yes", "unknown"], weights=[7, 2, 1])[0]
        elif item.type == "scale":
            answers[item.id] = rng.randint(item.scale_min, item.scale_max)
        elif item.type == "single":
            answers[item.id] = rng.choice(item.options).value
        elif item.type == "multiple":
            values = [option.value for option in item.options]
            answers[item.id] = rng.sample(values, rng.randint(1, len(values)))
        else:
            answers[item.id] = " ".join(rng.choices(WORDS, k=rng.randint(3, 20)))
    return answers


def summary(samples_us: list[float]) -> dict:
    ordered = sorted(samples_us)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    mean = statistics.fmean(ordered)
    return {
        "n": len(ordered),
        "p50_us": round(statistics.median(ordered), 1),
        "p95_us": round(p95, 1),
        "mean_us": round(mean, 1),
        "per_second": round(1_000_000 / mean, 1) if mean else None,
    }


def timed(fn, inputs) -> list[float]:
    samples = []
    for value in inputs:
        start = time.perf_counter()
        fn(value)
        samples.append((time.perf_counter() - start) * 1_000_000)
    return samples


# --- child: one backend ---------------------------------------------------------------------


def measure_engine(instruments, n: int, rng: random.Random) -> dict:
    from schakel.screening import advice, engine

    results = {}
    for instrument in instruments:
        inputs = [random_answers(instrument, rng) for _ in range(n)]
        timed(lambda a, i=instrument: engine.score(i, a), inputs[:50])  # warm up
        scored = timed(lambda a, i=instrument: engine.score(i, a), inputs)
        results_for_build = [engine.score(instrument, a) for a in inputs]
        built = timed(lambda r, i=instrument: advice.build(i, r), results_for_build)
        results[instrument.id] = {
            "items": len(instrument.items),
            "score": summary(scored),
            "score_and_build_advice": summary([a + b for a, b in zip(scored, built, strict=True)]),
        }
    return results


def measure_services(n: int, rng: random.Random) -> dict:
    from schakel.accounts.models import Membership, Organisation, Role, User
    from schakel.people.models import Person
    from schakel.screening import selectors, services

    organisation = Organisation.objects.create(name="Bench zorg", domain="zorg")
    user = User.objects.create_user("bench@example.org", "not-used-Bench-123")
    actor = Membership.objects.create(user=user, organisation=organisation, role=Role.PROFESSIONAL)
    persons = [
        Person.objects.create(
            given_names=f"Persoon {i}", surname="Bench", owner_organisation=organisation
        )
        for i in range(50)
    ]
    persons = list(Person.objects.filter(pk__in=[p.pk for p in persons]))  # decrypted, as read

    signals = selectors.instrument_get(key="signalen-uitbuiting")
    row = selectors.instrument_row_get(key="signalen-uitbuiting")
    inputs = [random_answers(signals, rng) for _ in range(n)]

    def anonymous(answers):
        services.consultation_score(actor=actor, instrument=signals, answers=answers)

    def stored(pair):
        person, answers = pair
        services.assessment_create(actor=actor, person=person, instrument_row=row, answers=answers)

    timed(anonymous, inputs[:20])
    anon = timed(anonymous, inputs)
    pairs = [(persons[i % len(persons)], a) for i, a in enumerate(inputs)]
    timed(stored, pairs[:20])
    store = timed(stored, pairs)
    return {
        "instrument": "signalen-uitbuiting",
        "anonymous_consultation": summary(anon),
        "stored_assessment": summary(store),
    }


def child(args) -> None:
    bench_run.setup_django(args.database_url, Path(args.var_dir))
    from django.core.management import call_command

    from schakel.screening import selectors

    call_command("load_instruments", verbosity=0)
    instruments = selectors.instrument_list()
    rng = random.Random(11)
    result = {"services": measure_services(args.n, rng)}
    if args.engine:
        result["engine"] = measure_engine(instruments, args.engine_n, rng)
    Path(args.out).write_text(json.dumps(result, indent=2))


# --- parent ---------------------------------------------------------------------------------


def _run_child(backend: str, url: str, tmp: Path, args, *, engine: bool) -> dict:
    out = tmp / f"{backend}.json"
    command = [
        sys.executable, __file__, "--child", "--database-url", url, "--var-dir",
        str(tmp / f"var-{backend}"), "--out", str(out), "--n", str(args.n),
        "--engine-n", str(args.engine_n),
    ] + (["--engine"] if engine else [])  # fmt: skip
    print(f"== screening on {backend}: n={args.n}", flush=True)
    subprocess.run(command, check=True, cwd=BENCH_DIR.parent)  # noqa: S603 - our own script
    return json.loads(out.read_text())


def _postgres(url: str, tmp: Path, args) -> dict:
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
        return _run_child("postgresql", url, tmp, args, engine=False)
    finally:
        bench_run._pg_admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def markdown(result: dict) -> str:
    m = result["machine"]
    lines = [
        "# Screening benchmark",
        "",
        f"{m['date_utc']} UTC · commit {m['commit']} · {m['cpu']} ({m['cpus']} CPUs, "
        f"{m['memory_gib']} GiB) · {m['os']} · Python {m['python']} · Django {m['django']} · "
        f"load {result['load_before']} → {result['load_after']}",
        "",
        f"N = {result['parameters']['engine_n']} answer sets per instrument for the engine, "
        f"{result['parameters']['n']} per database measurement (after a warm-up).",
        "",
        "## Engine",
        "",
        "*Scored*: `engine.score` alone (no database). *With advice*: plus `advice.build`, which "
        "looks up the contacts in the wegwijzer (database queries; the throwaway database has "
        "no wegwijzer entries loaded, so the queries find nothing).",
        "",
        "| instrument | items | scored per second | p50 µs | p95 µs | with advice: per second "
        "| p50 µs | p95 µs |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for key, row in result["engine"].items():
        s, b = row["score"], row["score_and_build_advice"]
        lines.append(
            f"| {key} | {row['items']} | {s['per_second']:,.0f} | {s['p50_us']} | {s['p95_us']} "
            f"| {b['per_second']:,.0f} | {b['p50_us']} | {b['p95_us']} |"
        )
    lines += [
        "",
        "## Services (signalen-uitbuiting, with the database)",
        "",
        "| backend | what | per second | p50 µs | p95 µs |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for backend, data in result["backends"].items():
        if "skipped" in data:
            lines.append(f"| {backend} | skipped: {data['skipped']} | | | |")
            continue
        for label, key in (
            ("anonymous consultation (engine + use count)", "anonymous_consultation"),
            ("stored assessment (engine + row + processing log)", "stored_assessment"),
        ):
            s = data[key]
            lines.append(
                f"| {backend} | {label} | {s['per_second']:,.0f} | {s['p50_us']} | {s['p95_us']} |"
            )
    busy = (result["load_after"] or 0) > (m["cpus"] or 1)
    if busy:
        lines += ["", "**The machine was busy during this run** (load above the number of CPUs)."]
    lines += [
        "",
        "Per second = 1 / mean time of one call, one call after another in one process. "
        "Compare numbers only within one run; see bench/README.md on reading the results.",
        "",
    ]
    return "\n".join(lines)


def parent(args) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="schakel-bench-screening-"))
    try:
        load_before = bench_run._load()
        sqlite = _run_child("sqlite", f"sqlite:///{tmp / 'bench.sqlite3'}", tmp, args, engine=True)
        backends = {"sqlite": sqlite["services"]}
        if not args.no_postgres:
            pg = _postgres(args.postgres_url, tmp, args)
            backends["postgresql"] = pg if "skipped" in pg else pg["services"]
        result = {
            "machine": bench_run.machine(tmp),
            "load_before": load_before,
            "load_after": bench_run._load(),
            "parameters": {"n": args.n, "engine_n": args.engine_n},
            "engine": sqlite["engine"],
            "backends": backends,
        }
    finally:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "screening.json").write_text(json.dumps(result, indent=2) + "\n")
    text = markdown(result)
    (RESULTS / "screening.md").write_text(text)
    print(text)
    print("Written: bench/results/screening.json and screening.md")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500, help="calls per database measurement")
    parser.add_argument("--engine-n", type=int, default=2000, help="answer sets per instrument")
    parser.add_argument("--quick", action="store_true", help="small N, to see that it works")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_POSTGRES_URL", bench_run.DEFAULT_PG_URL),
    )
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--engine", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--var-dir", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        args.n, args.engine_n = 40, 100
    if args.child:
        child(args)
    else:
        parent(args)


if __name__ == "__main__":
    main()
