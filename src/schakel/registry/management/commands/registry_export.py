import sys

from django.core.management.base import BaseCommand, CommandError

from schakel.registry.csvio import csv_lines
from schakel.registry.selectors import melding_export_rows


class Command(BaseCommand):
    help = (
        "Export the meldingen as CSV in the registration contract's format (to standard output, "
        "or --output). Every exported melding is recorded in the processing log."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="year_from", type=int, help="first year (melddatum)")
        parser.add_argument("--to", dest="year_to", type=int, help="last year (melddatum)")
        parser.add_argument("--output", help="file to write; default standard output")

    def handle(self, *args, year_from=None, year_to=None, output=None, **options):
        if year_from and year_to and year_from > year_to:
            raise CommandError("--from ligt na --to", returncode=2)
        rows = melding_export_rows(actor=None, year_from=year_from, year_to=year_to)
        header = next(rows)
        lines = csv_lines(header, rows)
        if output:
            with open(output, "w", encoding="utf-8", newline="") as handle:
                handle.writelines(lines)
        else:
            sys.stdout.writelines(lines)
            sys.stdout.flush()
