"""The recommendations tracker: status updates and the derived current status."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.accounts.models import Membership
from schakel.accounts.permissions import ensure_can

from .. import data
from ..models import (
    FINAL_STATUSES,
    Recommendation,
    Status,
    StatusUpdate,
)
from ._common import MAX_LINKS, URL_PATTERN, _as_date, _text, _too_long


def _clean_urls(value, errors: dict, name: str) -> list[str]:
    urls = []
    for raw in value or []:
        url = _text(raw)
        if not url:
            continue
        if not URL_PATTERN.match(url) or len(url) > 500:
            errors[name] = _(
                "'%(url)s' is geen geldig webadres. Begin met https:// of http://."
            ) % {"url": url[:80]}
            return []
        urls.append(url)
    if len(urls) > MAX_LINKS:
        errors[name] = _("Gebruik hoogstens %(limit)d links.") % {"limit": MAX_LINKS}
    return urls


def effective_history(recommendation: Recommendation) -> list[StatusUpdate]:
    """The status updates that count, oldest first: every update minus the corrected ones."""
    updates = list(recommendation.status_updates.order_by("reported_on", "pk"))
    corrected = {u.corrects_id for u in updates if u.corrects_id}
    return [u for u in updates if u.pk not in corrected]


def _refresh_current(recommendation: Recommendation, start: datetime.date | None = None) -> None:
    """Derive status, since when, and the last report date from the effective history."""
    start = start or data.tracking_since()
    history = effective_history(recommendation)
    if not history:
        status, since, last = Status.NOT_STARTED, start, None
    else:
        status, last = history[-1].status, history[-1].reported_on
        since = history[-1].reported_on
        for update in reversed(history):
            if update.status != status:
                break
            since = update.reported_on
        else:
            if status == Status.NOT_STARTED:
                since = start
    Recommendation.objects.filter(pk=recommendation.pk).update(
        status=status, status_since=since, last_report_on=last
    )
    recommendation.status, recommendation.status_since = status, since
    recommendation.last_report_on = last


def status_update_record(
    *,
    actor: Membership,
    recommendation: Recommendation,
    status: str,
    reported_on,
    reported_by: str,
    evidence: str = "",
    evidence_links=(),
    corrects: StatusUpdate | None = None,
) -> StatusUpdate:
    """Append a status report to a recommendation's history (or a correction of the last one).

    Rules: only recommendations (not bottlenecks) have a status; the date lies between the start
    of tracking and today and not before the previous report; "implemented" and "dropped" need
    evidence, and so does reopening one of them; repeating the current status is a progress
    report and needs evidence too; only the latest report can be corrected. History is never
    edited: a correction is a new entry that points at the one it replaces.
    """
    ensure_can(actor, "recommendations.manage")
    errors: dict = {}
    if recommendation.kind != Recommendation.PointKind.RECOMMENDATION:
        raise ValidationError(
            {"recommendation": _("Alleen een aanbeveling heeft een status, een knelpunt niet.")}
        )
    if status not in Status.values:
        errors["status"] = _("Kies een status.")
    day = _as_date(reported_on, errors, "reported_on")
    reporter = _text(reported_by)
    if not reporter:
        errors["reported_by"] = _("Vul in wie dit meldt, bijvoorbeeld 'Ministerie van VWS'.")
    elif len(reporter) > 200:
        errors["reported_by"] = _too_long(200)
    evidence = _text(evidence)
    if len(evidence) > 5000:
        errors["evidence"] = _too_long(5000)
    links = _clean_urls(evidence_links, errors, "evidence_links")
    with transaction.atomic():
        current = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        history = effective_history(current)
        previous = history
        if corrects is not None:
            if corrects.recommendation_id != current.pk:
                errors["corrects"] = _("Een verbetering moet over dezelfde aanbeveling gaan.")
            elif not history or history[-1].pk != corrects.pk:
                errors["corrects"] = _("Alleen de laatste melding kan worden verbeterd.")
            else:
                previous = history[:-1]
        last = previous[-1] if previous else None
        current_status = last.status if last else Status.NOT_STARTED
        if day is not None and "reported_on" not in errors:
            start = data.tracking_since()
            if day > timezone.localdate():
                errors["reported_on"] = _("De datum ligt in de toekomst.")
            elif day < start:
                errors["reported_on"] = _(
                    "De datum ligt voor het begin van de monitor (%(d)s)."
                ) % {"d": start.strftime("%d-%m-%Y")}
            elif last is not None and day < last.reported_on:
                errors["reported_on"] = _(
                    "De datum ligt voor de vorige melding (%(d)s). Meldingen volgen elkaar op."
                ) % {"d": last.reported_on.strftime("%d-%m-%Y")}
        if "status" not in errors and "evidence" not in errors:
            if status in FINAL_STATUSES and not evidence:
                errors["evidence"] = _(
                    "Beschrijf waaruit blijkt dat de aanbeveling is uitgevoerd, "
                    "of waarom ze is vervallen."
                )
            elif current_status in FINAL_STATUSES and status != current_status and not evidence:
                errors["evidence"] = _("Leg uit waarom de aanbeveling weer openstaat.")
            elif status == current_status and not evidence and corrects is None:
                errors["evidence"] = _(
                    "De status blijft gelijk. Beschrijf dan wat er is gebeurd, of kies een "
                    "andere status."
                )
        if errors:
            raise ValidationError(errors)
        update = StatusUpdate.objects.create(
            recommendation=current,
            status=status,
            reported_on=day,
            reported_by=reporter,
            evidence=evidence,
            evidence_links=links,
            corrects=corrects,
            recorded_by=actor,
        )
        _refresh_current(current)
    recommendation.refresh_from_db()
    return update
