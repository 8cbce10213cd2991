from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from schakel.screening.guidance import guidance_problems
from schakel.screening.instruments import check_files
from schakel.screening.services import instruments_publish


class Command(BaseCommand):
    help = (
        "Publish instrument versions from YAML files (idempotent, all or nothing). Without "
        "arguments: the instruments shipped with Schakel. Owners of licensed instruments pass "
        "their own files or folders."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", type=Path, help="files or folders (YAML)")

    def handle(self, *args, **options):
        paths = options["paths"] or None
        instruments, problems = check_files(paths)
        if paths is None:
            problems = guidance_problems() + problems
        if problems:
            for problem in problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(problems)} problem(s); nothing was loaded")
        try:
            results = instruments_publish(instruments=instruments)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        new = 0
        verbose = options["verbosity"] > 0
        for row, created in results:
            new += created
            state = "published" if created else "unchanged"
            if verbose:
                self.stdout.write(f"{state:<10} {row.key} v{row.version}")
        if verbose:
            self.stdout.write(f"Instruments: {new} new version(s), {len(results) - new} unchanged.")
