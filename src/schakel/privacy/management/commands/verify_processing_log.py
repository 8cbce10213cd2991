from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from schakel.privacy.services import processing_log_verify


class Command(BaseCommand):
    help = (
        "Check the keyed hash chain of the processing log and its signed checkpoints. Exit 0 if "
        "intact, 1 naming the first break."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoint-dir",
            help="read the checkpoints from this folder instead of SCHAKEL_LOG_CHECKPOINT_DIR "
            "(e.g. a read-only copy of the append-only store)",
        )

    def handle(self, *args, checkpoint_dir=None, **options):
        try:
            report = processing_log_verify(checkpoint_dir=checkpoint_dir)
        except ImproperlyConfigured as error:
            raise CommandError(f"Cannot verify the processing log: {error}") from error
        if not report.ok:
            where = f"first broken entry: seq {report.seq}; " if report.seq is not None else ""
            raise CommandError(
                f"Processing log is NOT intact: {report.problem} "
                f"({where}{report.checked} entries checked before)."
            )
        line = f"Processing log intact: {report.checked} entries checked"
        last = report.last_checkpoint
        if last is not None:
            line += (
                f"; {report.checkpoints} checkpoints checked, the latest ({last.number}, written "
                f"{last.written_at}) anchors entry {last.seq}"
            )
            if report.checked > last.seq:
                line += (
                    f". Entries {last.seq + 1} to {report.checked} came after it: until the next "
                    "checkpoint only the log key protects them"
                )
        self.stdout.write(line + ".")
        for warning in report.warnings:
            self.stderr.write(f"Warning: {warning}.")
