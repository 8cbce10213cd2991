from django.core.management import call_command
from django.core.management.base import BaseCommand

# In this order: the wegwijzer's offers refer to municipalities and safety regions.
STEPS = (
    ("load_reference_data", "municipalities and safety regions"),
    ("load_directory", "the wegwijzer: organisations, programmes, care coordinators"),
    ("load_instruments", "the screening instruments"),
    ("load_knowledge", "the knowledge base and the recommendations"),
)


class Command(BaseCommand):
    help = (
        "Load everything Schakel ships as data: "
        + "; ".join(what for _name, what in STEPS)
        + ". Idempotent and safe in production (edits made in Schakel are kept); run it on "
        "every release after migrate. Stops at the first step that fails."
    )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        for name, _what in STEPS:
            call_command(name, verbosity=verbosity, stdout=self.stdout, stderr=self.stderr)
