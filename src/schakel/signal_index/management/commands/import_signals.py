import csv

from django.core.management.base import BaseCommand, CommandError

from schakel.accounts.models import Organisation
from schakel.signal_index.services import (
    IMPORT_COLUMNS,
    ImportRejected,
    signal_registrations_import,
)


class Command(BaseCommand):
    help = (
        "Import registrations of one organisation into the signal index from a CSV file with the "
        "columns " + ", ".join(IMPORT_COLUMNS) + " (UTF-8, comma-separated, header line). "
        "All or nothing: errors are listed with their line numbers and nothing is stored."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--organisation", required=True, help="The organisation's name or database id."
        )

    def handle(self, *args, file, organisation, **options):
        org = Organisation.objects.filter(name=organisation).first()
        if org is None and organisation.isdigit():
            org = Organisation.objects.filter(pk=int(organisation)).first()
        if org is None:
            raise CommandError(f"no organisation '{organisation}'")
        try:
            with open(file, encoding="utf-8-sig", newline="") as handle:
                reader = csv.DictReader(handle)
                missing = [c for c in IMPORT_COLUMNS if c not in (reader.fieldnames or [])]
                if missing:
                    raise CommandError("line 1: missing columns: " + ", ".join(missing))
                report = signal_registrations_import(actor=None, rows=reader, organisation=org)
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error.strerror}") from error
        except ImportRejected as rejected:
            for line, name, message in rejected.errors[:200]:
                self.stderr.write(f"line {line}: {name}: {message}")
            raise CommandError(f"{len(rejected.errors)} errors; nothing was imported") from None
        self.stdout.write(
            f"{report.rows} rows: {report.created} new, {report.renewed} renewed, "
            f"{report.matches} new matches."
        )
