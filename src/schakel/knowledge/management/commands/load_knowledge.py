from django.core.management.base import BaseCommand, CommandError

from schakel.knowledge.data import DataFileError
from schakel.knowledge.services import knowledge_load


class Command(BaseCommand):
    help = (
        "Load the knowledge items, themes, bottlenecks and recommendations from the data files "
        "of the knowledge app (idempotent; edits made in Schakel are kept)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reindex",
            action="store_true",
            help="Also rebuild the search index and its vocabulary for every item.",
        )

    def handle(self, *args, **options):
        try:
            result = knowledge_load(reindex=options["reindex"])
        except DataFileError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Knowledge items: {result.items_created} created, {result.items_updated} updated, "
            f"{result.items_unchanged} unchanged, {len(result.items_kept_local)} kept as edited "
            f"in Schakel. Recommendations: {result.themes} themes, {result.points_created} "
            f"created, {result.points_updated} updated, {result.points_unchanged} unchanged."
        )
        if result.items_kept_local:
            self.stdout.write(
                "The data file changed for these items, but a functional admin edited them in "
                "Schakel, so their edits were kept: " + ", ".join(result.items_kept_local)
            )
