"""All writes of the registry: one melding (web form and API) and a CSV import.

Both go through `rows.validate_row`, so every melding meets the same rules. Every melding that is
stored leaves a processing-log entry (activity "national_registration") for the registry person.
"""

import datetime
import hashlib
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.accounts.models import Membership
from schakel.accounts.permissions import ensure_can
from schakel.people.validators import normalise_bsn, validate_bsn, validate_date_of_birth
from schakel.privacy.services import processing_record, processing_record_many

from . import keys
from .csvio import CsvRows
from .models import ImportRun, Melding
from .rows import STORED_FIELDS, MeldingValues, RowError, validate_row, values_of

ACTIVITY = "national_registration"
# The registration office records meldingen in its own registry: no personal data leaves its
# organisation here. The melder's report to the office (on its legal task or with consent)
# happened before, outside this function; the consent, when the person is in Schakel, is
# recorded through the privacy capability.
NOT_A_TRANSFER = {
    "melding_register": "the registration office stores a melding in its own registry; "
    "nothing leaves the organisation",
}
MAX_REPORTED_ERRORS = 100
CHECK_BATCH = 2000
INSERT_BATCH = 2000
SYSTEM_ROLE = "system"
NAME_MAX = 200

# Who gave consent, in the words of the privacy capability, and the contract's column for it.
CONSENT_GIVERS = {
    "person": "betrokkene",
    "parent": "ouder_voogd",
    "guardian": "ouder_voogd",
    "legal_representative": "ouder_voogd",
}
CONSENT_DATA_CATEGORIES = ["identificatie", "signalen"]
CONSENT_RECIPIENT_KINDS = ["registratiebalie"]
CONSENT_DAYS = 90


# -- one melding --------------------------------------------------------------------------------


def new_melding_id(today: datetime.date | None = None) -> str:
    today = today or timezone.localdate()
    return f"S{today:%Y%m%d}-{uuid.uuid4().hex[:12]}"


def _identifiers_key(identifiers: keys.Identifiers, errors: dict, today) -> str:
    bsn = normalise_bsn(identifiers.bsn)
    surname = (identifiers.surname or "").strip()
    if bsn:
        try:
            validate_bsn(bsn)
        except ValidationError as error:
            errors["bsn"] = error.messages[0]
    dob = identifiers.date_of_birth
    if dob is not None:
        try:
            validate_date_of_birth(dob, today=today)
        except ValidationError as error:
            errors["date_of_birth"] = error.messages[0]
    if not bsn and not (surname and dob):
        errors.setdefault(
            "bsn",
            _(
                "Vul een BSN in, of een achternaam met een geboortedatum. Daarmee maakt de "
                "registratie een sleutel; de gegevens zelf worden niet bewaard."
            ),
        )
    if errors:
        return ""
    return keys.person_key(
        keys.Identifiers(
            bsn=bsn,
            surname=surname,
            given_names=(identifiers.given_names or "").strip(),
            date_of_birth=dob,
        )
    )


def _age_on(dob: datetime.date | None, day: datetime.date | None) -> str:
    if dob is None or day is None or day < dob:
        return ""
    return str(day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day)))


def _as_date(value) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value or ""))
    except ValueError:
        return None


def _errors_by_column(problems: list[RowError]) -> dict:
    errors: dict = {}
    for problem in problems:
        errors.setdefault(problem.column or "non_field_errors", []).append(problem.message)
    return errors


def _consent_details(consent: dict | None, errors: dict) -> dict:
    consent = dict(consent or {})
    given_by = consent.get("given_by") or ""
    if given_by not in CONSENT_GIVERS:
        errors["consent_given_by"] = _("Kies wie toestemming gaf.")
    return consent


def _record_consent(*, actor, person, consent: dict, today) -> uuid.UUID:
    """Record the consent for the national registration through the privacy capability."""
    from schakel.privacy.services import consent_record

    try:
        record = consent_record(
            actor=actor,
            person=person,
            given_by=consent["given_by"],
            given_by_name=consent.get("given_by_name", ""),
            purposes=[ACTIVITY],
            data_categories=CONSENT_DATA_CATEGORIES,
            recipient_kinds=CONSENT_RECIPIENT_KINDS,
            valid_from=today,
            valid_until=today + datetime.timedelta(days=CONSENT_DAYS),
            method=consent.get("method", ""),
            evidence=consent.get("evidence", ""),
            understanding_checks=consent.get("understanding_checks") or [],
            understanding_note=consent.get("understanding_note", ""),
        )
    except ValidationError as error:
        raise ValidationError(
            {
                f"consent_{name}": messages
                for name, messages in getattr(error, "message_dict", {"": error.messages}).items()
            }
        ) from error
    return record.public_id


def melding_register(
    *,
    actor: Membership,
    values: dict,
    identifiers: keys.Identifiers | None = None,
    person=None,
    consent: dict | None = None,
    reporter_organisation: str = "",
    reporter_name: str = "",
    on_domicile: bool = False,
    source: str = Melding.Source.FORM,
    today: datetime.date | None = None,
) -> tuple[Melding, bool]:
    """Register one melding. Returns the melding and whether it is new.

    `values` holds the contract's columns as text (`melding_id` may be empty: a new number is
    made). The person is given in one of three ways: `person` (a Person of the actor's
    organisation), `identifiers` (BSN, or surname with date of birth), or `values
    ["persoon_sleutel"]` (a key made elsewhere with the registry's method). Only the key is
    stored. A melding with consent for a person known in Schakel records that consent through
    the privacy capability (`consent`: given_by, given_by_name, method, evidence,
    understanding_checks, understanding_note). "Op domicilie" (`on_domicile`): only the
    reporting organisation is stored, never the reporter's name.

    A `melding_id` that is already stored with exactly these values returns that melding (a
    retry changes nothing); with other values it is an error.
    """
    ensure_can(actor, "registry.register")
    today = today or timezone.localdate()
    row = {name: "" if value is None else str(value) for name, value in values.items()}
    errors: dict = {}
    ways = [person is not None, identifiers is not None, bool(row.get("persoon_sleutel"))]
    if sum(ways) != 1:
        errors["person"] = _(
            "Kies een persoon uit Schakel, of vul een BSN of een achternaam met geboortedatum in."
        )
    dob = None
    if person is not None:
        if person.owner_organisation_id != actor.organisation_id:
            raise PermissionDenied("person.owner")
        row["persoon_sleutel"] = keys.person_key(person)
        dob = person.date_of_birth
    elif identifiers is not None:
        row["persoon_sleutel"] = _identifiers_key(identifiers, errors, today)
        dob = identifiers.date_of_birth
    if not row.get("leeftijd") and dob is not None:
        row["leeftijd"] = _age_on(dob, _as_date(row.get("melddatum")))
    with_consent = person is not None and row.get("grondslag") == "toestemming"
    if with_consent:
        consent = _consent_details(consent, errors)
        if "consent_given_by" not in errors:
            row["toestemming_door"] = CONSENT_GIVERS[consent["given_by"]]
    row["melding_id"] = (row.get("melding_id") or "").strip() or new_melding_id(today)
    reporter_organisation = (reporter_organisation or "").strip()
    reporter_name = (reporter_name or "").strip()
    if len(reporter_organisation) > NAME_MAX:
        errors["reporter_organisation"] = _("Gebruik hier hoogstens %(n)d tekens.") % {
            "n": NAME_MAX
        }
    if len(reporter_name) > NAME_MAX:
        errors["reporter_name"] = _("Gebruik hier hoogstens %(n)d tekens.") % {"n": NAME_MAX}
    if on_domicile and reporter_name:
        errors["reporter_name"] = _(
            "Bij melden op domicilie legt de registratie geen naam van de melder vast. "
            "Laat de naam leeg; de organisatie is genoeg."
        )
    if source not in Melding.Source.values:
        raise ValueError(f"unknown source '{source}'")
    checked, problems = validate_row(row, today=today)
    for name, messages in _errors_by_column(problems).items():
        if name == "persoon_sleutel" and errors.keys() & {"person", "bsn", "date_of_birth"}:
            continue  # the problem with the person is named already
        errors.setdefault(name, messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        existing = Melding.objects.filter(melding_id=checked.melding_id).first()
        if existing is not None:
            if values_of(existing) == checked:
                return existing, False
            raise ValidationError(
                {
                    "melding_id": _(
                        "Dit meldingsnummer bestaat al, met andere gegevens. Kies een ander "
                        "nummer of laat het leeg."
                    )
                }
            )
        consent_id = None
        if with_consent:
            consent_id = _record_consent(
                actor=actor, person=person, consent=consent, today=timezone.localdate()
            )
        melding = Melding.objects.create(
            **checked.model_fields(),
            source=source,
            reporter_organisation=reporter_organisation,
            reporter_name="" if on_domicile else reporter_name,
            on_domicile=bool(on_domicile),
            consent_public_id=consent_id,
            registered_by=actor,
        )
        processing_record(
            actor=actor,
            subject=keys.log_subject(melding.persoon_sleutel),
            activity=ACTIVITY,
            operation="create",
        )
    return melding, True


# -- CSV import ---------------------------------------------------------------------------------


@dataclass
class ImportReport:
    file_name: str
    rows: int = 0
    created: int = 0
    unchanged: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)
    rule_counts: Counter = field(default_factory=Counter)
    sha256: str = ""
    run: ImportRun | None = None

    @property
    def accepted(self) -> bool:
        return self.error_count == 0

    def add_error(self, error: RowError) -> None:
        self.error_count += 1
        self.rule_counts[error.rule] += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(error)

    def summary(self) -> str:
        if not self.accepted:
            return _(
                "Niet geïmporteerd: %(count)d fout(en) in %(rows)d regels. Er is niets veranderd."
            ) % {"count": self.error_count, "rows": self.rows}
        if self.created == 0:
            return _(
                "Niets veranderd: alle %(rows)d meldingen stonden al precies zo in de registratie."
            ) % {"rows": self.rows}
        return _(
            "Geïmporteerd: %(created)d nieuwe meldingen; %(unchanged)d stonden er al precies zo in."
        ) % {"created": self.created, "unchanged": self.unchanged}

    def as_dict(self) -> dict:
        return {
            "file_name": self.file_name,
            "accepted": self.accepted,
            "rows": self.rows,
            "created": self.created,
            "unchanged": self.unchanged,
            "error_count": self.error_count,
            "errors": [error.as_dict() for error in self.errors],
            "rule_counts": dict(sorted(self.rule_counts.items())),
            "sha256": self.sha256,
            "summary": self.summary(),
        }


class ImportRejected(Exception):
    """The file was not imported; `report` names the errors. Nothing was changed."""

    def __init__(self, report: ImportReport):
        self.report = report
        super().__init__(report.summary())


class _HashingStream:
    """Passes reads through and hashes them, so both passes can prove they read the same file."""

    def __init__(self, stream):
        self._stream = stream
        self.digest = hashlib.sha256()

    def read(self, size=-1):
        data = self._stream.read(size)
        self.digest.update(data)
        return data


Progress = Callable[[str, int, int], None]


def _stored_values(ids: list[str]) -> dict[str, MeldingValues]:
    rows = Melding.objects.filter(melding_id__in=ids).values(*STORED_FIELDS)
    return {row["melding_id"]: values_of(row) for row in rows}


def _check_batch(batch: list[tuple[int, MeldingValues]], report: ImportReport) -> None:
    stored = _stored_values([values.melding_id for _line, values in batch])
    for line, values in batch:
        known = stored.get(values.melding_id)
        if known is None:
            report.created += 1
        elif known == values:
            report.unchanged += 1
        else:
            report.add_error(
                RowError(
                    "melding_id",
                    "conflict",
                    _(
                        "Deze melding staat al in de registratie, met andere gegevens. Een "
                        "melding wordt niet overschreven."
                    ),
                    line=line,
                )
            )


def _valid_rows(csv_rows: CsvRows, report: ImportReport | None, today, seen: set | None):
    """Yield (line, values) of valid rows; record problems in `report` (first pass only)."""
    for line, row, problems in csv_rows:
        if report is not None:
            report.rows += 1
        if row is not None and seen is not None:
            melding_id = (row.get("melding_id") or "").strip()
            if melding_id in seen:
                problems = [
                    *problems,
                    RowError(
                        "melding_id",
                        "duplicate_id",
                        _("Dit meldingsnummer staat al eerder in het bestand."),
                        line=line,
                    ),
                ]
            elif melding_id:
                seen.add(melding_id)
        values = None
        if row is not None:
            values, row_problems = validate_row(row, today=today)
            problems = [*problems, *row_problems]
        if problems:
            if report is not None:
                for problem in problems:
                    report.add_error(
                        problem if problem.line is not None else _at_line(problem, line)
                    )
            continue
        yield line, values


def _at_line(problem: RowError, line: int) -> RowError:
    return RowError(problem.column, problem.rule, problem.message, line=line)


def _report_progress(progress, phase, csv_rows, size, rows) -> None:
    if progress is not None:
        progress(phase, csv_rows.bytes_read if size else rows, size)


def _first_pass(opener, report, today, size, progress) -> None:
    stream = opener()
    try:
        hashing = _HashingStream(stream)
        csv_rows = CsvRows(hashing)
        for error in csv_rows.header_errors:
            report.add_error(error)
        seen: set[str] = set()
        batch: list[tuple[int, MeldingValues]] = []
        for line, values in _valid_rows(csv_rows, report, today, seen):
            batch.append((line, values))
            if len(batch) >= CHECK_BATCH:
                _check_batch(batch, report)
                batch = []
                _report_progress(progress, "check", csv_rows, size, report.rows)
        if batch:
            _check_batch(batch, report)
        _report_progress(progress, "check", csv_rows, size, report.rows)
        while hashing.read(1 << 16):  # hash a trailing part the CSV reader did not need
            pass
        report.sha256 = hashing.digest.hexdigest()
    finally:
        stream.close()


def _insert_batch(batch, run, actor, now) -> int:
    stored = _stored_values([values.melding_id for values in batch])
    new = [values for values in batch if values.melding_id not in stored]
    Melding.objects.bulk_create(
        [
            Melding(
                **values.model_fields(),
                source=Melding.Source.IMPORT,
                import_run=run,
                registered_by=actor,
                registered_at=now,
            )
            for values in new
        ],
        batch_size=500,
    )
    processing_record_many(
        actor=actor,
        subjects=keys.log_subjects([values.persoon_sleutel for values in new]),
        activity=ACTIVITY,
        operation="create",
    )
    return len(new)


def _second_pass(opener, report, actor, file_name, started, today, size, progress) -> ImportRun:
    now = timezone.now()
    stream = opener()
    try:
        hashing = _HashingStream(stream)
        csv_rows = CsvRows(hashing)
        with transaction.atomic():
            run = ImportRun.objects.create(
                file_name=file_name[:255],
                sha256=report.sha256,
                rows=report.rows,
                created=report.created,
                unchanged=report.unchanged,
                started_at=started,
                finished_at=now,
                imported_by=actor,
                imported_by_role=actor.role if actor else SYSTEM_ROLE,
            )
            created, batch, rows = 0, [], 0
            for _line, values in _valid_rows(csv_rows, None, today, None):
                rows += 1
                batch.append(values)
                if len(batch) >= INSERT_BATCH:
                    created += _insert_batch(batch, run, actor, now)
                    batch = []
                    connection.queries_log.clear()  # DEBUG keeps every statement otherwise
                    _report_progress(progress, "import", csv_rows, size, rows)
            if batch:
                created += _insert_batch(batch, run, actor, now)
            while hashing.read(1 << 16):
                pass
            if hashing.digest.hexdigest() != report.sha256 or created != report.created:
                raise _changed_meanwhile(report)
            ImportRun.objects.filter(pk=run.pk).update(finished_at=timezone.now())
            _report_progress(progress, "import", csv_rows, size, rows)
    finally:
        stream.close()
    return run


def _changed_meanwhile(report: ImportReport) -> ImportRejected:
    report.add_error(
        RowError(
            "",
            "changed_meanwhile",
            _(
                "Het bestand of de registratie veranderde tijdens het importeren. Er is niets "
                "veranderd; importeer het bestand opnieuw."
            ),
        )
    )
    return ImportRejected(report)


def registrations_import(
    *,
    actor: Membership | None,
    opener: Callable,
    file_name: str,
    size: int = 0,
    progress: Progress | None = None,
    today: datetime.date | None = None,
) -> ImportReport:
    """Import a CSV file in the contract's format: all or nothing.

    `opener()` returns a new binary stream of the file each time: the file is read twice. The
    first pass checks every row and every melding_id against the file and the registry, keeping
    only the ids; any error rejects the file (`ImportRejected`, with the first errors by line,
    column and rule) before anything is written. The second pass inserts the new meldingen in
    batches inside one transaction. Rows that are already stored exactly so are skipped; a file
    of only such rows changes nothing. `actor` None is the system (the management command).
    `progress(phase, done, total)` is called now and then: bytes of `size`, or rows when the
    size is unknown.
    """
    if actor is not None:
        ensure_can(actor, "registry.import")
    today = today or timezone.localdate()
    started = timezone.now()
    report = ImportReport(file_name=file_name)
    _first_pass(opener, report, today, size, progress)
    if not report.accepted:
        raise ImportRejected(report)
    if report.created == 0:
        return report
    try:
        report.run = _second_pass(opener, report, actor, file_name, started, today, size, progress)
    except IntegrityError as error:
        raise _changed_meanwhile(report) from error
    transaction.on_commit(_analyze)
    return report


def _analyze() -> None:
    """Refresh the planner's statistics after a bulk load, so the monitor's GROUP BY queries
    get a good plan at once instead of after the next autovacuum."""
    table = connection.ops.quote_name(Melding._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")
