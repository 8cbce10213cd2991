import shutil
import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from schakel.registry.services import MAX_REPORTED_ERRORS, ImportRejected, registrations_import

PHASES = {"check": "controleren", "import": "importeren"}


class Progress:
    """Progress on standard error: a line that rewrites itself on a terminal, every 10% else."""

    def __init__(self, stream, *, enabled: bool = True):
        self.stream = stream
        self.enabled = enabled
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.last = None

    def __call__(self, phase: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        label = PHASES.get(phase, phase)
        if total:
            percent = min(100, int(done * 100 / total))
            step = percent if self.tty else percent // 10 * 10
            text = f"{label}: {percent}%"
        else:
            step = done if self.tty else done // 100_000
            text = f"{label}: {done} regels"
        if (phase, step) == self.last:
            return
        self.last = (phase, step)
        if self.tty:
            self.stream.write(f"\r{text}   ")
            if total and percent == 100:
                self.stream.write("\n")
        else:
            self.stream.write(text + "\n")
        self.stream.flush()


class Command(BaseCommand):
    help = (
        "Import meldingen from a CSV file in the registration contract's format "
        "(docs/registry.md). All or nothing: any error imports nothing and is reported by "
        "line, column and rule. Rows that are already stored exactly so are skipped. "
        "Exit code 0 on success, 1 when the file is rejected."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV file; '-' reads standard input")
        parser.add_argument("--quiet", action="store_true", help="no progress indicator")

    def handle(self, *args, file, quiet=False, **options):
        spooled = None
        if file == "-":
            # Standard input can be read only once; the import reads the file twice.
            spooled = tempfile.NamedTemporaryFile(prefix="registry-", suffix=".csv")  # noqa: SIM115
            shutil.copyfileobj(sys.stdin.buffer, spooled)
            spooled.flush()
            path, name = Path(spooled.name), "stdin"
        else:
            path, name = Path(file), Path(file).name
            if not path.is_file():
                raise CommandError(f"{file}: bestand niet gevonden")
        progress = Progress(self.stderr._out, enabled=not quiet)
        try:
            report = registrations_import(
                actor=None,
                opener=lambda: path.open("rb"),
                file_name=name,
                size=path.stat().st_size,
                progress=progress,
            )
        except ImportRejected as rejected:
            report = rejected.report
            lines = [f"{name}: {error}" for error in report.errors]
            if report.error_count > len(report.errors):
                lines.append(
                    f"… en nog {report.error_count - len(report.errors)} fout(en); de eerste "
                    f"{MAX_REPORTED_ERRORS} staan hierboven."
                )
            counts = ", ".join(f"{rule}: {n}" for rule, n in sorted(report.rule_counts.items()))
            lines.append(f"Fouten per regel: {counts}")
            raise CommandError(report.summary() + "\n" + "\n".join(lines)) from rejected
        finally:
            if spooled is not None:
                spooled.close()
        self.stdout.write(report.summary())
