import sys

from django.core.management.base import BaseCommand, CommandError

from schakel.monitor import exports, tables
from schakel.monitor.selectors import monitor_table_for


class Command(BaseCommand):
    help = (
        "Export a monitor table as CSV (default, to standard output) or XLSX. Exit code 2 for "
        "an unknown table, bad years or an unknown disclosure setting. Tables: "
        + ", ".join(tables.TABLES)
    )

    def add_arguments(self, parser):
        parser.add_argument("--table", required=True, help="table id")
        parser.add_argument("--from", dest="year_from", required=True, help="first year")
        parser.add_argument("--to", dest="year_to", required=True, help="last year")
        parser.add_argument(
            "--disclosure",
            default=tables.DEFAULT_DISCLOSURE,
            help="none, suppress10_round5 (default) or round5",
        )
        parser.add_argument("--format", dest="fmt", default="csv", help="csv (default) or xlsx")
        parser.add_argument("--output", help="file to write; default standard output")

    def handle(self, *args, table, year_from, year_to, disclosure, fmt, output=None, **options):
        if fmt not in ("csv", "xlsx"):
            raise CommandError("--format: kies csv of xlsx", returncode=2)
        try:
            rows = monitor_table_for(
                actor=None,
                table_id=table,
                year_from=year_from,
                year_to=year_to,
                disclosure=disclosure,
            )
        except tables.MonitorParamError as error:
            raise CommandError(
                "\n".join(f"--{name}: {message}" for name, message in error.errors.items()),
                returncode=2,
            ) from error
        if fmt == "xlsx":
            data = exports.xlsx_bytes(
                table, rows, year_from=int(year_from), year_to=int(year_to), disclosure=disclosure
            )
            if output:
                with open(output, "wb") as handle:
                    handle.write(data)
            else:
                sys.stdout.buffer.write(data)
                sys.stdout.flush()
            return
        text = exports.csv_text(table, rows)
        if output:
            with open(output, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
        else:
            sys.stdout.write(text)
            sys.stdout.flush()
