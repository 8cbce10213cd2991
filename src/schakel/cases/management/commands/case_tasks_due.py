import datetime

from django.core.management.base import BaseCommand, CommandError

from schakel.cases.services import case_tasks_due_create


class Command(BaseCommand):
    help = (
        "Make the tasks that are due today: the 18th-birthday transition tasks (at 17 years and "
        "6 months and at 17 years and 11 months). Idempotent; changes no case. The worker runs "
        "this every morning."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Pretend it is this day (YYYY-MM-DD).")

    def handle(self, *args, **options):
        today = None
        if options["today"]:
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError as error:
                raise CommandError("--today must be YYYY-MM-DD") from error
        made = case_tasks_due_create(today=today)
        self.stdout.write(f"Case tasks made: {made}.")
