"""Ending registrations whose end date has come, and the retention of the archive."""

import datetime

from django.db import transaction
from django.utils import timezone

from ..models import EndReason, SignalAttempt, SignalRegistration
from ._common import IMPORT_BATCH, _log, _today


def signal_registrations_expire(*, today=None, now=None) -> int:
    """End every registration whose end date has come (term or 23rd birthday). Matching already
    ignores them (it filters on ends_on); this marks them for the archive and logs it."""
    today = _today(today)
    now = now or timezone.now()
    due = list(
        SignalRegistration.objects.filter(ended_at__isnull=True, ends_on__lte=today)
        .select_related("person")
        .order_by("pk")
    )
    for start in range(0, len(due), IMPORT_BATCH):
        batch = due[start : start + IMPORT_BATCH]
        with transaction.atomic():
            for reason in (EndReason.EXPIRED, EndReason.AGE_LIMIT):
                SignalRegistration.objects.filter(
                    pk__in=[r.pk for r in batch if r.ends_because == reason], ended_at__isnull=True
                ).update(ended_at=now, end_reason=reason)
            _log(None, batch, "update")
    SignalAttempt.objects.filter(at__lt=now - datetime.timedelta(days=2)).delete()
    return len(due)


def retention_find(cutoff, now):
    return list(
        SignalRegistration.objects.filter(ended_at__lt=cutoff)
        .select_related("person")
        .order_by("pk")
    )


def retention_apply(items, now) -> int:
    for start in range(0, len(items), IMPORT_BATCH):
        batch = items[start : start + IMPORT_BATCH]
        _log(None, batch, "delete")
        SignalRegistration.objects.filter(pk__in=[r.pk for r in batch]).delete()
    return len(items)


def retention_describe(item) -> str:
    ended = timezone.localtime(item.ended_at).date().isoformat()
    return f"signaleringsindex {str(item.public_id)[:8]} (ended_at {ended})"
