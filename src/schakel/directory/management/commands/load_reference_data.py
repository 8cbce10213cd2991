from django.core.management.base import BaseCommand, CommandError

from schakel.directory.services import ReferenceDataError, reference_data_load


class Command(BaseCommand):
    help = "Load municipalities and safety regions from the project's data files (idempotent)."

    def handle(self, *args, **options):
        try:
            result = reference_data_load()
        except ReferenceDataError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Reference data: {result.regions} safety regions, "
            f"{result.municipalities} municipalities, {result.deactivated} deactivated."
        )
