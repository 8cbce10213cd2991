"""Key rotation: lifting every stored pseudonym to the newest key version."""

from dataclasses import dataclass

from django.db import transaction

from .. import keys
from ..models import SignalPseudonym

ROTATE_BATCH = 5000


@dataclass
class RotationReport:
    newest: int
    to_lift: int
    lifted: int
    batches: int


def signal_keys_rotate(
    *, batch_size: int = ROTATE_BATCH, dry_run: bool = False, max_batches: int | None = None
) -> RotationReport:
    """Lift every stored pseudonym to the newest key version, batch by batch (each batch its own
    transaction, so an interrupted run resumes where it stopped; a finished run does nothing).
    Matching keeps working meanwhile: it looks for every version."""
    keys.check_key_ring()
    newest = keys.current_version()
    behind = SignalPseudonym.objects.filter(key_version__lt=newest)
    to_lift = behind.count()
    if dry_run:
        return RotationReport(newest, to_lift, 0, 0)
    lifted = batches = 0
    while max_batches is None or batches < max_batches:
        with transaction.atomic():
            rows = list(
                SignalPseudonym.objects.select_for_update()
                .filter(key_version__lt=newest)
                .order_by("pk")[:batch_size]
            )
            if not rows:
                break
            for row in rows:
                row.value = keys.lift(row.value, from_version=row.key_version, to_version=newest)
                row.key_version = newest
            SignalPseudonym.objects.bulk_update(rows, ["value", "key_version"])
        lifted += len(rows)
        batches += 1
    return RotationReport(newest, to_lift, lifted, batches)
