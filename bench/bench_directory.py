"""Benchmark of the wegwijzer search at 10,000 offers (p50/p95), on SQLite and PostgreSQL.

    .venv/bin/python bench/bench_directory.py            # N=10000, 40 runs per scenario
    .venv/bin/python bench/bench_directory.py --quick    # N=1000, a few runs: does it work?

Each backend runs in a fresh process on a throwaway database (see bench/run.py): SQLite in a
temporary directory, PostgreSQL in `schakel_directory_bench` (dropped afterwards; skipped when no
server answers). The generator makes providers and offers with random criteria, areas and
capacity, and names and descriptions from a Dutch word list (plus the real seed entries).
Results: bench/results/directory.json and bench/results/directory.md.
"""

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import run  # noqa: E402 - bench/run.py: setup_django, machine info, PostgreSQL helpers

PG_URL = "postgres://postgres@127.0.0.1:5432/schakel_directory_bench"

WORDS = [
    "opvang",
    "behandeling",
    "begeleiding",
    "jongeren",
    "meiden",
    "jongens",
    "ambulant",
    "traject",
    "veilig",
    "wonen",
    "zorg",
    "herstel",
    "trauma",
    "weerbaarheid",
    "preventie",
    "gezin",
    "school",
    "werk",
    "schuld",
    "verslaving",
    "psychiatrie",
    "beperking",
    "uitbuiting",
    "loverboy",
    "drugs",
    "criminaliteit",
    "arbeid",
    "seksueel",
    "geweld",
    "netwerk",
    "nazorg",
    "crisis",
    "spoed",
    "advies",
    "consultatie",
    "training",
    "groep",
    "individueel",
    "therapie",
    "coaching",
    "regio",
    "stad",
]
PREFIXES = ["Stichting", "Zorggroep", "Centrum", "Huis", "Team", "Netwerk", "Punt", "Instituut"]


def generate(n: int, seed: int = 7) -> None:
    """n offers over n/10 providers, with the project's real seed entries among them."""
    from schakel.directory.models import (
        Acceptance,
        Form,
        Gender,
        Municipality,
        Need,
        Offer,
        Provider,
        SafetyRegion,
        Scope,
    )
    from schakel.directory.services import (
        directory_seed_load,
        offer_search_text,
        provider_search_text,
        reference_data_load,
    )

    reference_data_load()
    directory_seed_load()
    rng = random.Random(seed)
    municipalities = list(Municipality.objects.values_list("code", flat=True))
    regions = list(SafetyRegion.objects.values_list("code", flat=True))
    provinces = sorted(set(Municipality.objects.values_list("province", flat=True)))
    providers = []
    for i in range(max(1, n // 10)):
        p = Provider(
            key=f"bench-p{i}",
            name=f"{rng.choice(PREFIXES)} {rng.choice(WORDS).capitalize()} {i}",
            kind="organisatie",
            description=" ".join(rng.choices(WORDS, k=12)),
        )
        p.search_text = provider_search_text(p)
        providers.append(p)
    Provider.objects.bulk_create(providers, batch_size=1000)
    providers = list(Provider.objects.filter(key__startswith="bench-p"))
    offers = []
    existing = Offer.objects.count()
    for i in range(n - existing):
        provider = rng.choice(providers)
        scope = rng.choice([Scope.NATIONAL, Scope.REGIONAL, Scope.REGIONAL, Scope.UNKNOWN])
        low = rng.choice([None, 0, 12, 16, 18])
        o = Offer(
            key=f"bench-o{i}",
            provider=provider,
            name=f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} {i}",
            kind=rng.choice(["behandelprogramma", "opvang", "training", "hulplijn"]),
            description=" ".join(rng.choices(WORDS, k=25)),
            services=rng.sample(Need.values, rng.randint(1, 2)),
            forms=rng.sample(Form.values, rng.randint(0, 3)),
            age_min=low,
            age_max=None if low is None else low + rng.choice([5, 11, 30, 80]),
            genders=rng.choice([[], [Gender.FEMALE], [Gender.MALE], [Gender.FEMALE, Gender.MALE]]),
            lvb=rng.choice(Acceptance.values),
            ggz=rng.choice(Acceptance.values),
            addiction=rng.choice(Acceptance.values),
            scope=scope,
            municipalities=rng.sample(municipalities, 2) if scope == Scope.REGIONAL else [],
            safety_regions=rng.sample(regions, 1) if scope == Scope.REGIONAL else [],
            provinces=rng.sample(provinces, 1) if scope == Scope.REGIONAL and i % 3 else [],
            phone="088-000 00 00",
            places=rng.choice([None, 8, 12]),
            free_places=rng.choice([None, 0, 1, 3]),
            waiting_weeks=rng.choice([None, 0, 2, 6]),
            from_seed=False,
        )
        if o.places is not None and o.free_places is not None:
            o.free_places = min(o.free_places, o.places)
        o.search_text = offer_search_text(o, provider.name)
        offers.append(o)
    Offer.objects.bulk_create(offers, batch_size=1000)


SCENARIOS = {
    "structured: girl 15, LVB, Maastricht, treatment": {
        "gemeente": "GM0935",
        "age": "15",
        "gender": "vrouw",
        "forms": "seksuele_uitbuiting",
        "lvb": "true",
        "need": "treatment",
    },
    "structured: woman 19, LVB + addiction, Amsterdam, shelter": {
        "gemeente": "GM0363",
        "age": "19",
        "gender": "vrouw",
        "lvb": "true",
        "addiction": "true",
        "need": "shelter",
    },
    "free text, exact word: 'opvang'": {"q": "opvang"},
    "free text, typos: 'opvnag amsterdm'": {"q": "opvnag amsterdm"},
    "free text, rare word with a typo: 'weerbaarhied'": {"q": "weerbaarhied"},
    "free text + criteria: 'trauma' for a boy of 16 in Heerenveen": {
        "q": "trauma",
        "gemeente": "GM0074",
        "age": "16",
        "gender": "man",
    },
}


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def _summary(samples_s: list[float]) -> dict:
    ms = [s * 1000 for s in samples_s]
    return {
        "runs": len(ms),
        "p50_ms": round(statistics.median(ms), 2),
        "p95_ms": round(_percentile(ms, 0.95), 2),
        "mean_ms": round(statistics.fmean(ms), 2),
        "max_ms": round(max(ms), 2),
    }


def measure(runs: int, warmup: int) -> dict:
    from django.http import QueryDict
    from django.test import Client

    from schakel.directory.models import Offer
    from schakel.directory.params import parse_criteria
    from schakel.directory.selectors import care_coordinators_for, offer_search

    results = {"offers": Offer.objects.count(), "selector": {}, "api": {}}
    for name, params in SCENARIOS.items():
        query = QueryDict(mutable=True)
        query.update(params)
        criteria = parse_criteria(query)
        for _ in range(warmup):
            offer_search(criteria=criteria)
        samples = []
        count = 0
        for _ in range(runs):
            start = time.perf_counter()
            count = len(offer_search(criteria=criteria).matches)
            samples.append(time.perf_counter() - start)
        results["selector"][name] = {**_summary(samples), "results": count}

    client = Client(HTTP_HOST="127.0.0.1")
    for name in list(SCENARIOS)[:3]:
        params = {**SCENARIOS[name], "limit": "100"}
        for _ in range(warmup):
            client.get("/api/v1/directory/offers/", params)
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            response = client.get("/api/v1/directory/offers/", params)
            samples.append(time.perf_counter() - start)
            assert response.status_code == 200, response.content[:500]
        results["api"][f"GET /api/v1/directory/offers/ ({name}, limit=100)"] = _summary(samples)

    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        care_coordinators_for(municipality_code="GM0080")
        samples.append(time.perf_counter() - start)
    results["selector"]["care_coordinators_for(GM0080)"] = _summary(samples)
    return results


def child(args) -> None:
    run.setup_django(args.database_url, Path(args.var_dir))
    start = time.perf_counter()
    generate(args.n)
    generated = time.perf_counter() - start
    result = measure(args.runs, args.warmup)
    result["generate_s"] = round(generated, 1)
    Path(args.out).write_text(json.dumps(result, indent=2))


def _child_process(backend: str, url: str, tmp: Path, args) -> dict:
    out = tmp / f"{backend}.json"
    command = [
        sys.executable, __file__, "--child", "--database-url", url, "--var-dir",
        str(tmp / "var"), "--out", str(out), "--n", str(args.n), "--runs", str(args.runs),
        "--warmup", str(args.warmup),
    ]  # fmt: skip
    print(f"== {backend}: {args.n} offers, {args.runs} runs per scenario", flush=True)
    subprocess.run(command, check=True, cwd=run.REPO)  # noqa: S603 - our own script
    return json.loads(out.read_text())


def _postgres(url: str, tmp: Path, args) -> dict:
    import psycopg

    _admin, name = run._pg_admin_url(url)
    try:
        run._pg_admin(url, f'DROP DATABASE IF EXISTS "{name}"')
        run._pg_admin(url, f'CREATE DATABASE "{name}"')
    except psycopg.Error as error:
        reason = f"PostgreSQL not reachable at {url}: {str(error).strip()}"
        print(f"== postgresql: SKIPPED ({reason})", flush=True)
        return {"skipped": reason}
    try:
        return _child_process("postgresql", url, tmp, args)
    finally:
        run._pg_admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def markdown(result: dict) -> str:
    m = result["machine"]
    lines = [
        "# Wegwijzer search benchmark",
        "",
        f"{m['date_utc']} UTC · commit {m['commit']} · {m['cpu']} ({m['cpus']} CPUs, "
        f"{m['memory_gib']} GiB) · {m['os']} · Python {m['python']} · Django {m['django']}",
        f"Load average at start {result['load_start']}, at end {result['load_end']}.",
        "",
        f"N = {result['n']} offers; {result['runs']} timed runs per scenario after "
        f"{result['warmup']} warm-up runs. Times in milliseconds, wall clock, in one process "
        "(no network). `selector` is `offer_search()` (evaluate and rank every offer); `api` is "
        "the whole request through Django's test client, JSON of the first 100 results.",
        "",
        "How the search works: the active offers are kept in memory per process (re-read when "
        "anything changed; two aggregate queries per search check that). Free text first "
        "narrows the candidates with letter pairs/triples of the query words (the same test "
        "`text.candidate_filter` does with LIKE in SQL for providers), then scores typos (edit "
        "distance 1-2, looked up once per distinct word); every criterion is evaluated on every "
        "candidate, so no offer is silently left out.",
        "",
        f"The machine has {m['cpus']} CPUs; a load average above that means other work ran at "
        "the same time, which inflates p95 in particular.",
    ]
    for backend, data in result["backends"].items():
        lines += ["", f"## {backend}", ""]
        if "skipped" in data:
            lines.append(f"Skipped: {data['skipped']}")
            continue
        lines.append(
            f"{data['offers']} offers in the database; generated in {data['generate_s']} s."
        )
        lines += [
            "",
            "| what | results | p50 ms | p95 ms | mean ms | max ms |",
            "|---|---|---|---|---|---|",
        ]
        for group in ("selector", "api"):
            for name, s in data[group].items():
                lines.append(
                    f"| {group}: {name} | {s.get('results', '')} | {s['p50_ms']} | {s['p95_ms']}"
                    f" | {s['mean_ms']} | {s['max_ms']} |"
                )
    return "\n".join(lines) + "\n"


def parent(args) -> None:
    results_dir = Path(args.results_dir)
    results_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="schakel-bench-directory-") as name:
        tmp = Path(name)
        load_start = run._load()
        backends = {
            "sqlite": _child_process("sqlite", f"sqlite:///{tmp / 'bench.sqlite3'}", tmp, args)
        }
        if not args.no_postgres:
            backends["postgresql"] = _postgres(args.postgres_url, tmp, args)
        sys.path.insert(0, str(run.SRC))
        import os

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "schakel.conf.dev")
        result = {
            "machine": run.machine(tmp),
            "n": args.n,
            "runs": args.runs,
            "warmup": args.warmup,
            "load_start": load_start,
            "load_end": run._load(),
            "backends": backends,
        }
    (results_dir / "directory.json").write_text(json.dumps(result, indent=2) + "\n")
    (results_dir / "directory.md").write_text(markdown(result))
    print(markdown(result))


def rewrite_markdown(results_dir: Path) -> None:
    """Write directory.md again from directory.json (after a change of the text only)."""
    result = json.loads((results_dir / "directory.json").read_text())
    (results_dir / "directory.md").write_text(markdown(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--postgres-url", default=PG_URL)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--results-dir", default=str(run.RESULTS))
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--var-dir", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        args.n, args.runs, args.warmup = 1000, 5, 1
    if args.child:
        child(args)
    else:
        parent(args)


if __name__ == "__main__":
    main()
