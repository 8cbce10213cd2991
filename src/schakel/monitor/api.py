"""REST API of the monitor: the table ids, and a table as JSON rows or CSV (`?format=csv`).

Errors are application/problem+json: an unknown table id, bad years or an unknown disclosure
setting answer 400 naming the parameter.
"""

import json

from django.core.exceptions import ValidationError
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import renderers, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from schakel.api.actor import actor_of
from schakel.api.components import ProblemSerializer

from . import exports, selectors, tables

PROBLEM = "application/problem+json"


class CsvRenderer(renderers.BaseRenderer):
    """text/csv for tables; anything else (an error) as JSON text."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, str):
            return data.encode("utf-8")
        return json.dumps(data, ensure_ascii=False).encode("utf-8")


class MonitorTableSummarySerializer(serializers.Serializer):
    id = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    url = serializers.URLField()


class MonitorTableSerializer(serializers.Serializer):
    table = serializers.CharField()
    title = serializers.CharField()
    year_from = serializers.IntegerField(help_text="First year (the `from` parameter).")
    year_to = serializers.IntegerField(help_text="Last year (the `to` parameter).")
    disclosure = serializers.ChoiceField(choices=tables.DISCLOSURE_MODES)
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(
        child=serializers.DictField(),
        help_text=(
            "One object per row, keys as in `columns`. Counts are integers, or the string "
            "'<10' under suppress10_round5; `gemiddelde` and `aandeel` are text with one "
            "decimal, empty when there is nothing to compute."
        ),
    )


def _invalid(error: tables.MonitorParamError) -> ValidationError:
    return ValidationError(error.errors)


class TableListView(APIView):
    @extend_schema(
        operation_id="monitor_tables_list",
        summary="The monitor's tables",
        responses={
            200: MonitorTableSummarySerializer(many=True),
            (404, PROBLEM): ProblemSerializer,
        },
    )
    def get(self, request):
        items = [
            {
                "id": table.id,
                "title": str(table.title),
                "description": str(table.description),
                "columns": list(table.columns),
                "url": request.build_absolute_uri(
                    reverse("api-monitor-table", kwargs={"table_id": table.id})
                ),
            }
            for table in selectors.monitor_tables_for(actor=actor_of(request))
        ]
        return Response(items)


class TableView(APIView):
    renderer_classes = [renderers.JSONRenderer, CsvRenderer]

    @extend_schema(
        operation_id="monitor_tables_retrieve",
        summary="One monitor table for a range of years",
        parameters=[
            OpenApiParameter("from", int, description="First year; default: five years back."),
            OpenApiParameter("to", int, description="Last year; default: the last year with data."),
            OpenApiParameter(
                "disclosure",
                str,
                enum=list(tables.DISCLOSURE_MODES),
                description="Disclosure control; default suppress10_round5.",
            ),
            OpenApiParameter("format", str, enum=["json", "csv"], description="csv: text/csv."),
        ],
        responses={
            200: OpenApiResponse(
                MonitorTableSerializer, description="JSON, or text/csv with format=csv"
            ),
            (400, PROBLEM): ProblemSerializer,
            (404, PROBLEM): ProblemSerializer,
        },
    )
    def get(self, request, table_id):
        actor = actor_of(request)
        default_from, default_to = selectors.default_period()
        year_from = request.query_params.get("from") or default_from
        year_to = request.query_params.get("to") or default_to
        disclosure = request.query_params.get("disclosure") or tables.DEFAULT_DISCLOSURE
        try:
            rows = selectors.monitor_table_for(
                actor=actor,
                table_id=table_id,
                year_from=year_from,
                year_to=year_to,
                disclosure=disclosure,
            )
        except tables.MonitorParamError as error:
            raise _invalid(error) from error
        y0, y1 = int(year_from), int(year_to)
        if request.accepted_renderer.format == "csv":
            name = exports.file_name(table_id, y0, y1, disclosure, "csv")
            return Response(
                exports.csv_text(table_id, rows),
                content_type="text/csv; charset=utf-8",
                headers={"Content-Disposition": f'attachment; filename="{name}"'},
            )
        table = tables.TABLES[table_id]
        return Response(
            {
                "table": table.id,
                "title": str(table.title),
                "year_from": y0,
                "year_to": y1,
                "disclosure": disclosure,
                "columns": list(table.columns),
                "rows": [
                    {column: _json_cell(row[column]) for column in table.columns} for row in rows
                ],
            }
        )


def _json_cell(value):
    return "" if value is None else value
