"""Retention: per data category of the register (its `data_categories` section) a handler finds
what has expired and deletes or anonymises it. The processing log keeps the fact of each deletion
(activity of the data, operation "delete", by the system).

Other apps add their own categories to the register and register a handler here, in their
AppConfig.ready():

    from schakel.privacy.retention import register_retention_handler
    register_retention_handler("casus", find=..., apply=..., describe=...)

`find(cutoff, now)` returns the expired items (older than the cutoff), `apply(items, now)` deletes
or anonymises them and returns how many, `describe(item)` gives a line for --dry-run without
personal data (a record id and a date).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .register import processing_register


@dataclass(frozen=True)
class RetentionHandler:
    category: str
    find: Callable
    apply: Callable
    describe: Callable


@dataclass
class RetentionLine:
    key: str
    name: str
    action: str
    retention_days: int
    cutoff: datetime.datetime
    automated: bool
    count: int = 0
    items: list[str] = field(default_factory=list)


HANDLERS: dict[str, RetentionHandler] = {}


def register_retention_handler(category: str, *, find, apply, describe) -> None:
    HANDLERS[category] = RetentionHandler(category, find, apply, describe)


def retention_apply(*, now: datetime.datetime | None = None, dry_run: bool = False):
    """Apply every category's retention at `now`. With `dry_run`, only list what would go."""
    now = now or timezone.now()
    lines = []
    for category in processing_register().data_categories.values():
        cutoff = now - datetime.timedelta(days=category.retention_days)
        handler = HANDLERS.get(category.key)
        line = RetentionLine(
            key=category.key,
            name=category.text("name"),
            action=category.action,
            retention_days=category.retention_days,
            cutoff=cutoff,
            automated=handler is not None,
        )
        if handler is not None:
            items = list(handler.find(cutoff, now))
            line.items = [handler.describe(item) for item in items]
            if dry_run:
                line.count = len(items)
            elif items:
                with transaction.atomic():
                    line.count = handler.apply(items, now)
        lines.append(line)
    return lines


def delete_corrections_first(rows, field: str = "corrects") -> None:
    """Delete the corrections among `rows` (a queryset) newest first.

    History is never edited, so a correction points at what it corrects with PROTECT; a chain
    (a correction of a correction) can only go from its end. Afterwards the caller deletes the
    records the rows hang under."""
    while True:
        corrected = set(
            rows.filter(**{f"{field}__isnull": False}).values_list(f"{field}_id", flat=True)
        )
        if not corrected:
            return
        rows.filter(**{f"{field}__isnull": False}).exclude(pk__in=corrected).delete()


# -- the privacy app's own categories ------------------------------------------


def _log_delete(subject, activity: str) -> None:
    from .services import processing_record

    if subject:
        processing_record(actor=None, subject=subject, activity=activity, operation="delete")


def consent_ended_at(consent) -> datetime.datetime | None:
    """When a consent stopped counting: its last final event, or the end of its last day."""
    from .models import Consent

    events = list(consent.events.all())
    last = events[-1] if events else None
    if last is not None and last.status in (
        Consent.Status.WITHDRAWN,
        Consent.Status.REFUSED,
        Consent.Status.RENEWED,
    ):
        return last.at
    end_of_validity = timezone.make_aware(
        datetime.datetime.combine(consent.valid_until + datetime.timedelta(days=1), datetime.time())
    )
    if last is None or last.status in (Consent.Status.GIVEN, Consent.Status.EXPIRED):
        return end_of_validity
    if last.status == Consent.Status.REQUESTED:  # never answered: ends with its period too
        return end_of_validity
    return None


def _find_consents(cutoff, now):
    from .models import Consent

    candidates = (
        Consent.objects.filter(
            Q(valid_until__lt=timezone.localtime(cutoff).date())
            | Q(events__status__in=["withdrawn", "refused", "renewed"], events__at__lt=cutoff)
        )
        .distinct()
        .select_related("person")
        .prefetch_related("events")
        .order_by("pk")
    )
    return [c for c in candidates if (ended := consent_ended_at(c)) is not None and ended < cutoff]


def _apply_consents(items, now) -> int:
    from .models import Consent

    for consent in items:
        _log_delete(consent.person, "consent")
    deleted, _rows = Consent.objects.filter(pk__in=[c.pk for c in items]).delete()
    return len(items)


def _find_decisions(cutoff, now):
    from .models import SharingDecision

    return list(
        SharingDecision.objects.filter(decided_at__lt=cutoff)
        .select_related("person")
        .order_by("pk")
    )


def _apply_decisions(items, now) -> int:
    from .models import SharingDecision

    for decision in items:
        _log_delete(decision.person, "sharing_decision")
    SharingDecision.objects.filter(pk__in=[d.pk for d in items]).delete()
    return len(items)


def _find_bases(cutoff, now):
    from .models import SharingBasis

    return list(
        SharingBasis.objects.filter(created_at__lt=cutoff, anonymised_at__isnull=True).order_by(
            "pk"
        )
    )


def _apply_bases(items, now) -> int:
    from .models import SharingBasis

    for basis in items:
        _log_delete(basis.subject_pseudonym, "sharing_decision")
    return SharingBasis.objects.filter(pk__in=[b.pk for b in items]).update(
        person=None, subject_pseudonym="", override_reason="", anonymised_at=now
    )


def _find_requests(cutoff, now):
    from .models import SubjectRequest

    requests = (
        SubjectRequest.objects.filter(events__status__in=["done", "refused"], events__at__lt=cutoff)
        .distinct()
        .prefetch_related("events")
        .order_by("pk")
    )
    return [
        r
        for r in requests
        if (last := list(r.events.all())[-1]).status in ("done", "refused") and last.at < cutoff
    ]


def _apply_requests(items, now) -> int:
    from .models import SubjectRequest

    for request in items:
        _log_delete(request.subject_pseudonym, "subject_rights")
    SubjectRequest.objects.filter(pk__in=[r.pk for r in items]).delete()
    return len(items)


def _describe(prefix: str, stamp: str):
    def describe(item) -> str:
        value = getattr(item, stamp)
        if isinstance(value, datetime.datetime):
            value = timezone.localtime(value).date()
        return f"{prefix} {str(item.public_id)[:8]} ({stamp} {value.isoformat()})"

    return describe


register_retention_handler(
    "toestemming",
    find=_find_consents,
    apply=_apply_consents,
    describe=_describe("toestemming", "valid_until"),
)
register_retention_handler(
    "deelbesluit",
    find=_find_decisions,
    apply=_apply_decisions,
    describe=_describe("besluit", "decided_at"),
)
register_retention_handler(
    "verstrekking",
    find=_find_bases,
    apply=_apply_bases,
    describe=_describe("verstrekking", "created_at"),
)
register_retention_handler(
    "verzoek-betrokkene",
    find=_find_requests,
    apply=_apply_requests,
    describe=_describe("verzoek", "received_on"),
)
