"""Benchmark of the knowledge base: Dutch full-text search at 10,000 items (target p95 < 100 ms).

    .venv/bin/python bench/bench_knowledge.py            # what `make bench` runs
    .venv/bin/python bench/bench_knowledge.py --quick    # 1,000 items, a few seconds

A seeded generator writes N knowledge items (default 10,000) with Dutch titles and descriptions
drawn from the vocabulary of the field (plus invented words, so the vocabulary is as large as a
real one), random audiences, forms, kinds and LVB suitability, and indexes them as the service
does. The 61 items of the data file are loaded too. The planner statistics are then updated
(ANALYZE; VACUUM ANALYZE on PostgreSQL), as autovacuum would. Then it times, after a warm-up:

* `selectors.item_search` for a mix of queries: a very common word, a rare word, two and three
  words, a prefix, a word with a typo (corrected against the vocabulary), an unknown word, the
  same with filters, and browsing without words (page 1 and a later page);
* the search page itself (`GET /kennisbank/?q=…`: search, related work and template);
* `selectors.item_related`, `services.usage_record` and `selectors.recommendation_dashboard`.

Each database is measured in a fresh process on a throwaway database: SQLite in a temporary
directory, PostgreSQL in `schakel_knowledge_bench` (dropped afterwards), as bench/run.py does.
Writes bench/results/knowledge.json and bench/results/knowledge.md.
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
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/schakel_knowledge_bench"
TARGET_P95_MS = 100.0

# --- data generator -----------------------------------------------------------------------------


def _split(text: str) -> list[str]:
    return text.split()


FIELD_WORDS = _split(
    """
uitbuiting seksuele criminele arbeidsuitbuiting mensenhandel slachtoffer slachtoffers dader
daders jongeren jongere meisjes jongens ouders voogden school scholen docenten leerlingen
onderwijs politie opsporing aangifte gemeente gemeenten wijkteam wijkteams jeugdhulp
jeugdzorg ggz zorgcoördinator zorgcoördinatoren opvang behandeling nazorg signalering
signaleren signalen herkennen preventie voorlichting bewustwording training handreiking
factsheet lespakket webinar video podcast dossier rapport onderzoek monitor instrument
vragenlijst gespreksleidraad stappenplan meldcode melden registratie samenwerking keten
ketenpartners regie casus casusoverleg veiligheid vertrouwen weerbaarheid relaties
seksualiteit grenzen online sociale media loverboy ronselaars geld schulden werk werkgevers
uitzendbureaus woningcorporaties huisartsen reclassering rechtspraak advocatuur beperking
licht verstandelijke lvb kwetsbaar kwetsbaarheid risico risicofactoren beschermende
factoren ervaringsdeskundigen cliënten privacy gegevens delen avg toestemming landelijk
regionaal lokaal aanpak praktijk professionals beleid financiering wachtlijst expertise
"""
)
GLUE = _split("de het een van voor met bij over en in op als door naar om zonder tegen")
KINDS = [
    "instrument",
    "practice",
    "guide",
    "factsheet",
    "training",
    "elearning",
    "lesson_package",
    "webinar",
    "video",
    "podcast",
    "dossier",
    "report",
]
AUDIENCES = [
    "schools",
    "police",
    "justice",
    "probation",
    "municipalities",
    "social_domain",
    "youth_care",
    "ggz",
    "disability_care",
    "shelter",
    "gps",
    "housing",
    "temp_agencies",
    "veilig_thuis",
    "care_coordinators",
    "youth_work",
    "policy",
    "parents",
    "young_people",
]
FORMS = ["sexual", "criminal", "labour", "organ"]
LVB = ["specific", "attention", "general"]
SYLLABLES = _split("ka ver lo mi sen tra bel on dor pu weg ste ijk aan hof ling baar heid schap")


def invented_words(rng: random.Random, n: int) -> list[str]:
    """Pronounceable nonsense words: a realistic, large vocabulary (names, rare terms)."""
    words = set()
    while len(words) < n:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def sentence(rng: random.Random, rare: list[str], length: int) -> str:
    words = []
    for _ in range(length):
        roll = rng.random()
        if roll < 0.55:
            # Zipf-like: the first field words are used far more often than the last ones.
            words.append(FIELD_WORDS[int(len(FIELD_WORDS) * rng.random() ** 2.2)])
        elif roll < 0.8:
            words.append(rng.choice(GLUE))
        else:
            words.append(rng.choice(rare))
    return " ".join(words).capitalize() + "."


def generate(n: int, seed: int = 42) -> dict:
    """Write `n` items with their facets, search terms and vocabulary in bulk."""
    from django.db import transaction
    from django.utils import timezone

    from schakel.knowledge import search, services
    from schakel.knowledge.models import (
        Audience,
        ExploitationForm,
        ItemAudience,
        ItemForm,
        Kind,
        KnowledgeItem,
        SearchTerm,
        SearchVocabulary,
    )

    rng = random.Random(seed)
    rare = invented_words(rng, 20000)
    started = time.perf_counter()
    now = timezone.now()
    batch = 500
    terms_total = 0
    vocabulary = set()
    for start in range(0, n, batch):
        rows = []
        facets = []
        for i in range(start, min(n, start + batch)):
            title = sentence(rng, rare, rng.randint(3, 9)).rstrip(".")
            kind = rng.choice(KINDS)
            audiences = rng.sample(AUDIENCES, rng.randint(1, 4))
            forms = rng.sample(FORMS, rng.choice([0, 0, 1, 1, 1, 2]))
            item = KnowledgeItem(
                slug=f"bench-{i}",
                title=title,
                kind=kind,
                publisher=f"Organisatie {rng.choice(rare).capitalize()}",
                year=rng.randint(2005, 2026),
                description=" ".join(sentence(rng, rare, rng.randint(8, 18)) for _ in range(3)),
                lvb_suitability=rng.choice(LVB),
                language_level="unknown",
                sort_title=search.normalise(title),
                origin="local",
                created_at=now,
                updated_at=now,
            )
            rows.append(item)
            facets.append((audiences, forms))
        with transaction.atomic():
            KnowledgeItem.objects.bulk_create(rows)
            saved = list(
                KnowledgeItem.objects.filter(slug__in=[r.slug for r in rows]).order_by("pk")
            )
            by_slug = {item.slug: item for item in saved}
            audience_rows, form_rows, term_rows = [], [], []
            for item, (audiences, forms) in zip(rows, facets, strict=True):
                stored = by_slug[item.slug]
                audience_rows += [ItemAudience(item=stored, audience=a) for a in audiences]
                form_rows += [ItemForm(item=stored, form=f) for f in forms]
                labels = " ".join(
                    [str(Kind(stored.kind).label)]
                    + [str(Audience(a).label) for a in audiences]
                    + [str(ExploitationForm(f).label) for f in forms]
                )
                terms = search.index_terms(
                    [
                        (stored.title, services.WEIGHT_TITLE),
                        (f"{stored.publisher} {stored.year}", services.WEIGHT_KEYWORDS),
                        (labels, services.WEIGHT_FACETS),
                        (stored.description, services.WEIGHT_TEXT),
                    ]
                )
                term_rows += [SearchTerm(item=stored, term=t, weight=w) for t, w in terms.items()]
                vocabulary.update(terms)
            ItemAudience.objects.bulk_create(audience_rows)
            ItemForm.objects.bulk_create(form_rows)
            SearchTerm.objects.bulk_create(term_rows, batch_size=2000)
            terms_total += len(term_rows)
    SearchVocabulary.objects.bulk_create(
        [SearchVocabulary(term=t, length=len(t)) for t in vocabulary],
        batch_size=2000,
        ignore_conflicts=True,
    )
    settle_database()
    return {
        "items": n,
        "search_terms": terms_total,
        "vocabulary": len(vocabulary),
        "seconds": round(time.perf_counter() - started, 1),
    }


def settle_database() -> None:
    """Update the planner statistics (and, on PostgreSQL, the visibility map), as autovacuum
    does on a live database some time after a bulk load."""
    from django.db import connection

    tables = [
        "knowledge_knowledgeitem",
        "knowledge_searchterm",
        "knowledge_searchvocabulary",
        "knowledge_itemaudience",
        "knowledge_itemform",
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
        else:
            for table in tables:
                cursor.execute(f"VACUUM ANALYZE {table}")  # noqa: S608 - fixed names


# --- measuring ----------------------------------------------------------------------------------

QUERIES = [
    ("common word", {"query": "uitbuiting"}),
    ("rare word", {"query": "wachtlijst"}),
    ("two words", {"query": "criminele school"}),
    ("three words, inflected", {"query": "jongeren ouders slachtoffers"}),
    ("prefix", {"query": "signal"}),
    ("typo, corrected", {"query": "uitbiting"}),
    ("unknown word", {"query": "qxzvbnm"}),
    ("words + filters", {"query": "preventie", "audience": "schools", "lvb": "specific"}),
    ("filters only", {"audience": "police", "form": "criminal"}),
    ("browse, page 1", {}),
    ("browse, page 50", {"page": 50}),
]


def _p95(sorted_ms: list[float]) -> float:
    return sorted_ms[min(len(sorted_ms) - 1, int(round(0.95 * (len(sorted_ms) - 1))))]


def _stats(samples_s: list[float], cpu_s: list[float] | None = None) -> dict:
    ms = sorted(s * 1000 for s in samples_s)
    result = {
        "n": len(ms),
        "p50_ms": round(statistics.median(ms), 2),
        "p95_ms": round(_p95(ms), 2),
        "mean_ms": round(statistics.fmean(ms), 2),
        "max_ms": round(ms[-1], 2),
    }
    if cpu_s:
        cpu = sorted(s * 1000 for s in cpu_s)
        result["cpu_p50_ms"] = round(statistics.median(cpu), 2)
        result["cpu_p95_ms"] = round(_p95(cpu), 2)
    return result


def _time(fn, repeats: int, warmup: int = 3) -> dict:
    """Wall-clock and CPU time of this process per call (on SQLite the CPU time is all the
    work, so it stays meaningful when other processes load the machine)."""
    for _ in range(warmup):
        fn()
    samples, cpu = [], []
    for _ in range(repeats):
        started, started_cpu = time.perf_counter(), time.process_time()
        fn()
        samples.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return _stats(samples, cpu)


def measure(n: int, repeats: int) -> dict:
    from django.db import connection
    from django.test import Client

    from schakel.knowledge import selectors, services
    from schakel.knowledge.models import KnowledgeItem

    loaded = services.knowledge_load()
    generated = generate(n)
    result = {
        "database": {"vendor": connection.vendor, "version": _db_version(connection)},
        "data": {**generated, "seed_items": loaded.items_created},
        "search": {},
    }
    for label, params in QUERIES:

        def run(params=params):
            return selectors.item_search(actor=None, **params)

        page = run()
        stats = _time(run, repeats)
        stats["results"] = page.total
        result["search"][label] = stats
    # One combined p95 over every query type (each type weighted equally).
    combined = []
    for _label, params in QUERIES:
        for _ in range(max(1, repeats // 2)):
            started = time.perf_counter()
            selectors.item_search(actor=None, **params)
            combined.append(time.perf_counter() - started)
    result["search_all_queries"] = _stats(combined)

    client = Client(HTTP_HOST="127.0.0.1")
    result["search_page"] = _time(
        lambda: client.get("/kennisbank/", {"q": "criminele uitbuiting", "audience": "schools"}),
        max(10, repeats // 2),
    )
    items = list(KnowledgeItem.objects.order_by("?")[:50])
    it = iter(items * (repeats // len(items) + 2))
    result["related"] = _time(lambda: selectors.item_related(item=next(it)), repeats)
    it2 = iter(items * (repeats // len(items) + 2))
    result["usage_record"] = _time(
        lambda: services.usage_record(actor=None, item=next(it2), event="view"), repeats
    )
    result["dashboard"] = _time(selectors.recommendation_dashboard, max(10, repeats // 5))
    return result


def _db_version(connection) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
        else:
            cursor.execute("show server_version")
        return cursor.fetchone()[0]


# --- orchestration ------------------------------------------------------------------------------


def _plain_static_files() -> None:
    """Render pages without a collectstatic manifest (the page timing is about the search)."""
    from django.conf import settings
    from django.contrib.staticfiles import storage as static_storage
    from django.core.files.storage import storages
    from django.utils.functional import empty

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    storages._storages = {}
    storages.backends  # noqa: B018 - re-read the setting
    static_storage.staticfiles_storage._wrapped = empty


def child(args) -> None:
    bench_run.setup_django(args.database_url, Path(args.var_dir))
    _plain_static_files()
    result = measure(args.n, args.repeats)
    Path(args.out).write_text(json.dumps(result, indent=2))


def _run_child(backend: str, url: str, tmp: Path, args) -> dict:
    out = tmp / f"{backend}.json"
    command = [
        sys.executable, __file__, "--child", "--database-url", url, "--var-dir",
        str(tmp / "var"), "--out", str(out), "--n", str(args.n), "--repeats", str(args.repeats),
    ]  # fmt: skip
    print(f"== {backend}: {args.n} items, {args.repeats} timed runs per query", flush=True)
    subprocess.run(command, check=True, cwd=bench_run.REPO)  # noqa: S603 - our own script
    return json.loads(out.read_text())


def run_postgres(url: str, tmp: Path, args) -> dict:
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
        return _run_child("postgresql", url, tmp, args)
    finally:
        bench_run._pg_admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def markdown(result: dict) -> str:
    m = result["machine"]
    lines = [
        "# Knowledge base benchmark",
        "",
        f"{m['date_utc']} UTC · commit {m['commit']} · {m['cpu']} ({m['cpus']} CPUs, "
        f"{m['memory_gib']} GiB) · {m['os']} · Python {m['python']} · Django {m['django']} · "
        f"load {m['load_at_start']} → {m['load_at_end']}"
        + (
            " — **the machine was busy (load above the number of CPUs): wall-clock times are "
            "inflated and noisy; the CPU columns show the work itself**"
            if max(m["load_at_start"] or 0, m["load_at_end"] or 0) > (m["cpus"] or 1)
            else ""
        ),
        "",
        f"N = {result['parameters']['n']} generated items (plus the 61 of the data file); "
        f"{result['parameters']['repeats']} timed runs per query after 3 warm-up runs. "
        f"Target: search p95 < {TARGET_P95_MS:.0f} ms.",
        "",
    ]
    for backend, r in result["backends"].items():
        if "skipped" in r:
            lines += [f"## {backend}", "", f"Skipped: {r['skipped']}", ""]
            continue
        d = r["data"]
        verdict = "meets" if r["search_all_queries"]["p95_ms"] < TARGET_P95_MS else "MISSES"
        lines += [
            f"## {backend} {r['database']['version']}",
            "",
            f"{d['items'] + d['seed_items']} items, {d['search_terms']:,} search terms, "
            f"vocabulary {d['vocabulary']:,} terms (generated in {d['seconds']} s). "
            f"All queries together: p50 {r['search_all_queries']['p50_ms']} ms, "
            f"p95 {r['search_all_queries']['p95_ms']} ms — {verdict} the target.",
            "",
            "| search | results | p50 ms | p95 ms | mean ms | max ms | CPU p50 ms | CPU p95 ms |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for label, s in r["search"].items():
            lines.append(
                f"| {label} | {s['results']} | {s['p50_ms']} | {s['p95_ms']} | {s['mean_ms']} | "
                f"{s['max_ms']} | {s['cpu_p50_ms']} | {s['cpu_p95_ms']} |"
            )
        lines += [
            "",
            "| other | p50 ms | p95 ms | mean ms | CPU p50 ms | CPU p95 ms |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for key, label in (
            ("search_page", "search page GET /kennisbank/?q=criminele uitbuiting&audience=schools"),
            ("related", "related items of one item"),
            ("usage_record", "count one view (usage_record)"),
            ("dashboard", "recommendations dashboard"),
        ):
            s = r[key]
            lines.append(
                f"| {label} | {s['p50_ms']} | {s['p95_ms']} | {s['mean_ms']} | "
                f"{s['cpu_p50_ms']} | {s['cpu_p95_ms']} |"
            )
        lines.append("")
    lines += [
        "Times are wall-clock per call, one call after another in one process, on throwaway",
        "databases (SQLite in a temporary directory; PostgreSQL with its server settings).",
        "CPU is the CPU time of the benchmark process: on SQLite that is all the work; on",
        "PostgreSQL the server's work is not in it. 'All queries together' mixes every query",
        "type in equal numbers; the target applies to it and to each query type.",
        "Compare numbers only within one run; see bench/README.md on reading the results.",
    ]
    return "\n".join(lines) + "\n"


def parent(args) -> None:
    if args.quick:
        args.n, args.repeats = 1000, 10
    tmp = Path(tempfile.mkdtemp(prefix="schakel-knowledge-bench-"))
    load_start = bench_run._load()
    try:
        backends = {"sqlite": _run_child("sqlite", f"sqlite:///{tmp / 'bench.sqlite3'}", tmp, args)}
        if args.no_postgres:
            backends["postgresql"] = {"skipped": "--no-postgres"}
        else:
            backends["postgresql"] = run_postgres(args.postgres_url, tmp, args)
        sys.path.insert(0, str(bench_run.SRC))
        machine = {**bench_run.machine(tmp), "load_at_start": load_start}
        machine["load_at_end"] = bench_run._load()
    finally:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
    result = {
        "benchmark": "knowledge",
        "machine": machine,
        "parameters": {"n": args.n, "repeats": args.repeats, "target_p95_ms": TARGET_P95_MS},
        "backends": backends,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "knowledge.json").write_text(json.dumps(result, indent=2) + "\n")
    (RESULTS / "knowledge.md").write_text(markdown(result))
    print(markdown(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10000, help="generated items")
    parser.add_argument("--repeats", type=int, default=50, help="timed runs per query")
    parser.add_argument("--quick", action="store_true", help="1,000 items, to see that it works")
    parser.add_argument(
        "--postgres-url", default=os.environ.get("BENCH_KNOWLEDGE_POSTGRES_URL", DEFAULT_PG_URL)
    )
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
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
