from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from schakel.signal_index.services import ROTATE_BATCH, signal_keys_rotate


class Command(BaseCommand):
    help = (
        "Lift every pseudonym in the signal index to the newest key version (add the key to "
        "SCHAKEL_SIGNAL_INDEX_KEYS or the key file on every app server first). Idempotent and "
        "resumable; each batch is its own transaction. Matching keeps working meanwhile."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=ROTATE_BATCH)
        parser.add_argument("--dry-run", action="store_true", help="Only count what would move.")

    def handle(self, *args, batch_size, dry_run, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        try:
            report = signal_keys_rotate(batch_size=batch_size, dry_run=dry_run)
        except ImproperlyConfigured as error:
            raise CommandError(f"signal index key ring: {error}") from error
        if dry_run:
            self.stdout.write(
                f"Newest key version {report.newest}: {report.to_lift} pseudonyms would be lifted."
            )
            return
        self.stdout.write(
            f"Newest key version {report.newest}: {report.lifted} pseudonyms lifted in "
            f"{report.batches} batches."
        )
