"""Case meetings and the decisions taken in them."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from schakel.api.actor import actor_of

from .. import selectors, services
from ..models import Event, Meeting
from ._common import (
    EDIT_ERRORS,
    NOT_FOUND,
    WRITE_ERRORS,
    VersionSerializer,
    _case,
    _manage,
    _one_of,
    _today,
    _valid,
)
from .timeline import EntrySerializer


class MeetingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = _one_of(Meeting.Kind.choices)
    date = serializers.DateField()
    time = serializers.TimeField(allow_null=True)
    status = _one_of(Meeting.Status.choices)
    agenda = serializers.CharField()
    participants = serializers.SerializerMethodField()
    other_participants = serializers.CharField()
    person_present = serializers.BooleanField()
    external_lvb_expert = serializers.BooleanField()
    lvb_expertise_present = serializers.BooleanField(source="lvb_present")
    minutes = serializers.CharField()
    version = serializers.IntegerField()

    def get_participants(self, meeting) -> list[int]:
        return [m.pk for m in meeting.participants.all()]


class MeetingWriteSerializer(serializers.Serializer):
    kind = _one_of(Meeting.Kind.choices)
    date = serializers.DateField()
    time = serializers.TimeField(required=False, allow_null=True, default=None)
    agenda = serializers.CharField(required=False, allow_blank=True, default="")
    participants = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list
    )
    other_participants = serializers.CharField(required=False, allow_blank=True, default="")
    person_present = serializers.BooleanField(required=False, default=False)
    external_lvb_expert = serializers.BooleanField(required=False, default=False)


class MeetingPatchSerializer(VersionSerializer):
    kind = _one_of(Meeting.Kind.choices, required=False)
    date = serializers.DateField(required=False)
    time = serializers.TimeField(required=False, allow_null=True)
    agenda = serializers.CharField(required=False, allow_blank=True)
    participants = serializers.ListField(child=serializers.IntegerField(), required=False)
    other_participants = serializers.CharField(required=False, allow_blank=True)
    person_present = serializers.BooleanField(required=False)
    external_lvb_expert = serializers.BooleanField(required=False)
    minutes = serializers.CharField(required=False, allow_blank=True)
    status = _one_of(Meeting.Status.choices, required=False)


class DecisionSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True)
    occurred_on = serializers.DateField(required=False, allow_null=True, default=None)


def _participants(actor, case, ids):
    members = {m.pk: m for m in selectors.members_for(actor=actor, case=case)}
    chosen = []
    for pk in ids or []:
        if pk not in members:
            raise ValidationError({"participants": _("Kies alleen leden van deze casus.")})
        chosen.append(members[pk])
    return chosen


class MeetingListView(APIView):
    @extend_schema(
        operation_id="cases_meetings_list",
        summary="Meetings of the case",
        responses={200: MeetingSerializer(many=True), **NOT_FOUND},
    )
    def get(self, request, public_id):
        case = _case(request, public_id)
        meetings = selectors.meetings_for(actor=actor_of(request), case=case)
        return Response(MeetingSerializer(meetings, many=True).data)

    @extend_schema(
        operation_id="cases_meetings_create",
        summary="Plan a meeting (lead or backup)",
        request=MeetingWriteSerializer,
        responses={201: MeetingSerializer, **WRITE_ERRORS},
    )
    def post(self, request, public_id):
        actor = actor_of(request)
        case = _case(request, public_id)
        _manage(case)
        data = _valid(MeetingWriteSerializer, request)
        data["participants"] = _participants(actor, case, data["participants"])
        meeting = services.meeting_create(actor=actor, case=case, **data)
        meeting = selectors.meeting_get_for(actor=actor, case=case, pk=meeting.pk)
        return Response(MeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)


class MeetingDetailView(APIView):
    @extend_schema(
        operation_id="cases_meetings_retrieve",
        summary="One meeting, with the LVB-expertise check",
        responses={200: MeetingSerializer, **NOT_FOUND},
    )
    def get(self, request, public_id, pk):
        case = _case(request, public_id)
        meeting = selectors.meeting_get_for(actor=actor_of(request), case=case, pk=pk)
        return Response(MeetingSerializer(meeting).data)

    @extend_schema(
        operation_id="cases_meetings_partial_update",
        summary="Change a meeting, record minutes, mark it held or cancelled",
        request=MeetingPatchSerializer,
        responses={200: MeetingSerializer, **EDIT_ERRORS},
    )
    def patch(self, request, public_id, pk):
        actor = actor_of(request)
        case = _case(request, public_id)
        meeting = selectors.meeting_get_for(actor=actor, case=case, pk=pk)
        data = _valid(MeetingPatchSerializer, request)
        version = data.pop("version")
        participants = None
        if "participants" in data:
            participants = _participants(actor, case, data.pop("participants"))
        services.meeting_update(
            actor=actor,
            case=case,
            meeting=meeting,
            expected_version=version,
            participants=participants,
            **data,
        )
        meeting = selectors.meeting_get_for(actor=actor, case=case, pk=pk)
        return Response(MeetingSerializer(meeting).data)


class MeetingDecisionView(APIView):
    @extend_schema(
        operation_id="cases_meetings_decisions_create",
        summary="Record a decision of this meeting (on the timeline)",
        request=DecisionSerializer,
        responses={201: EntrySerializer, **WRITE_ERRORS},
    )
    def post(self, request, public_id, pk):
        actor = actor_of(request)
        case = _case(request, public_id)
        meeting = selectors.meeting_get_for(actor=actor, case=case, pk=pk)
        _manage(case)
        data = _valid(DecisionSerializer, request)
        event = services.event_record(
            actor=actor,
            case=case,
            kind=Event.Kind.DECISION,
            occurred_on=data["occurred_on"] or min(meeting.date, _today()),
            text=data["text"],
            meeting=meeting,
        )
        return Response(
            EntrySerializer(selectors.timeline_entry(event, False)).data,
            status=status.HTTP_201_CREATED,
        )
