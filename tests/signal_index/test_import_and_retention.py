"""The bulk loader (service and `import_signals`), the archive's retention handler, and the demo."""

import csv
import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import timezone

from schakel.accounts.models import Organisation
from schakel.privacy.models import ProcessingEntry
from schakel.privacy.retention import retention_apply
from schakel.signal_index import services
from schakel.signal_index.models import SignalMatch, SignalPseudonym, SignalRegistration
from tests.people.factories import valid_bsn

from .factories import TODAY, identifiers, professional, register, rotation_key

pytestmark = pytest.mark.django_db
D = Organisation.Domain


def rows(*numbers, **extra):
    result = []
    for n in numbers:
        ids = identifiers(n)
        row = {"bsn": ids.bsn, "surname": ids.surname, "given_names": ids.given_names,
               "birth_date": ids.date_of_birth.isoformat(), "context": "zorgen_over_uitbuiting",
               "contact_function": "Wijkteam", "contact_phone": "058-1234567"}  # fmt: skip
        row.update(extra)
        result.append(row)
    return result


def test_import_creates_renews_and_matches():
    town = professional(D.GEMEENTE)
    register(town, identifiers(1))
    police = professional(D.POLITIE)
    register(police, identifiers(2))
    before = ProcessingEntry.objects.count()
    report = services.signal_registrations_import(
        actor=town, rows=rows(1, 2, 3, 4), today=TODAY, batch_size=2
    )
    assert (report.rows, report.created, report.renewed, report.matches) == (4, 3, 1, 1)
    assert SignalRegistration.objects.filter(organisation=town.organisation).count() == 4
    assert SignalPseudonym.objects.filter(registration__organisation=town.organisation).count() == 8
    match = SignalMatch.objects.get()
    assert match.cross_domain
    ops = list(ProcessingEntry.objects.order_by("seq")[before:].values_list("operation", flat=True))
    assert ops.count("create") == 3 and ops.count("update") == 1 and ops.count("share") == 2


def test_import_is_all_or_nothing_with_line_numbers():
    town = professional(D.GEMEENTE)
    bad = rows(1, 2, 3, 1)
    bad[1]["bsn"] = "123456789"
    bad[2]["context"] = "iets"
    with pytest.raises(services.ImportRejected) as rejected:
        services.signal_registrations_import(actor=town, rows=bad, today=TODAY)
    errors = {(line, field) for line, field, _m in rejected.value.errors}
    assert errors == {(3, "bsn"), (4, "context"), (5, "bsn")}
    assert not SignalRegistration.objects.exists()


def test_import_command(tmp_path):
    town = professional(D.GEMEENTE)
    path = tmp_path / "signals.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=services.IMPORT_COLUMNS)
        writer.writeheader()
        writer.writerows(rows(1, 2))
    out = StringIO()
    call_command("import_signals", str(path), "--organisation", town.organisation.name, stdout=out)
    assert "2 new" in out.getvalue()
    path.write_text("bsn,context\n" + valid_bsn(9) + ",zorgen_over_uitbuiting\n")
    with pytest.raises(CommandError, match="missing columns"):
        call_command("import_signals", str(path), "--organisation", town.organisation.name)


def test_retention_deletes_the_archive_after_five_years_and_logs_it():
    owner = professional()
    keep = register(owner, identifiers(1)).registration
    old = register(owner, identifiers(2)).registration
    register(professional(D.POLITIE), identifiers(2))
    ended = timezone.now() - datetime.timedelta(days=1830)
    SignalRegistration.objects.filter(pk=old.pk).update(ended_at=ended, end_reason="withdrawn")
    before = ProcessingEntry.objects.count()
    lines = {line.key: line for line in retention_apply(dry_run=True)}
    assert lines["signaleringsindex"].count == 1
    assert SignalRegistration.objects.filter(pk=old.pk).exists()
    lines = {line.key: line for line in retention_apply()}
    assert lines["signaleringsindex"].count == 1
    assert not SignalRegistration.objects.filter(pk=old.pk).exists()
    assert SignalRegistration.objects.filter(pk=keep.pk).exists()
    assert not SignalMatch.objects.exists()  # the match went with it
    deletions = ProcessingEntry.objects.filter(
        seq__gt=before, activity="signal_index", operation="delete"
    )
    assert deletions.count() == 1 and deletions.get().role == "system"


def test_expiry_prunes_old_rate_limit_counts():
    from schakel.signal_index.models import SignalAttempt

    actor = professional()
    long_ago = timezone.now() - datetime.timedelta(days=3)
    register(actor, identifiers(1), now=long_ago)
    register(actor, identifiers(2))
    services.signal_registrations_expire()
    assert SignalAttempt.objects.count() == 1


def test_seed_demo_signals_makes_a_cross_domain_match_once():
    call_command("load_reference_data", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    match = SignalMatch.objects.get()
    assert match.cross_domain
    out = StringIO()
    call_command("seed_demo_signals", stdout=out)
    assert "already there" in out.getvalue()
    assert SignalMatch.objects.count() == 1 and SignalRegistration.objects.count() == 2


def test_an_import_renewal_stores_the_rows_variants_at_the_newest_key_version():
    town = professional(D.GEMEENTE)
    register(town, identifiers(7, bsn=False))  # by name and date of birth only
    with override_settings(SCHAKEL_SIGNAL_INDEX_KEYS=rotation_key(2)):
        report = services.signal_registrations_import(actor=town, rows=rows(7), today=TODAY)
        assert (report.created, report.renewed) == (0, 1)
        registration = SignalRegistration.objects.get()
        assert sorted(registration.pseudonyms.values_list("key_version", flat=True)) == [2, 2]
        # the BSN the row added now finds the registration
        police = professional(D.POLITIE)
        assert len(register(police, identifiers(7, names=False)).matches) == 1
