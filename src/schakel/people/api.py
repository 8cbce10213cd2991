"""REST API for persons and their LVB history. Thin: the same services and selectors as the web.

Errors are application/problem+json (schakel.api.problems); a stale PATCH answers 409.
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from schakel.accounts.permissions import can, ensure_can
from schakel.api.actor import actor_of
from schakel.api.components import ProblemSerializer
from schakel.api.pages import page_envelope

from . import selectors, services
from .models import LvbIndication, Person

PROBLEM = "application/problem+json"


# -- serializers ---------------------------------------------------------------------------


class PersonSummarySerializer(serializers.Serializer):
    """A person in a list: no BSN, address or phone number (data minimisation)."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    url = serializers.SerializerMethodField()
    display_name = serializers.CharField(read_only=True)
    given_names = serializers.CharField(read_only=True)
    surname = serializers.CharField(read_only=True)
    date_of_birth = serializers.DateField(read_only=True, allow_null=True)
    age = serializers.IntegerField(read_only=True, allow_null=True)
    gender = serializers.ChoiceField(choices=Person.Gender.choices, read_only=True)
    version = serializers.IntegerField(read_only=True)

    def get_url(self, person: Person) -> str:
        path = reverse("api-person-detail", kwargs={"public_id": person.public_id})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class PersonSerializer(PersonSummarySerializer):
    bsn = serializers.CharField(read_only=True)
    address = serializers.CharField(read_only=True)
    phone = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class PersonPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = PersonSummarySerializer(many=True)


class PersonWriteSerializer(serializers.Serializer):
    """Only types are checked here; the rules (elfproef, dates, …) live in the service."""

    given_names = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    surname = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    bsn = serializers.CharField(required=False, allow_blank=True)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    address = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    phone = serializers.CharField(required=False, allow_blank=True)
    gender = serializers.ChoiceField(
        choices=Person.Gender.choices, required=False, allow_blank=True
    )


class PersonPatchSerializer(PersonWriteSerializer):
    version = serializers.IntegerField(
        min_value=1, help_text="The version you read; a stale version answers 409."
    )


class LvbIndicationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    status = serializers.ChoiceField(choices=LvbIndication.Status.choices, read_only=True)
    source_kind = serializers.ChoiceField(choices=LvbIndication.SourceKind.choices, read_only=True)
    source = serializers.CharField(read_only=True)
    observed_on = serializers.DateField(read_only=True)
    note = serializers.CharField(read_only=True)
    corrects = serializers.IntegerField(source="corrects_id", read_only=True, allow_null=True)
    recorded_at = serializers.DateTimeField(read_only=True)


class LvbIndicationWriteSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=LvbIndication.Status.choices)
    source_kind = serializers.ChoiceField(choices=LvbIndication.SourceKind.choices)
    source = serializers.CharField(allow_blank=True, help_text="What the indication rests on.")
    observed_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")
    corrects = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The id of an earlier indication of this person that this one corrects.",
    )


# -- views ---------------------------------------------------------------------------------


NOT_FOUND = {(404, PROBLEM): ProblemSerializer}
INVALID = {(400, PROBLEM): ProblemSerializer}
FORBIDDEN = {(403, PROBLEM): ProblemSerializer}


class PersonListView(APIView):
    @extend_schema(
        operation_id="persons_list",
        summary="Persons of your organisation, newest first, 25 per page",
        parameters=[OpenApiParameter("page", int, description="Page number, from 1.")],
        responses={200: PersonPageSerializer, **NOT_FOUND},
    )
    def get(self, request):
        actor = actor_of(request)
        if not can(actor, "person.view"):
            raise Http404
        page = selectors.person_list_for(
            actor=actor, page=request.query_params.get("page") or 1, strict=True
        )
        results = PersonSummarySerializer(
            page.object_list, many=True, context={"request": request}
        ).data
        return Response(page_envelope(request, page, results))

    @extend_schema(
        operation_id="persons_create",
        summary="Record a person (a surname or a BSN is required)",
        request=PersonWriteSerializer,
        responses={201: PersonSerializer, **INVALID, **FORBIDDEN},
    )
    def post(self, request):
        actor = actor_of(request)
        ensure_can(actor, "person.create")
        serializer = PersonWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        person = services.person_create(actor=actor, **serializer.validated_data)
        body = PersonSerializer(person, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": body["url"]})


class PersonDetailView(APIView):
    @extend_schema(
        operation_id="persons_retrieve",
        summary="One person",
        responses={200: PersonSerializer, **NOT_FOUND},
    )
    def get(self, request, public_id):
        person = selectors.person_get_for(actor=actor_of(request), public_id=public_id)
        return Response(PersonSerializer(person, context={"request": request}).data)

    @extend_schema(
        operation_id="persons_partial_update",
        summary="Change some fields; send the version you read",
        request=PersonPatchSerializer,
        responses={
            200: PersonSerializer,
            **INVALID,
            **FORBIDDEN,
            **NOT_FOUND,
            (409, PROBLEM): ProblemSerializer,
        },
    )
    def patch(self, request, public_id):
        actor = actor_of(request)
        person = selectors.person_get_for(actor=actor, public_id=public_id)
        ensure_can(actor, "person.update")
        serializer = PersonPatchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        version = fields.pop("version")
        person = services.person_update(
            actor=actor, person=person, expected_version=version, **fields
        )
        return Response(PersonSerializer(person, context={"request": request}).data)


class LvbIndicationListView(APIView):
    @extend_schema(
        operation_id="persons_lvb_indications_list",
        summary="The LVB history of a person, newest first",
        responses={200: LvbIndicationSerializer(many=True), **NOT_FOUND},
    )
    def get(self, request, public_id):
        actor = actor_of(request)
        person = selectors.person_get_for(actor=actor, public_id=public_id)
        history = selectors.lvb_history_for(actor=actor, person=person)
        return Response(LvbIndicationSerializer(history, many=True).data)

    @extend_schema(
        operation_id="persons_lvb_indications_create",
        summary="Append an LVB indication (or a correction of an earlier one)",
        request=LvbIndicationWriteSerializer,
        responses={201: LvbIndicationSerializer, **INVALID, **FORBIDDEN, **NOT_FOUND},
    )
    def post(self, request, public_id):
        actor = actor_of(request)
        person = selectors.person_get_for(actor=actor, public_id=public_id)
        ensure_can(actor, "person.update")
        serializer = LvbIndicationWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        corrects_pk = data.pop("corrects")
        corrects = None
        if corrects_pk is not None:
            corrects = selectors.lvb_indication_get_for(actor=actor, person=person, pk=corrects_pk)
            if corrects is None:
                raise ValidationError(
                    {"corrects": _("Kies een eerdere indicatie van deze persoon.")}
                )
        indication = services.lvb_indication_record(
            actor=actor, person=person, corrects=corrects, **data
        )
        return Response(LvbIndicationSerializer(indication).data, status=status.HTTP_201_CREATED)
