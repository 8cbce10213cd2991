"""Anonymous usage counts.

The counts hold no user, session, organisation or address: only item, day, kind of visitor (the
domain of the organisation acted for, or "public") and event.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from schakel.accounts.models import Membership

from ..models import (
    KnowledgeItem,
    UsageCount,
    VisitorAudience,
)


def visitor_audience(actor: Membership | None) -> str:
    """The coarse kind of visitor a count is kept under: never more than an org's domain."""
    if actor is None:
        return VisitorAudience.PUBLIC
    domain = actor.organisation.domain
    return domain if domain in VisitorAudience.values else VisitorAudience.OVERIG


def usage_record(
    *, actor: Membership | None, item: KnowledgeItem, event: str, day: datetime.date | None = None
) -> None:
    """Add one to the count of `event` for the item today, under the visitor's audience.

    Stores nothing about the visitor but that audience. Safe under concurrent requests: the
    row is incremented in the database, and a race to create it retries the increment.
    """
    if event not in UsageCount.Event.values:
        raise ValueError(f"unknown usage event '{event}'")
    key = {
        "item_id": item.pk,
        "day": day or timezone.localdate(),
        "audience": visitor_audience(actor),
        "event": event,
    }
    with transaction.atomic():
        if UsageCount.objects.filter(**key).update(count=F("count") + 1):
            return
        try:
            with transaction.atomic():
                UsageCount.objects.create(**key, count=1)
        except IntegrityError:
            UsageCount.objects.filter(**key).update(count=F("count") + 1)
