"""The timeline: read (filtered) and record an event."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from schakel.api.actor import actor_of

from .. import selectors, services
from ..models import Event
from ._common import NOT_FOUND, WRITE_ERRORS, _case, _one_of, _valid


class EntrySerializer(serializers.Serializer):
    id = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    group = serializers.CharField()
    occurred_on = serializers.DateField()
    recorded_at = serializers.DateTimeField(allow_null=True)
    recorded_by = serializers.CharField()
    summary = serializers.CharField()
    text = serializers.CharField()
    source = serializers.CharField(help_text="case, consent or screening")
    corrects = serializers.CharField(help_text="The id of the entry this one corrects, or ''.")
    corrected_by = serializers.ListField(child=serializers.CharField())
    warning = serializers.CharField()


class EventCreateSerializer(serializers.Serializer):
    kind = _one_of(
        [(k, dict(Event.Kind.choices)[k]) for k in services.MANUAL_KINDS],
        required=False,
        help_text="Not needed for a correction.",
    )
    occurred_on = serializers.DateField(required=False, allow_null=True, default=None)
    text = serializers.CharField(required=False, allow_blank=True, default="")
    domain = serializers.CharField(required=False, allow_blank=True, default="")
    forms = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    lvb_specialist_present = serializers.BooleanField(required=False, default=False)
    expert_by_experience_present = serializers.BooleanField(required=False, default=False)
    care_present = serializers.BooleanField(required=False, default=False)
    meeting = serializers.IntegerField(required=False, allow_null=True, default=None)
    corrects = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="The id of a timeline entry ('e12') to correct: a new entry points at it.",
    )


class TimelineView(APIView):
    @extend_schema(
        operation_id="cases_timeline_list",
        summary="The timeline, newest first (append-only)",
        parameters=[
            OpenApiParameter("group", str, enum=list(selectors.GROUPS)),
            OpenApiParameter("from", str, description="YYYY-MM-DD"),
            OpenApiParameter("to", str, description="YYYY-MM-DD"),
        ],
        responses={200: EntrySerializer(many=True), **NOT_FOUND},
    )
    def get(self, request, public_id):
        case = _case(request, public_id)
        params = request.query_params
        field = serializers.DateField(allow_null=True)
        try:
            date_from = field.run_validation(params.get("from") or None)
            date_to = field.run_validation(params.get("to") or None)
        except serializers.ValidationError as error:
            raise ValidationError({"from/to": error.detail}) from None
        group = params.get("group", "")
        if group and group not in selectors.GROUPS:
            raise ValidationError({"group": _("Kies een bekende soort.")})
        entries = selectors.timeline_for(
            actor=actor_of(request), case=case, group=group, date_from=date_from, date_to=date_to
        )
        return Response(EntrySerializer(entries, many=True).data)

    @extend_schema(
        operation_id="cases_timeline_create",
        summary="Add a signal, note, decision or police step; or a correction (`corrects`)",
        request=EventCreateSerializer,
        responses={201: EntrySerializer, **WRITE_ERRORS},
    )
    def post(self, request, public_id):
        actor = actor_of(request)
        case = _case(request, public_id)
        data = _valid(EventCreateSerializer, request)
        if data["corrects"]:
            key = data["corrects"].removeprefix("e")
            try:
                old = selectors.event_get_for(actor=actor, case=case, pk=key)
            except Http404:
                raise ValidationError(
                    {"corrects": _("Kies een regel van deze tijdlijn.")}
                ) from None
            event = services.event_correct(
                actor=actor,
                case=case,
                event=old,
                text=data["text"],
                occurred_on=data["occurred_on"],
            )
        else:
            if not data.get("kind"):
                raise ValidationError({"kind": _("Kies wat u wilt vastleggen.")})
            meeting = None
            if data["meeting"] is not None:
                try:
                    meeting = selectors.meeting_get_for(actor=actor, case=case, pk=data["meeting"])
                except Http404:
                    raise ValidationError(
                        {"meeting": _("Kies een overleg van deze casus.")}
                    ) from None
            event = services.event_record(
                actor=actor,
                case=case,
                kind=data["kind"],
                occurred_on=data["occurred_on"],
                text=data["text"],
                domain=data["domain"],
                forms=data["forms"],
                lvb_specialist_present=data["lvb_specialist_present"],
                expert_by_experience_present=data["expert_by_experience_present"],
                care_present=data["care_present"],
                meeting=meeting,
            )
        entry = selectors.timeline_entry(event, False)
        return Response(EntrySerializer(entry).data, status=status.HTTP_201_CREATED)
