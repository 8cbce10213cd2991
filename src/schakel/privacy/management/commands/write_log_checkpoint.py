from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from schakel.privacy.checkpoints import CheckpointError, public_keys_text
from schakel.privacy.services import LogNotIntact, log_checkpoint_write


class Command(BaseCommand):
    help = (
        "Write a signed checkpoint of the processing log to SCHAKEL_LOG_CHECKPOINT_DIR when the "
        "log moved since the latest one (the worker does this every 5 minutes). Exit 0 when "
        "written or nothing new, 1 when the log is not intact or no checkpoint could be written."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--public-keys",
            action="store_true",
            help="only print the public keys of SCHAKEL_LOG_CHECKPOINT_KEYS (id:base64), which "
            "check the checkpoint files elsewhere",
        )

    def handle(self, *args, public_keys=False, **options):
        try:
            if public_keys:
                for line in public_keys_text():
                    self.stdout.write(line)
                return
            result = log_checkpoint_write()
        except LogNotIntact as error:
            where = f" (first broken entry: seq {error.seq})" if error.seq is not None else ""
            raise CommandError(
                f"No checkpoint written: the processing log is NOT intact: {error.problem}{where}."
            ) from error
        except (CheckpointError, ImproperlyConfigured) as error:
            raise CommandError(f"No checkpoint written: {error}") from error
        if result.written is not None:
            written = result.written
            self.stdout.write(
                f"Checkpoint {written.number} written: entry {written.seq} "
                f"(hash {written.head_hash[:16]}…) in {written.path}."
            )
        elif result.latest is not None:
            self.stdout.write(
                f"No new checkpoint: the log has not moved since checkpoint "
                f"{result.latest.number} (entry {result.latest.seq})."
            )
        else:
            self.stdout.write("No checkpoint: the processing log is empty.")
