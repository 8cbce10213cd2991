"""Benchmark of cases: reads with the need-to-know check, the timeline, writes, the daily job.

    .venv/bin/python bench/bench_cases.py            # what `make bench` runs
    .venv/bin/python bench/bench_cases.py --quick    # a few seconds, to see that it works

A seeded generator makes organisations with professionals, persons with encrypted identifiers,
and `--cases` cases through the services (so the invariants and the processing log hold): each
with a lead and a backup, a third with a member of another organisation who joined on a
convenant, 20 timeline events and 3 tasks; one professional is a member of 50 of them. Then, after
a warm-up, `--n` calls each of:

* `case_get_for` by a member of the holding organisation, and by a member of another organisation
  (whose basis the need-to-know check evaluates again at each read);
* `timeline_for` (20 events plus the consent history);
* `case_list_for` and `my_tasks_for` for the professional on 50 cases;
* the case page and the timeline page in the web (whole request, templates included);
* `event_record` (a note: row, timeline event, processing-log entry) and a warm handover
  (offer + accept);
* `organisation_figures_for` over an organisation's cases;
* `case_tasks_due_create` over all cases (the daily job), `--job-runs` times.

Runs on a throwaway SQLite file and, when reachable, on a throwaway PostgreSQL database
(`schakel_cases_bench`), each in a fresh process. Writes bench/results/cases.json and cases.md.
"""

import argparse
import datetime
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
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/schakel_cases_bench"
SURNAMES = ("de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "Bos", "Mulder")
NAMES = ("Noa", "Sem", "Milan", "Daan", "Lotte", "Yara", "Mees", "Saar", "Adam", "Eva")


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


def timed(fn, n: int, warmup: int = 5) -> dict:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1_000_000)
    return summary(samples)


# --- data generator -------------------------------------------------------------------------


def generate(*, cases: int, rng: random.Random):
    from schakel.accounts.models import Membership, Organisation, Role, User
    from schakel.cases import services
    from schakel.cases.models import Event, Task
    from schakel.people.models import Person
    from schakel.privacy.models import Agreement, AgreementEvent

    today = datetime.date.today()
    organisations = [
        Organisation.objects.create(name=f"Bench zorg {i}", domain="zorg") for i in range(8)
    ]
    school = Organisation.objects.create(name="Bench school", domain="onderwijs")
    agreement = Agreement.objects.create(
        title="Bench convenant",
        purposes=["case_coordination"],
        data_categories=["identificatie", "hulpvraag", "hulpverlening", "tijdlijn"],
        valid_from=today - datetime.timedelta(days=10),
        valid_until=today + datetime.timedelta(days=300),
    )
    agreement.parties.set([*organisations, school])
    AgreementEvent.objects.create(agreement=agreement, kind="created")

    def member(org, n, role=Role.PROFESSIONAL):
        user = User.objects.create_user(f"bench{org.pk}-{n}-{role}@example.org", "x")
        user.full_name = f"{rng.choice(NAMES)} {rng.choice(SURNAMES)}"
        user.save()
        return Membership.objects.create(user=user, organisation=org, role=role)

    staff = {org.pk: [member(org, n) for n in range(6)] for org in organisations}
    teachers = [member(school, n) for n in range(4)]
    busy = staff[organisations[0].pk][0]
    made = []
    for i in range(cases):
        org = organisations[0] if i < 50 else rng.choice(organisations)
        people = staff[org.pk]
        lead = busy if i < 50 else rng.choice(people)
        backup = rng.choice([p for p in people if p.pk != lead.pk])
        person = Person.objects.create(
            given_names=rng.choice(NAMES),
            surname=rng.choice(SURNAMES),
            date_of_birth=today - datetime.timedelta(days=rng.randint(13 * 365, 25 * 365)),
            owner_organisation=org,
        )
        case = services.case_create(
            actor=lead,
            person=person,
            involvement=rng.choice(["victim", "perpetrator", "both"]),
            backup=backup,
            forms=["criminele_uitbuiting"],
            help_question="Veilig wonen en naar school.",
            opened_on=today - datetime.timedelta(days=rng.randint(30, 400)),
        )
        if i % 3 == 0:
            services.case_member_add(
                actor=lead,
                case=case,
                membership=rng.choice(teachers),
                role="education",
                data_categories=["identificatie", "hulpvraag", "hulpverlening", "tijdlijn"],
            )
        Event.objects.bulk_create(
            Event(
                case=case,
                kind=rng.choice(["note", "signal", "decision"]),
                occurred_on=today - datetime.timedelta(days=rng.randint(0, 300)),
                recorded_by=lead,
                recorded_by_label=str(lead.user.full_name),
                text="Gesprek gehad; afspraken gemaakt.",
            )
            for _ in range(20)
        )
        Task.objects.bulk_create(
            Task(
                case=case,
                title="Bellen",
                owner=lead,
                due_on=today + datetime.timedelta(days=rng.randint(-20, 40)),
            )
            for _ in range(3)
        )
        made.append(case)
    shared = next(c for c in made if c.members.filter(organisation=school).exists())
    guest = shared.members.get(organisation=school).membership
    return {
        "cases": made,
        "busy": busy,
        "shared": shared,
        "guest": guest,
        "manager": member(organisations[0], 99, Role.ORG_ADMIN),
        "organisations": organisations,
        "staff": staff,
    }


def web_client(membership):
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=membership.user, name="bench", confirmed=True)
    client = Client()
    client.force_login(membership.user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session["schakel_membership_id"] = membership.pk
    session.save()
    return client


def measure(*, n: int, cases: int, job_runs: int) -> dict:
    from django.conf import settings
    from django.db import connection
    from django.test.utils import override_settings

    from schakel.cases import selectors, services
    from schakel.cases.models import CaseMember

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    # Pages without collectstatic: plain static storage instead of the manifest (production's
    # whitenoise manifest only changes the URLs in the page, not the work per request).
    plain = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    override_settings(STORAGES=plain).enable()
    rng = random.Random(6)
    start = time.perf_counter()
    world = generate(cases=cases, rng=rng)
    generated_s = time.perf_counter() - start
    busy, shared, guest = world["busy"], world["shared"], world["guest"]
    own = world["cases"][0]

    def read_own():
        selectors.case_get_for(actor=busy, public_id=own.public_id)

    def read_guest():
        selectors.case_get_for(actor=guest, public_id=shared.public_id)

    def timeline():
        case = selectors.case_get_for(actor=busy, public_id=own.public_id)
        selectors.timeline_for(actor=busy, case=case)

    def my_list():
        selectors.case_list_for(actor=busy)

    def my_tasks():
        selectors.my_tasks_for(actor=busy)

    client = web_client(busy)

    def page():
        response = client.get(f"/casussen/{own.public_id}/")
        assert response.status_code == 200, response.status_code

    def timeline_page():
        response = client.get(f"/casussen/{own.public_id}/tijdlijn/")
        assert response.status_code == 200, response.status_code

    def note():
        services.event_record(actor=busy, case=own, kind="note", text="Kort overleg gehad.")

    pool = [c for c in world["cases"][50:] if c.lead_id != busy.pk]

    def handover():
        case = pool[rng.randrange(len(pool))]
        case.refresh_from_db()
        target = CaseMember.objects.filter(
            case=case, membership=case.backup, ended_at__isnull=True
        ).get()
        offer = services.handover_offer(actor=case.lead, case=case, to_member=target)
        services.handover_accept(
            actor=target.membership,
            handover=offer,
            talked_with_person=True,
            history_read=True,
            appointments_moved=True,
        )

    def figures():
        selectors.organisation_figures_for(actor=world["manager"])

    result = {
        "generated_seconds": round(generated_s, 1),
        "vendor": connection.vendor,
        "reads": {
            "case_get_for (holder organisation)": timed(read_own, n),
            "case_get_for (other organisation, basis checked)": timed(read_guest, n),
            "timeline_for (20 events)": timed(timeline, n),
            "case_list_for (member of 50 cases)": timed(my_list, max(10, n // 5)),
            "my_tasks_for (member of 50 cases)": timed(my_tasks, max(10, n // 5)),
            "web: case page": timed(page, max(10, n // 2)),
            "web: timeline page": timed(timeline_page, max(10, n // 2)),
            "organisation_figures_for": timed(figures, max(5, n // 20), warmup=1),
        },
        "writes": {
            "event_record (note)": timed(note, n),
            "handover offer + accept": timed(handover, max(10, n // 4)),
        },
    }
    runs = []
    for offset in range(job_runs):
        day = datetime.date.today() + datetime.timedelta(days=offset * 40)
        start = time.perf_counter()
        services.case_tasks_due_create(today=day)
        runs.append((time.perf_counter() - start) * 1_000_000)
    result["daily_job"] = {**summary(runs), "cases": cases}
    return result


# --- child and parent -----------------------------------------------------------------------


def child(args) -> None:
    bench_run.setup_django(args.database_url, Path(args.var_dir))
    result = measure(n=args.n, cases=args.cases, job_runs=args.job_runs)
    Path(args.out).write_text(json.dumps(result, indent=2))


def _run_child(backend: str, url: str, tmp: Path, args) -> dict:
    out = tmp / f"{backend}.json"
    command = [
        sys.executable, __file__, "--child", "--database-url", url, "--var-dir",
        str(tmp / f"var-{backend}"), "--out", str(out), "--n", str(args.n),
        "--cases", str(args.cases), "--job-runs", str(args.job_runs),
    ]  # fmt: skip
    print(f"== cases on {backend}: {args.cases} cases, n={args.n}", flush=True)
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


def markdown(result: dict) -> str:
    m = result["machine"]
    p = result["parameters"]
    lines = [
        "# Cases benchmark",
        "",
        f"{m['date_utc']} UTC · commit {m['commit']} · {m['cpu']} ({m['cpus']} CPUs, "
        f"{m['memory_gib']} GiB) · {m['os']} · Python {m['python']} · Django {m['django']} · "
        f"load {result['load_before']} → {result['load_after']}",
        "",
        f"{p['cases']} cases (each with a lead, a backup, 20 timeline events and 3 tasks; a "
        f"third with a member of another organisation on a convenant). N = {p['n']} calls per "
        "measurement after 5 warm-up calls (lists, pages and figures: fewer, see n).",
        "",
        "| backend | what | n | per second | p50 ms | p95 ms |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for backend, data in result["backends"].items():
        if "skipped" in data:
            lines.append(f"| {backend} | skipped: {data['skipped']} | | | | |")
            continue
        for group in ("reads", "writes"):
            for label, s in data[group].items():
                lines.append(
                    f"| {backend} | {label} | {s['n']} | {s['per_second']:,.0f} "
                    f"| {s['p50_us'] / 1000:.2f} | {s['p95_us'] / 1000:.2f} |"
                )
        job = data["daily_job"]
        lines.append(
            f"| {backend} | daily job over {job['cases']} cases (18th-birthday tasks) | {job['n']} "
            f"| – | {job['p50_us'] / 1000:.1f} | {job['p95_us'] / 1000:.1f} |"
        )
    busy = (result["load_after"] or 0) > (m["cpus"] or 1)
    if busy:
        lines += ["", "**The machine was busy during this run** (load above the number of CPUs)."]
    lines += [
        "",
        "Every read of a case records one processing-log entry (hash-chained, one writer at a "
        "time), so a read costs about as much as a small write. The read by a member of another "
        "organisation also evaluates the sharing basis again (consent withdrawn or convenant "
        "ended means 404 at once). Per second = 1 / mean time, one call after another in one "
        "process. Compare numbers only within one run; see bench/README.md.",
        "",
    ]
    return "\n".join(lines)


def parent(args) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="schakel-bench-cases-"))
    try:
        load_before = bench_run._load()
        backends = {"sqlite": _run_child("sqlite", f"sqlite:///{tmp / 'bench.sqlite3'}", tmp, args)}
        if not args.no_postgres:
            backends["postgresql"] = _postgres(args.postgres_url, tmp, args)
        result = {
            "machine": bench_run.machine(tmp),
            "load_before": load_before,
            "load_after": bench_run._load(),
            "parameters": {"n": args.n, "cases": args.cases, "job_runs": args.job_runs},
            "backends": backends,
        }
    finally:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "cases.json").write_text(json.dumps(result, indent=2) + "\n")
    text = markdown(result)
    (RESULTS / "cases.md").write_text(text)
    print(text)
    print("Written: bench/results/cases.json and cases.md")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="calls per measurement")
    parser.add_argument("--cases", type=int, default=1000, help="cases to generate")
    parser.add_argument("--job-runs", type=int, default=3, help="runs of the daily job")
    parser.add_argument("--quick", action="store_true", help="small N, to see that it works")
    parser.add_argument(
        "--postgres-url", default=os.environ.get("BENCH_CASES_POSTGRES_URL", DEFAULT_PG_URL)
    )
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--var-dir", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        args.n, args.cases, args.job_runs = 20, 80, 1
    if args.child:
        child(args)
    else:
        parent(args)


if __name__ == "__main__":
    main()
