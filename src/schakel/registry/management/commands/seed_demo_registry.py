from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from schakel.registry.demo import seed_demo_registry


class Command(BaseCommand):
    help = (
        "Load the fictional demo meldingen (600, years 2017-2025) through the import; "
        "idempotent, refused in production."
    )

    def handle(self, *args, **options):
        try:
            report = seed_demo_registry()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Demo registry: {report.summary()}")
