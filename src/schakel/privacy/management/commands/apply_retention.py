from django.core.management.base import BaseCommand
from django.utils import timezone

from schakel.privacy.retention import retention_apply


class Command(BaseCommand):
    help = (
        "Delete or anonymise what has passed its retention period (per data category of the "
        "register). The processing log keeps the fact of each deletion. --dry-run only lists."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="list what would go; change nothing"
        )

    def handle(self, *args, dry_run=False, **options):
        lines = retention_apply(dry_run=dry_run)
        verb = "would be" if dry_run else "were"
        for line in lines:
            cutoff = timezone.localtime(line.cutoff).date().isoformat()
            if not line.automated:
                self.stdout.write(f"{line.key}: not automated (no handler); nothing done")
                continue
            action = "deleted" if line.action == "delete" else "anonymised"
            self.stdout.write(
                f"{line.key}: {line.count} {verb} {action} "
                f"(kept {line.retention_days} days; older than {cutoff})"
            )
            if dry_run:
                for item in line.items:
                    self.stdout.write(f"  - {item}")
        total = sum(line.count for line in lines)
        self.stdout.write(f"{'Dry run: ' if dry_run else ''}{total} record(s) {verb} handled.")
