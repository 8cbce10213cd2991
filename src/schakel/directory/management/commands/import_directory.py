from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from schakel.directory import records
from schakel.directory.services import directory_import


class Command(BaseCommand):
    help = (
        "Import providers and offers from a YAML or CSV file (the format of export_directory). "
        "All or nothing: any error changes nothing and is reported with its line number."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the file; '-' reads standard input")
        parser.add_argument(
            "--format",
            choices=["yaml", "csv"],
            help="default: from the file name (.yaml/.yml or .csv)",
        )
        parser.add_argument(
            "--deactivate-missing",
            action="store_true",
            help="turn off every entry that is not in the file (a full import of the directory)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check and count, but change nothing"
        )

    def handle(self, *args, path, format=None, deactivate_missing=False, dry_run=False, **options):
        if path == "-":
            import sys

            text, name = sys.stdin.read(), "stdin"
        else:
            file = Path(path)
            if not file.is_file():
                raise CommandError(f"{path}: no such file")
            text, name = file.read_text(encoding="utf-8"), file.name
        fmt = format or ("csv" if name.lower().endswith(".csv") else "yaml")
        try:
            parsed = records.read_csv(text) if fmt == "csv" else records.read_yaml(text)
            result = directory_import(
                actor=None,
                records=parsed,
                source=f"import {name}",
                deactivate_missing=deactivate_missing,
                dry_run=dry_run,
            )
        except records.ImportFailed as failed:
            lines = "\n".join(f"{name} {error}" for error in failed.errors)
            raise CommandError(
                f"{len(failed.errors)} error(s); nothing was imported.\n{lines}"
            ) from failed
        prefix = "Dry run, nothing changed: " if dry_run else "Imported: "
        self.stdout.write(prefix + str(result) + ".")
