"""CSV import: all or nothing, errors by line, column and rule, re-import as a no-op."""

import io
import tracemalloc

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from schakel.accounts.models import Role
from schakel.privacy.models import ProcessingEntry
from schakel.privacy.services import processing_log_verify
from schakel.registry import keys
from schakel.registry.contract import EXPECTED_COLUMNS
from schakel.registry.models import ImportRun, Melding
from schakel.registry.services import ImportRejected, registrations_import
from tests.accounts.factories import MembershipFactory

from .factories import TODAY, consent_row, csv_bytes, row, write_csv

pytestmark = pytest.mark.django_db


def run(data: bytes, *, actor=None, progress=None, name="test.csv"):
    return registrations_import(
        actor=actor,
        opener=lambda: io.BytesIO(data),
        file_name=name,
        size=len(data),
        progress=progress,
        today=TODAY,
    )


def rejected(data: bytes) -> list[tuple]:
    """The errors (line, column, rule) of a rejected file; checks that nothing changed."""
    before = (Melding.objects.count(), ImportRun.objects.count(), ProcessingEntry.objects.count())
    with pytest.raises(ImportRejected) as raised:
        run(data)
    after = (Melding.objects.count(), ImportRun.objects.count(), ProcessingEntry.objects.count())
    assert after == before
    return [(e.line, e.column, e.rule) for e in raised.value.report.errors]


def test_a_valid_file_is_imported_with_a_progress_indicator_and_log_entries():
    rows = [row(persoon_sleutel=f"persoon-{i:04d}") for i in range(5)] + [consent_row()]
    seen = []
    report = run(csv_bytes(rows), progress=lambda phase, done, total: seen.append(phase))
    assert (report.rows, report.created, report.unchanged, report.accepted) == (6, 6, 0, True)
    assert Melding.objects.count() == 6
    assert set(Melding.objects.values_list("source", flat=True)) == {"import"}
    run_ = ImportRun.objects.get()
    assert (run_.rows, run_.created, run_.imported_by_role) == (6, 6, "system")
    assert report.run == run_ and len(run_.sha256) == 64
    assert {"check", "import"} <= set(seen)
    entries = ProcessingEntry.objects.filter(activity="national_registration", operation="create")
    assert entries.count() == 6
    subjects = set(entries.values_list("subject_pseudonym", flat=True))
    assert keys.log_subject("persoon-0001") in subjects
    assert "persoon-0001" not in subjects  # the log never holds the registry's key
    assert processing_log_verify().ok


def test_reimporting_the_same_file_changes_nothing_and_says_so():
    data = csv_bytes([row(), row()])
    run(data)
    before = ProcessingEntry.objects.count()
    report = run(data)
    assert (report.created, report.unchanged) == (0, 2)
    assert "Niets veranderd" in report.summary()
    assert Melding.objects.count() == 2 and ImportRun.objects.count() == 1
    assert ProcessingEntry.objects.count() == before


def test_rows_already_present_are_skipped_and_new_ones_added():
    first, second = row(), row()
    run(csv_bytes([first]))
    report = run(csv_bytes([first, second]))
    assert (report.created, report.unchanged) == (1, 1)
    assert Melding.objects.count() == 2


def test_a_stored_melding_is_never_overwritten():
    original = row(geslacht="man")
    run(csv_bytes([original]))
    changed = dict(original, geslacht="vrouw")
    assert rejected(csv_bytes([row(), changed])) == [(3, "melding_id", "conflict")]
    assert Melding.objects.get().geslacht == "man"
    assert Melding.objects.count() == 1


def test_one_bad_row_imports_nothing_and_is_named_by_line():
    rows = [row(), row(), row(leeftijd="oud"), row()]
    assert rejected(csv_bytes(rows)) == [(4, "leeftijd", "format")]
    assert Melding.objects.count() == 0
    assert ImportRun.objects.count() == 0
    assert not ProcessingEntry.objects.filter(activity="national_registration").exists()


def test_every_bad_row_is_reported():
    rows = [row(melder="x", politie_eenheid=""), row(), row(melddatum="2099-01-01"), row()]
    assert rejected(csv_bytes(rows)) == [(2, "melder", "choice"), (4, "melddatum", "future")]


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        ([c for c in EXPECTED_COLUMNS if c != "geslacht"], [(1, "geslacht", "header_missing")]),
        ([*EXPECTED_COLUMNS, "naam"], [(1, "naam", "header_unknown")]),
        ([*EXPECTED_COLUMNS, "sector"], [(1, "sector", "header_duplicate")]),
    ],
)
def test_a_wrong_header_is_refused(columns, expected):
    assert rejected(csv_bytes([row()], columns=columns)) == expected


def test_the_column_order_is_free_and_a_bom_and_lf_are_fine():
    columns = list(reversed(EXPECTED_COLUMNS))
    report = run(csv_bytes([row(), row()], columns=columns, bom=True, newline="\n"))
    assert report.created == 2


def test_an_empty_file_and_a_header_without_rows():
    assert rejected(b"") == [(1, "", "empty_file")]
    report = run(csv_bytes([]))
    assert (report.rows, report.created, report.accepted) == (0, 0, True)


def test_bad_encoding_is_named_by_line_and_column():
    good = csv_bytes([row(), row()])
    bad = good + row_bytes(row(nationaliteit="", sector="", uitbuitingsvormen="onbekend"))
    bad = bad.replace(b",onbekend,", b",onbekend\xe9,", 1)  # a Latin-1 byte
    assert rejected(bad) == [(4, "uitbuitingsvormen", "encoding")]


def test_a_latin1_file_is_refused_from_its_header():
    data = ",".join(EXPECTED_COLUMNS).replace("lvb_indicatie", "lvb_indicatié").encode("latin-1")
    assert rejected(data + b"\r\n") == [(1, "", "encoding")]


def row_bytes(values) -> bytes:
    return csv_bytes([values]).split(b"\r\n", 1)[1]


def test_duplicate_ids_in_the_file():
    twin = row()
    assert rejected(csv_bytes([twin, row(), dict(twin)])) == [(4, "melding_id", "duplicate_id")]


def test_a_row_with_too_few_fields():
    data = csv_bytes([row()]) + b"M1,2024-01-01\r\n"
    assert rejected(data) == [(3, "", "field_count")]


def test_line_numbers_follow_quoted_line_breaks():
    data = csv_bytes([row(melding_id="regel\neinde"), row(leeftijd="x")])
    assert rejected(data) == [(2, "melding_id", "control_character"), (4, "leeftijd", "format")]


def test_an_unterminated_quote_stops_the_check():
    data = csv_bytes([row()]) + b'"M9,2024-01-01\r\n'
    assert rejected(data) == [(3, "", "csv_syntax")]


def test_ten_thousand_bad_rows_are_counted_in_little_memory():
    bad = [row(leeftijd="x", melding_id=f"B{i:05d}") for i in range(10_000)]
    data = csv_bytes(bad)
    tracemalloc.start()
    try:
        with pytest.raises(ImportRejected) as raised:
            run(data)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    report = raised.value.report
    assert report.error_count == 10_000 and report.rows == 10_000
    assert len(report.errors) == 100
    assert report.errors[0].line == 2 and report.errors[-1].line == 101
    assert report.rule_counts == {"format": 10_000}
    assert peak < 20 * 1024 * 1024
    assert Melding.objects.count() == 0


def test_a_file_that_changes_between_the_passes_is_refused():
    versions = iter([csv_bytes([row(), row()]), csv_bytes([row(), row(), row()])])
    with pytest.raises(ImportRejected) as raised:
        registrations_import(
            actor=None, opener=lambda: io.BytesIO(next(versions)), file_name="x.csv", today=TODAY
        )
    assert raised.value.report.errors[-1].rule == "changed_meanwhile"
    assert Melding.objects.count() == 0


def test_only_the_registration_office_may_import():
    registrar = MembershipFactory(role=Role.REGISTRAR)
    assert run(csv_bytes([row()]), actor=registrar).created == 1
    analyst = MembershipFactory(role=Role.ANALYST)
    with pytest.raises(PermissionDenied):
        run(csv_bytes([row()]), actor=analyst)
    entry = ProcessingEntry.objects.filter(activity="national_registration").get()
    assert (entry.organisation_id, entry.role) == (registrar.organisation_id, "registrar")


# -- the command -------------------------------------------------------------------------------


def test_command_imports_and_shows_progress(tmp_path, capsys):
    path = write_csv(tmp_path / "m.csv", [row(melddatum="2024-01-02"), row()])
    out, err = io.StringIO(), io.StringIO()
    call_command("registry_import", str(path), stdout=out, stderr=err)
    assert "2 nieuwe meldingen" in out.getvalue()
    assert "controleren: 100%" in err.getvalue() and "importeren: 100%" in err.getvalue()
    assert Melding.objects.count() == 2


def test_command_exits_non_zero_with_the_errors(tmp_path):
    path = write_csv(tmp_path / "m.csv", [row(), row(geslacht="?"), row(leeftijd="200")])
    with pytest.raises(CommandError) as raised:
        call_command("registry_import", str(path), "--quiet", stdout=io.StringIO())
    message = str(raised.value)
    assert raised.value.returncode == 1
    assert "m.csv: regel 3, kolom geslacht, regel 'choice'" in message
    assert "m.csv: regel 4, kolom leeftijd, regel 'range'" in message
    assert "Fouten per regel: choice: 1, range: 1" in message
    assert Melding.objects.count() == 0


def test_command_reads_standard_input(tmp_path, monkeypatch):
    data = csv_bytes([row()])
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    out = io.StringIO()
    call_command("registry_import", "-", "--quiet", stdout=out)
    assert "1 nieuwe melding" in out.getvalue()


def test_command_names_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="niet gevonden"):
        call_command("registry_import", str(tmp_path / "nope.csv"))
