from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from schakel.cases.demo import seed_demo_cases


class Command(BaseCommand):
    help = "Demo cases (after seed_demo). Idempotent; refused under production settings."

    def handle(self, *args, **options):
        try:
            self.stdout.write(seed_demo_cases())
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
