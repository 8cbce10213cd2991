import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from schakel.registry.synthetic import generate_csv_lines


class Command(BaseCommand):
    help = (
        "Write fictional meldingen as CSV in the registration contract's format: several "
        "meldingen per person, people who return in later years, plausible distributions. The "
        "same --seed gives the same file."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, required=True, help="number of meldingen")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--first-year", type=int, help="default: nine years before --last-year")
        parser.add_argument("--last-year", type=int, help="default: last year")
        parser.add_argument("--output", help="file to write; default standard output")

    def handle(self, *args, rows, seed, first_year=None, last_year=None, output=None, **options):
        today = timezone.localdate()
        last_year = last_year or today.year - 1
        first_year = first_year or last_year - 8
        if rows < 0:
            raise CommandError("--rows moet 0 of meer zijn", returncode=2)
        if first_year > last_year or last_year > today.year:
            raise CommandError("kies --first-year <= --last-year <= dit jaar", returncode=2)
        lines = generate_csv_lines(
            rows=rows, seed=seed, first_year=first_year, last_year=last_year, today=today
        )
        if output:
            with open(output, "w", encoding="utf-8", newline="") as handle:
                handle.writelines(lines)
            self.stderr.write(f"{rows} meldingen geschreven naar {output}")
        else:
            sys.stdout.writelines(lines)
            sys.stdout.flush()
