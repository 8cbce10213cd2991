from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from schakel.screening.guidance import guidance_problems
from schakel.screening.instruments import check_files


class Command(BaseCommand):
    help = (
        "Check instrument files against the schema and the rules; print every problem as "
        "'file: path: [rule] message'. Without arguments: the shipped instruments and guidance."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", type=Path, help="files or folders (YAML)")

    def handle(self, *args, **options):
        paths = options["paths"] or None
        instruments, problems = check_files(paths)
        if paths is None:
            problems = guidance_problems() + problems
        for instrument, name in instruments:
            self.stdout.write(f"ok  {name}: {instrument.id} v{instrument.version}")
        if problems:
            for problem in problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(problems)} problem(s) in the instrument files")
        self.stdout.write(f"{len(instruments)} instrument file(s) are valid.")
