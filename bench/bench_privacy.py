"""Benchmark of lawful sharing: how long the gate takes, allowed and refused, and an access export.

    .venv/bin/python bench/bench_privacy.py            # what `make bench` runs
    .venv/bin/python bench/bench_privacy.py --quick    # a few seconds, to see that it works

The data generator (seeded) makes one sending organisation with `--persons` persons, 30 other
organisations (one of them Veilig Thuis), agreements between the sender and a third of them (some
expired or ended), and per person 0-4 consents in every state (given, requested, refused,
withdrawn, expired, renewed) plus a few recorded decisions. Then it measures, one call after
another:

* evaluate: `rules.evaluate_sharing` alone (reads only), on random questions, allowed or not;
* gate, allowed: `services.sharing_basis_create` that finds a basis (writes the basis row and a
  processing-log entry in one transaction);
* gate, refused: `services.sharing_basis_create` that walks every route and refuses (writes the
  "denied" processing-log entry);
* decision aid: `services.sharing_decision_record` (evaluate + advise + decision row + log);
* access export: `subject_access.subject_access_export` for a person with `--person-log`
  processing-log entries in a log of `--log` entries.

Runs on a throwaway SQLite file and, when reachable, a throwaway PostgreSQL database
(`schakel_privacy_bench`), each in a fresh process. Writes bench/results/privacy.json and .md.
"""

import argparse
import contextlib
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

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import run as bench_run  # noqa: E402 - bench/run.py: setup_django, machine info, PostgreSQL

RESULTS = BENCH_DIR / "results"
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/schakel_privacy_bench"
STATES = ["given", "given", "given", "requested", "refused", "withdrawn", "expired", "renewed"]
SAFE = {"acute_unsafe": "no", "structural_unsafe": "no", "proportional": "yes", "lighter_way": "no"}


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


# --- data generator -----------------------------------------------------------------------


def generate(persons: int, rng: random.Random) -> dict:
    from django.utils import timezone

    from schakel.accounts.models import Membership, Organisation, Role, User
    from schakel.people.models import Person
    from schakel.privacy.models import (
        Agreement,
        AgreementEvent,
        Consent,
        ConsentEvent,
        PrivacyProfile,
        SharingDecision,
    )
    from schakel.privacy.sharing_config import sharing_config

    config = sharing_config()
    today = timezone.localdate()
    now = timezone.now()
    day = datetime.timedelta(days=1)
    sender = Organisation.objects.create(name="Bench zorg", domain="zorg")
    user = User.objects.create_user("bench@example.org", "not-used-Bench-123")
    actor = Membership.objects.create(user=user, organisation=sender, role=Role.PROFESSIONAL)
    domains = ["zorg", "onderwijs", "gemeente", "justitie", "overig"]
    others = [
        Organisation.objects.create(name=f"Bench organisatie {i}", domain=domains[i % 5])
        for i in range(30)
    ]
    veilig_thuis = others[2]
    PrivacyProfile.objects.create(organisation=veilig_thuis, designations=["veilig_thuis"])
    purposes = ["referral", "case_coordination", "report_veilig_thuis", "crisis_card"]
    for i, other in enumerate(others[:10]):
        agreement = Agreement.objects.create(
            title=f"Convenant {i}",
            purposes=rng.sample(purposes, 2),
            data_categories=["identificatie", "contactgegevens", "hulpvraag", "tijdlijn"],
            valid_from=today - 400 * day,
            valid_until=today + (rng.choice([-30, 200, 300]) * day),
        )
        agreement.parties.set([sender, other])
        AgreementEvent.objects.create(agreement=agreement, kind="created")
        if i % 4 == 3:
            AgreementEvent.objects.create(agreement=agreement, kind="ended")
    people = [
        Person.objects.create(
            given_names=f"Persoon {i}",
            surname="Bench",
            date_of_birth=today.replace(year=today.year - rng.randint(12, 40)),
            owner_organisation=sender,
        )
        for i in range(persons)
    ]
    people = list(Person.objects.filter(pk__in=[p.pk for p in people]))  # decrypted, as read
    for person in people:
        for _ in range(rng.randint(0, 4)):
            purpose = rng.choice(purposes)
            allowed = list(config.purposes[purpose].data_categories)
            state = rng.choice(STATES)
            expired = state == "expired"
            consent = Consent.objects.create(
                person=person,
                organisation=sender,
                given_by=rng.choice(["person", "parent", "legal_representative"]),
                purposes=[purpose],
                data_categories=rng.sample(allowed, rng.randint(1, len(allowed))),
                recipient_kinds=rng.sample(domains, rng.randint(0, 2)),
                valid_from=today - 100 * day,
                valid_until=today - 5 * day if expired else today + 60 * day,
                config_version=config.version,
                recorded_at=now - 10 * day,
            )
            consent.recipient_organisations.set(rng.sample(others, 2))
            ConsentEvent.objects.create(consent=consent, status="requested", at=now - 10 * day)
            if state != "requested":
                first = "refused" if state == "refused" else "given"
                ConsentEvent.objects.create(consent=consent, status=first, at=now - 9 * day)
            if state in ("withdrawn", "renewed"):
                ConsentEvent.objects.create(consent=consent, status=state, at=now - 2 * day)
        if rng.random() < 0.2:
            SharingDecision.objects.create(
                person=person,
                organisation=sender,
                recipient=veilig_thuis,
                purpose="report_veilig_thuis",
                data_categories=["identificatie", "signalen"],
                outcome="share",
                legal_basis="meldrecht_veilig_thuis",
                explanation="bench",
                valid_until=today + 20 * day,
                config_version=config.version,
                decided_by=actor,
                decided_by_role=actor.role,
                decided_at=now - day,
            )
    return {"actor": actor, "sender": sender, "others": others, "people": people}


def questions(world, n: int, rng: random.Random) -> list[dict]:
    from schakel.privacy.sharing_config import sharing_config

    config = sharing_config()
    result = []
    for _ in range(n):
        purpose = rng.choice(["referral", "case_coordination", "report_veilig_thuis"])
        allowed = list(config.purposes[purpose].data_categories)
        result.append(
            {
                "person": rng.choice(world["people"]),
                "recipient": rng.choice(world["others"]),
                "purpose": purpose,
                "data_categories": rng.sample(allowed, rng.randint(1, 3)),
            }
        )
    return result


def covered_questions(world, n: int, rng: random.Random) -> list[dict]:
    """Questions inside the scope of a consent (most are given and current, so allowed)."""
    from schakel.privacy.models import Consent

    consents = list(
        Consent.objects.filter(organisation=world["sender"])
        .select_related("person")
        .prefetch_related("recipient_organisations")
    )
    by_pk = {p.pk: p for p in world["people"]}
    result = []
    for consent in rng.sample(consents, min(n * 2, len(consents))):
        result.append(
            {
                "person": by_pk[consent.person_id],
                "recipient": rng.choice(list(consent.recipient_organisations.all())),
                "purpose": consent.purposes[0],
                "data_categories": rng.sample(consent.data_categories, 1),
            }
        )
    return result


# --- child: one backend ---------------------------------------------------------------------


def measure(args) -> dict:
    from django.core.exceptions import ValidationError

    from schakel.people.pseudonyms import log_pseudonym
    from schakel.privacy import rules, services
    from schakel.privacy.services import SharingNotAllowed
    from schakel.privacy.sharing_config import sharing_config
    from schakel.privacy.subject_access import subject_access_export

    rng = random.Random(5)
    started = time.perf_counter()
    world = generate(args.persons, rng)
    generated_s = round(time.perf_counter() - started, 1)
    actor, config = world["actor"], sharing_config()
    asked = questions(world, args.n * 4, rng)

    def evaluate(q):
        return rules.evaluate_sharing(
            sender=actor.organisation,
            person=q["person"],
            recipient=q["recipient"],
            purpose=config.purposes[q["purpose"]],
            categories=q["data_categories"],
        )

    asked += covered_questions(world, args.n, rng)
    rng.shuffle(asked)
    outcomes = [evaluate(q) for q in asked]
    allowed = [q for q, e in zip(asked, outcomes, strict=True) if e.allowed][: args.n]
    refused = [q for q, e in zip(asked, outcomes, strict=True) if not e.allowed][: args.n]
    timed(evaluate, asked[:50])
    evaluated = timed(evaluate, asked[: args.n])

    def gate(q):
        with contextlib.suppress(SharingNotAllowed):
            services.sharing_basis_create(actor=actor, **q)

    gate_allowed = timed(gate, allowed)
    gate_refused = timed(gate, refused)

    def decide(q):
        with contextlib.suppress(ValidationError):
            services.sharing_decision_record(
                actor=actor,
                answers={**SAFE, "consent_answer": "not_asked"},
                explanation="bench",
                **q,
            )

    decided = timed(decide, asked[: args.n])

    # A long processing log, then an access export for one person with `person_log` entries.
    person = world["people"][0]
    pseudonym = log_pseudonym(person)
    others = [f"bench-{i}" for i in range(args.log)]
    for start in range(0, len(others), 1000):
        services.processing_record_many(
            actor=actor,
            subjects=others[start : start + 1000],
            activity="person_record",
            operation="read",
        )
    services.processing_record_many(
        actor=actor,
        subjects=[pseudonym] * args.person_log,
        activity="person_record",
        operation="read",
    )
    exported = timed(lambda _i: subject_access_export(person=person), range(args.exports))
    from schakel.privacy.models import ProcessingEntry

    return {
        "generated_in_s": generated_s,
        "counts": {
            "persons": len(world["people"]),
            "consents": services.Consent.objects.count(),
            "agreements": services.Agreement.objects.count(),
            "processing_log_entries": ProcessingEntry.objects.count(),
            "allowed_questions": len(allowed),
            "refused_questions": len(refused),
        },
        "evaluate": summary(evaluated),
        "gate_allowed": summary(gate_allowed),
        "gate_refused": summary(gate_refused),
        "decision_record": summary(decided),
        "access_export": summary(exported),
    }


def child(args) -> None:
    bench_run.setup_django(args.database_url, Path(args.var_dir))
    Path(args.out).write_text(json.dumps(measure(args), indent=2))


# --- parent ---------------------------------------------------------------------------------


def _run_child(backend: str, url: str, tmp: Path, args) -> dict:
    out = tmp / f"{backend}.json"
    command = [
        sys.executable, __file__, "--child", "--database-url", url, "--var-dir",
        str(tmp / f"var-{backend}"), "--out", str(out), "--n", str(args.n),
        "--persons", str(args.persons), "--log", str(args.log),
        "--person-log", str(args.person_log), "--exports", str(args.exports),
    ]  # fmt: skip
    print(f"== privacy on {backend}: n={args.n}, persons={args.persons}", flush=True)
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
        return _run_child("postgresql", url, tmp, args)
    finally:
        bench_run._pg_admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


ROWS = [
    ("evaluate a question (reads only)", "evaluate"),
    ("gate, basis found (basis row + log entry)", "gate_allowed"),
    ("gate, refused (all routes + denied log entry)", "gate_refused"),
    ("decision aid: record a decision", "decision_record"),
    ("access export of one person", "access_export"),
]


def markdown(result: dict) -> str:
    m, p = result["machine"], result["parameters"]
    lines = [
        "# Lawful sharing benchmark",
        "",
        f"{m['date_utc']} UTC · commit {m['commit']} · {m['cpu']} ({m['cpus']} CPUs, "
        f"{m['memory_gib']} GiB) · {m['os']} · Python {m['python']} · Django {m['django']} · "
        f"load {result['load_before']} → {result['load_after']}",
        "",
        f"N = {p['n']} calls per measurement (fewer when the generated questions had fewer "
        f"allowed or refused ones); {p['persons']} persons with 0-4 consents each; access "
        f"export ×{p['exports']} for a person with {p['person_log']} log entries in a log of "
        f"{p['log'] + p['person_log']}+ entries.",
        "",
        "| backend | what | N | per second | p50 µs | p95 µs |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for backend, data in result["backends"].items():
        if "skipped" in data:
            lines.append(f"| {backend} | skipped: {data['skipped']} | | | | |")
            continue
        for label, key in ROWS:
            s = data[key]
            lines.append(
                f"| {backend} | {label} | {s['n']} | {s['per_second']:,.0f} | {s['p50_us']} "
                f"| {s['p95_us']} |"
            )
    lines += [
        "",
        "Data per backend: "
        + "; ".join(
            f"{b}: {', '.join(f'{k} {v}' for k, v in d['counts'].items())}"
            for b, d in result["backends"].items()
            if "counts" in d
        ),
        "",
        "Per second = 1 / mean time of one call, one call after another in one process. "
        "Every gate call that finds a basis writes a processing-log entry, which serialises "
        "on the chain head (see bench/README.md). Compare numbers only within one run.",
        "",
    ]
    return "\n".join(lines)


def parent(args) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="schakel-bench-privacy-"))
    try:
        load_before = bench_run._load()
        backends = {"sqlite": _run_child("sqlite", f"sqlite:///{tmp / 'bench.sqlite3'}", tmp, args)}
        if not args.no_postgres:
            backends["postgresql"] = _postgres(args.postgres_url, tmp, args)
        result = {
            "machine": bench_run.machine(tmp),
            "load_before": load_before,
            "load_after": bench_run._load(),
            "parameters": {
                "n": args.n,
                "persons": args.persons,
                "log": args.log,
                "person_log": args.person_log,
                "exports": args.exports,
            },
            "backends": backends,
        }
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "privacy.json").write_text(json.dumps(result, indent=2) + "\n")
    text = markdown(result)
    (RESULTS / "privacy.md").write_text(text)
    print(text)
    print("Written: bench/results/privacy.json and privacy.md")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=400, help="calls per measurement")
    parser.add_argument("--persons", type=int, default=500)
    parser.add_argument("--log", type=int, default=20_000, help="other processing-log entries")
    parser.add_argument("--person-log", type=int, default=200, help="entries of the exported one")
    parser.add_argument("--exports", type=int, default=30)
    parser.add_argument("--quick", action="store_true", help="small N, to see that it works")
    parser.add_argument(
        "--postgres-url", default=os.environ.get("BENCH_PRIVACY_POSTGRES_URL", DEFAULT_PG_URL)
    )
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--var-dir", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        args.n, args.persons, args.log, args.person_log, args.exports = 30, 60, 1000, 50, 5
    if args.child:
        child(args)
    else:
        parent(args)


if __name__ == "__main__":
    main()
