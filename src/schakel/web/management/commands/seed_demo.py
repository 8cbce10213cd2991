from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from schakel.web.demo import seed_demo

# Each capability's own demo data, after the organisations, users and persons exist.
CAPABILITY_DEMOS = [
    "seed_privacy_demo",
    "seed_demo_cases",
    "seed_demo_registry",
    "seed_demo_signals",
]


class Command(BaseCommand):
    help = (
        "Create demo organisations, users, fictional persons and each capability's demo data "
        "(idempotent; not in production)."
    )

    def handle(self, *args, **options):
        try:
            result = seed_demo()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Demo data: {result.organisations} organisations, {result.users} users, "
            f"{result.persons_created} new persons."
        )
        for command in CAPABILITY_DEMOS:
            call_command(command, stdout=self.stdout, stderr=self.stderr)
