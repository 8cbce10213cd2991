"""REST API of the registry: register a melding, list and read meldingen, import and export CSV.

Thin: the same services and selectors as the web pages and the commands. Only the registration
office (registrar) may use it; anyone else gets 404. Errors are application/problem+json.
"""

import tempfile

from django.conf import settings
from django.http import Http404, StreamingHttpResponse
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import parsers, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from schakel.accounts.permissions import can, ensure_can
from schakel.api.actor import actor_of
from schakel.api.components import ProblemSerializer
from schakel.api.exceptions import RequestTooLarge
from schakel.api.pages import page_envelope
from schakel.api.problems import problem_response
from schakel.people.selectors import person_get_for

from . import keys, selectors, services
from .contract import contract
from .csvio import csv_lines
from .models import Melding

PROBLEM = "application/problem+json"
NOT_FOUND = {(404, PROBLEM): ProblemSerializer}
INVALID = {(400, PROBLEM): ProblemSerializer}
FORBIDDEN = {(403, PROBLEM): ProblemSerializer}


# -- serializers ---------------------------------------------------------------------------


class MeldingSerializer(serializers.Serializer):
    """A melding: the contract's columns, and how it reached the registry."""

    melding_id = serializers.CharField()
    url = serializers.SerializerMethodField()
    melddatum = serializers.DateField()
    persoon_sleutel = serializers.CharField(help_text="The registry's pseudonym of the person.")
    melder = serializers.CharField()
    politie_eenheid = serializers.CharField()
    grondslag = serializers.CharField()
    toestemming_door = serializers.CharField()
    uitbuitingsvormen = serializers.ListField(child=serializers.CharField())
    sector = serializers.CharField()
    geslacht = serializers.CharField()
    leeftijd = serializers.IntegerField(allow_null=True)
    nationaliteit = serializers.CharField()
    lvb_indicatie = serializers.CharField()
    source = serializers.CharField(help_text="formulier, api or import")
    reporter_organisation = serializers.CharField()
    reporter_name = serializers.CharField(help_text="Empty when reported op domicilie.")
    on_domicile = serializers.BooleanField()
    consent_id = serializers.UUIDField(source="consent_public_id", allow_null=True)
    registered_at = serializers.DateTimeField()

    def get_url(self, melding: Melding) -> str:
        path = reverse("api-registry-melding", kwargs={"melding_id": melding.melding_id})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class MeldingPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = MeldingSerializer(many=True)


class RegistryIdentifiersSerializer(serializers.Serializer):
    """Used once to compute the person key; never stored."""

    bsn = serializers.CharField(required=False, allow_blank=True, default="")
    surname = serializers.CharField(required=False, allow_blank=True, default="")
    given_names = serializers.CharField(required=False, allow_blank=True, default="")
    date_of_birth = serializers.DateField(required=False, allow_null=True, default=None)


class RegistryConsentSerializer(serializers.Serializer):
    """The consent for the national registration, recorded through the privacy capability."""

    given_by = serializers.ChoiceField(choices=list(services.CONSENT_GIVERS))
    given_by_name = serializers.CharField(required=False, allow_blank=True, default="")
    method = serializers.CharField(required=False, allow_blank=True, default="")
    evidence = serializers.CharField(required=False, allow_blank=True, default="")
    understanding_checks = serializers.ListField(
        child=serializers.CharField(), required=False, default=list
    )
    understanding_note = serializers.CharField(required=False, allow_blank=True, default="")


def _text(**kwargs):
    return serializers.CharField(required=False, allow_blank=True, default="", **kwargs)


class MeldingWriteSerializer(serializers.Serializer):
    """Only types are checked here; the contract's rules live in the service."""

    melding_id = _text(help_text="Optional; a new number is made when empty.")
    melddatum = _text(help_text="YYYY-MM-DD")
    person = serializers.UUIDField(
        required=False, allow_null=True, default=None, help_text="A person of your organisation."
    )
    identifiers = RegistryIdentifiersSerializer(required=False, allow_null=True, default=None)
    persoon_sleutel = _text(help_text="A key made with the registry's method (rarely needed).")
    melder = _text()
    politie_eenheid = _text()
    grondslag = _text()
    toestemming_door = _text()
    uitbuitingsvormen = serializers.ListField(child=serializers.CharField(), required=False)
    sector = _text()
    geslacht = _text()
    leeftijd = serializers.IntegerField(required=False, allow_null=True, default=None)
    nationaliteit = _text()
    lvb_indicatie = _text()
    consent = RegistryConsentSerializer(
        required=False,
        allow_null=True,
        default=None,
        help_text="With `person` and grondslag toestemming: the consent, recorded for you.",
    )
    reporter_organisation = _text()
    reporter_name = _text()
    on_domicile = serializers.BooleanField(required=False, default=False)


class RegistryImportErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField(allow_null=True)
    column = serializers.CharField()
    rule = serializers.CharField()
    message = serializers.CharField()


class RegistryImportReportSerializer(serializers.Serializer):
    file_name = serializers.CharField()
    accepted = serializers.BooleanField()
    rows = serializers.IntegerField()
    created = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    error_count = serializers.IntegerField()
    errors = RegistryImportErrorSerializer(many=True)
    rule_counts = serializers.DictField(child=serializers.IntegerField())
    sha256 = serializers.CharField()
    summary = serializers.CharField()


# -- views ---------------------------------------------------------------------------------


def _visible_or_404(actor) -> None:
    if not can(actor, "registry.view"):
        raise Http404


def _melding_data(melding: Melding, request) -> dict:
    data = MeldingSerializer(melding, context={"request": request}).data
    return data


class MeldingListView(APIView):
    @extend_schema(
        operation_id="registry_meldingen_list",
        summary="Meldingen, newest first, 25 per page",
        parameters=[
            OpenApiParameter("page", int, description="Page number, from 1."),
            OpenApiParameter("year", int, description="Only this year (of melddatum)."),
            OpenApiParameter("melder", str, enum=list(contract().keys("melders"))),
        ],
        responses={200: MeldingPageSerializer, **NOT_FOUND},
    )
    def get(self, request):
        actor = actor_of(request)
        _visible_or_404(actor)
        year = request.query_params.get("year")
        page = selectors.melding_list_for(
            actor=actor,
            year=int(year) if year and year.isdigit() else None,
            melder=request.query_params.get("melder", ""),
            page=request.query_params.get("page") or 1,
        )
        return Response(
            page_envelope(request, page, [_melding_data(m, request) for m in page.object_list])
        )

    @extend_schema(
        operation_id="registry_meldingen_create",
        summary="Register a melding (201; 200 when the same melding_id is already stored so)",
        request=MeldingWriteSerializer,
        responses={
            201: MeldingSerializer,
            200: MeldingSerializer,
            **INVALID,
            **FORBIDDEN,
            **NOT_FOUND,
        },
    )
    def post(self, request):
        actor = actor_of(request)
        _visible_or_404(actor)
        ensure_can(actor, "registry.register")
        serializer = MeldingWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        person = None
        if data["person"] is not None:
            person = person_get_for(actor=actor, public_id=data["person"])
        identifiers = data["identifiers"]
        values = {
            column: data[column]
            for column in (
                "melding_id",
                "melddatum",
                "persoon_sleutel",
                "melder",
                "politie_eenheid",
                "grondslag",
                "toestemming_door",
                "sector",
                "geslacht",
                "nationaliteit",
                "lvb_indicatie",
            )
        }
        values["uitbuitingsvormen"] = "|".join(data.get("uitbuitingsvormen") or [])
        values["leeftijd"] = "" if data["leeftijd"] is None else str(data["leeftijd"])
        melding, created = services.melding_register(
            actor=actor,
            values=values,
            identifiers=keys.Identifiers(**identifiers) if identifiers else None,
            person=person,
            consent=data["consent"],
            reporter_organisation=data["reporter_organisation"],
            reporter_name=data["reporter_name"],
            on_domicile=data["on_domicile"],
            source=Melding.Source.API,
        )
        body = _melding_data(melding, request)
        return Response(
            body,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
            headers={"Location": body["url"]},
        )


class MeldingDetailView(APIView):
    @extend_schema(
        operation_id="registry_meldingen_retrieve",
        summary="One melding",
        responses={200: MeldingSerializer, **NOT_FOUND},
    )
    def get(self, request, melding_id):
        melding = selectors.melding_get_for(actor=actor_of(request), melding_id=melding_id)
        return Response(_melding_data(melding, request))


class CsvParser(parsers.BaseParser):
    media_type = "text/csv"

    def parse(self, stream, media_type=None, parser_context=None):
        return stream


class ImportView(APIView):
    parser_classes = [CsvParser]

    @extend_schema(
        operation_id="registry_imports_create",
        summary="Import a CSV file in the contract's format (all or nothing)",
        description=(
            "Send the file as the body with Content-Type text/csv. 201 when meldingen were "
            "added, 200 when every row was already stored exactly so (nothing changed), 400 "
            "with the errors by line, column and rule when the file is rejected."
        ),
        request={"text/csv": {"type": "string", "format": "binary"}},
        responses={
            201: RegistryImportReportSerializer,
            200: RegistryImportReportSerializer,
            (400, PROBLEM): ProblemSerializer,
            **FORBIDDEN,
            **NOT_FOUND,
        },
    )
    def post(self, request):
        actor = actor_of(request)
        _visible_or_404(actor)
        ensure_can(actor, "registry.import")
        stream = request.data
        if not hasattr(stream, "read"):  # DRF gives no stream for an empty body
            raise serializers.ValidationError({"body": [_("Het bestand is leeg.")]})
        limit = settings.SCHAKEL_UPLOAD_MAX_BYTES
        with tempfile.NamedTemporaryFile(prefix="registry-api-", suffix=".csv") as spool:
            # The middleware refused a longer Content-Length; this holds whatever the server does.
            while chunk := stream.read(1 << 16):
                if spool.tell() + len(chunk) > limit:
                    raise RequestTooLarge(
                        _("Het bestand is groter dan %(size)s.") % {"size": filesizeformat(limit)}
                    )
                spool.write(chunk)
            if spool.tell() == 0:
                raise serializers.ValidationError({"body": [_("Het bestand is leeg.")]})
            spool.flush()
            try:
                report = services.registrations_import(
                    actor=actor,
                    opener=lambda: open(spool.name, "rb"),  # noqa: SIM115 - closed by the service
                    file_name="api-upload.csv",
                    size=spool.tell(),
                )
            except services.ImportRejected as rejected:
                body = rejected.report.as_dict()
                return problem_response(400, "import-rejected", body["summary"], **body)
        code = status.HTTP_201_CREATED if report.created else status.HTTP_200_OK
        return Response(report.as_dict(), status=code)


class ExportView(APIView):
    @extend_schema(
        operation_id="registry_export",
        summary="All meldingen as CSV in the contract's format",
        parameters=[
            OpenApiParameter("from", int, description="First year (of melddatum)."),
            OpenApiParameter("to", int, description="Last year (of melddatum)."),
        ],
        responses={200: OpenApiResponse(description="text/csv"), **NOT_FOUND},
    )
    def get(self, request):
        actor = actor_of(request)
        _visible_or_404(actor)

        def year(name):
            value = request.query_params.get(name, "")
            return int(value) if value.isdigit() else None

        rows = selectors.melding_export_rows(
            actor=actor, year_from=year("from"), year_to=year("to")
        )
        header = next(rows)
        response = StreamingHttpResponse(
            csv_lines(header, rows), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="meldingen.csv"'
        return response
