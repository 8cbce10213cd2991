from pathlib import Path

from django.core.management.base import BaseCommand

from schakel.directory import records
from schakel.directory.selectors import directory_export


class Command(BaseCommand):
    help = "Export every provider and offer (also inactive ones) as YAML or CSV."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["yaml", "csv"], default="yaml")
        parser.add_argument("--output", "-o", help="write to this file (default: standard output)")

    def handle(self, *args, format="yaml", output=None, **options):
        providers, offers = directory_export()
        if format == "csv":
            text = records.write_csv(providers, offers)
        else:
            text = records.write_yaml(providers, offers)
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(f"{len(providers)} providers and {len(offers)} offers → {output}")
        else:
            self.stdout.write(text, ending="")
