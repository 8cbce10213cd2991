from django.core.management.base import BaseCommand, CommandError

from schakel.directory.records import ImportFailed
from schakel.directory.services import SEED_FILE, directory_seed_load


class Command(BaseCommand):
    help = (
        "Load the wegwijzer's own data file (directory/data/wegwijzer.yaml). Idempotent: creates "
        "what is missing and updates entries nobody edited in Schakel. Run load_reference_data "
        "first."
    )

    def handle(self, *args, **options):
        try:
            result = directory_seed_load()
        except ImportFailed as failed:
            raise CommandError(f"{SEED_FILE.name}: nothing loaded.\n{failed}") from failed
        self.stdout.write(f"Wegwijzer: {result}.")
