"""Reads of the monitor. Aggregates only: no record of a person ever leaves here, so there is no
per-person processing entry; the tables need `monitor.view` (analysts and the registration
office). Anyone else gets 404."""

import datetime

from django.http import Http404
from django.utils import timezone

from schakel.accounts.models import Membership
from schakel.accounts.permissions import can
from schakel.registry.selectors import registry_years

from . import tables

DEFAULT_YEARS = 5


def _ensure_can_view(actor: Membership | None) -> None:
    if actor is not None and not can(actor, "monitor.view"):
        raise Http404


def monitor_tables_for(*, actor: Membership | None) -> list[tables.TableDef]:
    _ensure_can_view(actor)
    return list(tables.TABLES.values())


def default_period(today: datetime.date | None = None) -> tuple[int, int]:
    """The last five years that have meldingen (or the last five years, when there are none)."""
    today = today or timezone.localdate()
    span = registry_years()
    last = min(span[1], today.year) if span else today.year
    first = max(span[0] if span else last, last - DEFAULT_YEARS + 1, tables.EARLIEST_YEAR)
    return first, last


def monitor_table_for(
    *,
    actor: Membership | None,
    table_id: str,
    year_from,
    year_to,
    disclosure: str = tables.DEFAULT_DISCLOSURE,
    today: datetime.date | None = None,
) -> list[dict]:
    """The published rows of a table. Bad parameters raise `tables.MonitorParamError`.

    `actor` None is the system (the export command).
    """
    _ensure_can_view(actor)
    return tables.table_rows(
        table_id, year_from, year_to, disclosure, today=today or timezone.localdate()
    )


def monitor_raw_for(
    *, actor: Membership | None, table_id: str, year_from: int, year_to: int, today=None
) -> list[dict]:
    """The rows before disclosure control, for charts that sum categories before rounding."""
    _ensure_can_view(actor)
    y0, y1 = tables.check_params(table_id, year_from, year_to, "none", today=today)
    return tables.raw_rows(table_id, y0, y1, today=today or timezone.localdate())
