"""Monitor pages for analysts: the tables as charts with the data table beside each, a period
filter, year-on-year change, and downloads in CSV and XLSX. Aggregates only."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from schakel.accounts.permissions import can

from . import charts, exports, selectors, tables
from .forms import PeriodForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _ensure_can_view(actor) -> None:
    if not can(actor, "monitor.view"):
        raise Http404


def _period(request) -> tuple[PeriodForm, dict | None]:
    """The filter form, bound to the query or to the defaults; the chosen period when valid."""
    first, last = selectors.default_period()
    data = {
        "van": request.GET.get("van") or first,
        "tot": request.GET.get("tot") or last,
        "beheersing": request.GET.get("beheersing") or tables.DEFAULT_DISCLOSURE,
    }
    form = PeriodForm(data)
    if not form.is_valid():
        return form, None
    period = {
        "year_from": form.cleaned_data["van"],
        "year_to": form.cleaned_data["tot"],
        "disclosure": form.cleaned_data["beheersing"],
    }
    period["query"] = urlencode(
        {"van": period["year_from"], "tot": period["year_to"], "beheersing": period["disclosure"]}
    )
    return form, period


def _table_view(actor, table_id: str, period: dict) -> dict:
    raw = selectors.monitor_raw_for(
        actor=actor, table_id=table_id, year_from=period["year_from"], year_to=period["year_to"]
    )
    published = tables.apply_disclosure(table_id, raw, period["disclosure"])
    pivot = charts.pivot_for(table_id, raw, published, period["disclosure"])
    return {
        "table": tables.TABLES[table_id],
        "pivot": pivot,
        "pivot_rows": [
            (label, pivot.row(key), pivot.change(key)) for key, label in pivot.categories
        ],
        "chart": charts.bar_chart(pivot),
        "rows": published,
        "columns": tables.TABLES[table_id].columns,
    }


@login_required
@require_GET
def index(request):
    actor = request.actor
    _ensure_can_view(actor)
    form, period = _period(request)
    context = {"form": form, "period": period, "tables": selectors.monitor_tables_for(actor=actor)}
    if period is not None:
        context["headline"] = _table_view(actor, "slachtoffers_per_jaar", period)
    return render(request, "monitor/index.html", context, status=200 if period else 400)


@login_required
@require_GET
def table_detail(request, table_id):
    actor = request.actor
    _ensure_can_view(actor)
    if table_id not in tables.TABLES:
        raise Http404
    form, period = _period(request)
    context = {
        "form": form,
        "period": period,
        "table": tables.TABLES[table_id],
        "tables": selectors.monitor_tables_for(actor=actor),
    }
    if period is not None:
        context.update(_table_view(actor, table_id, period))
    return render(request, "monitor/table.html", context, status=200 if period else 400)


@login_required
@require_GET
def download(request, table_id, fmt):
    actor = request.actor
    _ensure_can_view(actor)
    if table_id not in tables.TABLES or fmt not in ("csv", "xlsx"):
        raise Http404
    _form, period = _period(request)
    if period is None:
        raise Http404
    rows = selectors.monitor_table_for(
        actor=actor,
        table_id=table_id,
        year_from=period["year_from"],
        year_to=period["year_to"],
        disclosure=period["disclosure"],
    )
    name = exports.file_name(
        table_id, period["year_from"], period["year_to"], period["disclosure"], fmt
    )
    if fmt == "csv":
        response = HttpResponse(
            exports.csv_text(table_id, rows), content_type="text/csv; charset=utf-8"
        )
    else:
        data = exports.xlsx_bytes(
            table_id,
            rows,
            year_from=period["year_from"],
            year_to=period["year_to"],
            disclosure=period["disclosure"],
        )
        response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
