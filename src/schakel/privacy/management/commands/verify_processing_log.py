from django.core.management.base import BaseCommand, CommandError

from schakel.privacy.services import processing_log_verify


class Command(BaseCommand):
    help = "Check the hash chain of the processing log. Exit 0 if intact, 1 naming the first break."

    def handle(self, *args, **options):
        report = processing_log_verify()
        if not report.ok:
            raise CommandError(
                f"Processing log is NOT intact: {report.problem} "
                f"(first broken entry: seq {report.seq}; {report.checked} entries checked before)."
            )
        self.stdout.write(f"Processing log intact: {report.checked} entries checked.")
