from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from schakel.signal_index.demo import seed_demo_signals


class Command(BaseCommand):
    help = "Demo registrations with a cross-domain match (after seed_demo_cases). Idempotent."

    def handle(self, *args, **options):
        try:
            self.stdout.write(seed_demo_signals())
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
