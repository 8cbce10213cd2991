"""REST API for screening. Thin: the same engine, services and selectors as the web.

GET  /api/v1/instruments/                  the current version of every instrument
GET  /api/v1/instruments/{id}/             the full definition (current, or ?version=N)
POST /api/v1/assessments/                  score answers: anonymous, or stored for a person
GET  /api/v1/assessments/?person={id}      the stored assessments of a person
GET  /api/v1/assessments/{id}/             one stored assessment, with its advice

Bad answers answer 400 problem+json whose invalid_params name every item: `answers.<item>`.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from schakel.accounts.permissions import can
from schakel.api.actor import actor_of
from schakel.api.components import ProblemSerializer
from schakel.people import selectors as people_selectors

from . import advice as advice_builder
from . import selectors, services
from .instruments import AUDIENCES, Instrument

PROBLEM = "application/problem+json"
NOT_FOUND = {(404, PROBLEM): ProblemSerializer}
INVALID = {(400, PROBLEM): ProblemSerializer}
FORBIDDEN = {(403, PROBLEM): ProblemSerializer}


# -- serializers (shapes for the schema; the data come from the engine) -------------------------


class InstrumentSummarySerializer(serializers.Serializer):
    id = serializers.CharField()
    version = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    audience = serializers.ListField(child=serializers.ChoiceField(choices=AUDIENCES))
    language_level = serializers.CharField()
    kind = serializers.ChoiceField(choices=["scored", "guide"])
    status = serializers.ChoiceField(
        choices=["indicative", "validated"],
        help_text="'indicative': an aid, not a validated test.",
    )
    storage = serializers.ChoiceField(
        choices=["allowed", "never"], help_text="'never': anonymous only, never stored."
    )
    url = serializers.URLField()


class InstrumentDetailSerializer(InstrumentSummarySerializer):
    versions = serializers.ListField(child=serializers.IntegerField())
    definition = serializers.JSONField(
        help_text="The instrument file as published: areas, items, scales, thresholds, red "
        "flags, advice rules and blocks, disclaimer."
    )


class AssessmentRequestSerializer(serializers.Serializer):
    instrument = serializers.CharField(help_text="The id of the instrument.")
    answers = serializers.DictField(
        help_text="{item_id: value}. yes_no_unknown: 'yes' | 'no' | 'unknown'; scale: an "
        "integer in range; single: an option value; multiple: a list of option values; text: "
        "a string (never scored)."
    )
    person = serializers.UUIDField(
        required=False,
        allow_null=True,
        default=None,
        help_text="A person of your organisation: the assessment is stored with them. Leave "
        "out for an anonymous consultation (nothing personal is stored).",
    )
    version = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="Default: the current version."
    )
    municipality = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="CBS code (GM…) for the regional care coordinator among the contacts. "
        "Default: your organisation's municipality.",
    )


class ContactSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    phone = serializers.CharField(allow_blank=True)
    email = serializers.CharField(allow_blank=True)
    url = serializers.CharField(allow_blank=True)
    hours = serializers.CharField(allow_blank=True)
    available_24_7 = serializers.BooleanField()
    note = serializers.CharField(allow_blank=True)
    reasons = serializers.ListField(child=serializers.CharField())


class LevelSerializer(serializers.Serializer):
    id = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.ChoiceField(choices=["form", "lvb", "other"])
    form = serializers.CharField(allow_blank=True)
    score = serializers.FloatField()
    level = serializers.ChoiceField(choices=["none", "low", "elevated", "high"])
    level_label = serializers.CharField()
    thresholds = serializers.DictField(child=serializers.FloatField())
    raised_by = serializers.ListField(child=serializers.CharField())
    areas = serializers.ListField(
        child=serializers.DictField(),
        help_text="The areas behind the level, each with its score and the answers (question, "
        "answer, points).",
    )


class AdviceSerializer(serializers.Serializer):
    id = serializers.UUIDField(allow_null=True, help_text="null for an anonymous consultation")
    url = serializers.URLField(allow_null=True)
    stored = serializers.BooleanField()
    person = serializers.UUIDField(allow_null=True)
    created_at = serializers.DateTimeField(allow_null=True)
    instrument = serializers.DictField()
    outcome = serializers.ChoiceField(
        choices=["none", "low", "elevated", "high", "urgent", "completed"]
    )
    outcome_label = serializers.CharField()
    summary = serializers.CharField()
    emergency = serializers.DictField(allow_null=True)
    red_flags = serializers.ListField(child=serializers.DictField())
    levels = LevelSerializer(many=True)
    unknowns = serializers.ListField(child=serializers.DictField())
    protective = serializers.ListField(child=serializers.DictField())
    notes = serializers.ListField(child=serializers.DictField())
    advice = serializers.ListField(child=serializers.DictField())
    steps = serializers.DictField(allow_null=True)
    reporting = serializers.DictField(allow_null=True)
    lvb_guidance = serializers.DictField(allow_null=True)
    contacts = ContactSerializer(many=True)
    answers = serializers.DictField()


# -- helpers -------------------------------------------------------------------------------


def _absolute(request, name: str, **kwargs) -> str:
    return request.build_absolute_uri(reverse(name, kwargs=kwargs))


def _summary(request, instrument: Instrument) -> dict:
    return {
        "id": instrument.id,
        "version": instrument.version,
        "title": instrument.title,
        "description": instrument.description,
        "audience": list(instrument.audience),
        "language_level": instrument.language_level,
        "kind": instrument.kind,
        "status": instrument.status,
        "storage": instrument.storage,
        "url": _absolute(request, "api-instrument-detail", key=instrument.id),
    }


def _municipality(actor, requested: str) -> str:
    if requested:
        return requested
    municipality = getattr(getattr(actor, "organisation", None), "municipality", None)
    return municipality.code if municipality else ""


def _body(instrument, result, answers, *, municipality, assessment=None, request=None) -> dict:
    built = advice_builder.build(instrument, result, municipality_code=municipality)
    built.pop("municipality", None)
    built.pop("answered", None)
    built.pop("items", None)
    built.pop("result_intro", None)
    return {
        "id": assessment.public_id if assessment else None,
        "url": _absolute(request, "api-assessment-detail", public_id=assessment.public_id)
        if assessment
        else None,
        "stored": assessment is not None,
        "person": assessment.person.public_id if assessment else None,
        "created_at": assessment.created_at if assessment else None,
        **built,
        "answers": answers,
    }


# -- views ---------------------------------------------------------------------------------


class InstrumentListView(APIView):
    @extend_schema(
        operation_id="instruments_list",
        summary="The instruments, each in its current version",
        responses={200: InstrumentSummarySerializer(many=True)},
    )
    def get(self, request):
        return Response([_summary(request, i) for i in selectors.instrument_list()])


class InstrumentDetailView(APIView):
    @extend_schema(
        operation_id="instruments_retrieve",
        summary="The full definition of an instrument (current version, or ?version=N)",
        parameters=[OpenApiParameter("version", int, description="A published version.")],
        responses={200: InstrumentDetailSerializer, **NOT_FOUND},
    )
    def get(self, request, key):
        version = request.query_params.get("version")
        try:
            version = int(version) if version else None
        except ValueError:
            raise Http404 from None
        instrument = selectors.instrument_get(key=key, version=version)
        body = {
            **_summary(request, instrument),
            "versions": [row.version for row in selectors.instrument_versions(key=key)],
            "definition": instrument.definition,
        }
        return Response(body)


class AssessmentListView(APIView):
    @extend_schema(
        operation_id="assessments_list",
        summary="The stored assessments of a person, newest first",
        parameters=[OpenApiParameter("person", str, required=True, description="The person's id.")],
        responses={200: AdviceSerializer(many=True), **NOT_FOUND},
    )
    def get(self, request):
        actor = actor_of(request)
        person = people_selectors.person_get_for(
            actor=actor, public_id=request.query_params.get("person", "")
        )
        assessments = selectors.assessment_list_for_person(actor=actor, person=person)
        municipality = _municipality(actor, request.query_params.get("municipality", ""))
        return Response(
            [
                _body(
                    selectors.instrument_of(a.instrument),
                    a.result,
                    a.answers,
                    municipality=municipality,
                    assessment=a,
                    request=request,
                )
                for a in assessments
            ]
        )

    @extend_schema(
        operation_id="assessments_create",
        summary="Score answers and get the advice; stored when a person is given",
        request=AssessmentRequestSerializer,
        responses={201: AdviceSerializer, **INVALID, **FORBIDDEN},
        examples=[
            OpenApiExample(
                "Anonymous consultation",
                value={
                    "instrument": "zelfcheck-jongeren",
                    "answers": {"oudere_vriend": "yes", "nu_gevaar": "no"},
                },
                request_only=True,
            )
        ],
    )
    def post(self, request):
        actor = actor_of(request)
        serializer = AssessmentRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            row = selectors.instrument_row_get(key=data["instrument"], version=data["version"])
        except Http404:
            field = "version" if data["version"] is not None else "instrument"
            raise ValidationError(
                {field: _("Dit instrument of deze versie bestaat niet.")}
            ) from None
        instrument = selectors.instrument_of(row)
        municipality = _municipality(actor, data["municipality"])
        if data["person"] is None:
            clean, result = services.consultation_score(
                actor=actor, instrument=instrument, answers=data["answers"]
            )
            body = _body(instrument, result, clean, municipality=municipality, request=request)
            return Response(body, status=status.HTTP_201_CREATED)
        if not instrument.storable:
            raise ValidationError(
                {"person": _("Dit instrument is anoniem en wordt nooit bij een persoon bewaard.")}
            )
        if not can(actor, "screening.assess"):  # before the person is looked up (and logged)
            raise PermissionDenied("screening.assess")
        try:
            person = people_selectors.person_get_for(actor=actor, public_id=data["person"])
        except Http404:
            raise ValidationError(
                {"person": _("Deze persoon bestaat niet of u mag hem of haar niet zien.")}
            ) from None
        assessment = services.assessment_create(
            actor=actor, person=person, instrument_row=row, answers=data["answers"]
        )
        body = _body(
            instrument,
            assessment.result,
            assessment.answers,
            municipality=municipality,
            assessment=assessment,
            request=request,
        )
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": body["url"]})


class AssessmentDetailView(APIView):
    @extend_schema(
        operation_id="assessments_retrieve",
        summary="A stored assessment with its advice (only for a person you may see)",
        parameters=[
            OpenApiParameter("municipality", str, description="CBS code for the contacts.")
        ],
        responses={200: AdviceSerializer, **NOT_FOUND},
    )
    def get(self, request, public_id):
        actor = actor_of(request)
        assessment = selectors.assessment_get_for(actor=actor, public_id=public_id)
        municipality = _municipality(actor, request.query_params.get("municipality", ""))
        body = _body(
            selectors.instrument_of(assessment.instrument),
            assessment.result,
            assessment.answers,
            municipality=municipality,
            assessment=assessment,
            request=request,
        )
        return Response(body)
