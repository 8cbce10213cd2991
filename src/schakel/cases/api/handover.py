"""Handing over the lead: offer, accept, decline, withdraw."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from schakel.api.actor import actor_of

from .. import selectors, services
from ..models import Handover
from ._common import (
    NOT_FOUND,
    WRITE_ERRORS,
    PersonRefSerializer,
    ReasonSerializer,
    _case,
    _one_of,
    _valid,
    _who,
)


class HandoverSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = _one_of(Handover.Status.choices)
    from_lead = serializers.SerializerMethodField()
    to_lead = serializers.SerializerMethodField()
    new_backup = serializers.SerializerMethodField()
    message = serializers.CharField()
    offered_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    decline_reason = serializers.CharField()
    talked_with_person = serializers.BooleanField()
    history_read = serializers.BooleanField()
    appointments_moved = serializers.BooleanField()

    def get_from_lead(self, handover) -> PersonRefSerializer:
        return _who(handover.from_lead)

    def get_to_lead(self, handover) -> PersonRefSerializer:
        return _who(handover.to_lead)

    @extend_schema_field(PersonRefSerializer(allow_null=True))
    def get_new_backup(self, handover):
        return _who(handover.new_backup)


class HandoverCreateSerializer(serializers.Serializer):
    to_member = serializers.IntegerField(help_text="The id of the member who is to lead.")
    new_backup = serializers.IntegerField(required=False, allow_null=True, default=None)
    message = serializers.CharField(required=False, allow_blank=True, default="")


class HandoverAcceptSerializer(serializers.Serializer):
    talked_with_person = serializers.BooleanField(default=False)
    history_read = serializers.BooleanField(default=False)
    appointments_moved = serializers.BooleanField(default=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class HandoverListView(APIView):
    @extend_schema(
        operation_id="cases_handovers_list",
        summary="Lead handovers of the case",
        responses={200: HandoverSerializer(many=True), **NOT_FOUND},
    )
    def get(self, request, public_id):
        case = _case(request, public_id)
        handovers = selectors.handovers_for(actor=actor_of(request), case=case)
        return Response(HandoverSerializer(handovers, many=True).data)

    @extend_schema(
        operation_id="cases_handovers_create",
        summary="Offer the lead to a member (lead); nothing changes until they accept",
        request=HandoverCreateSerializer,
        responses={201: HandoverSerializer, **WRITE_ERRORS},
    )
    def post(self, request, public_id):
        actor = actor_of(request)
        case = _case(request, public_id)
        data = _valid(HandoverCreateSerializer, request)
        members = {m.pk: m for m in selectors.members_for(actor=actor, case=case)}
        to_member = members.get(data["to_member"])
        if to_member is None:
            raise ValidationError({"to_member": _("Kies een lid van de casus.")})
        new_backup = None
        if data["new_backup"] is not None:
            new_backup = members.get(data["new_backup"])
            if new_backup is None:
                raise ValidationError({"new_backup": _("Kies een lid van de casus.")})
        handover = services.handover_offer(
            actor=actor,
            case=case,
            to_member=to_member,
            new_backup=new_backup,
            message=data["message"],
        )
        return Response(HandoverSerializer(handover).data, status=status.HTTP_201_CREATED)


class HandoverActionView(APIView):
    action = ""

    def _handover(self, request, public_id, pk):
        case = _case(request, public_id)
        return selectors.handover_get_for(actor=actor_of(request), case=case, pk=pk)


class HandoverAcceptView(HandoverActionView):
    @extend_schema(
        operation_id="cases_handovers_accept",
        summary="Accept the lead (the member it was offered to), with the warm-handover checklist",
        request=HandoverAcceptSerializer,
        responses={200: HandoverSerializer, **WRITE_ERRORS},
    )
    def post(self, request, public_id, pk):
        handover = self._handover(request, public_id, pk)
        data = _valid(HandoverAcceptSerializer, request)
        services.handover_accept(actor=actor_of(request), handover=handover, **data)
        handover.refresh_from_db()
        return Response(HandoverSerializer(handover).data)


class HandoverDeclineView(HandoverActionView):
    @extend_schema(
        operation_id="cases_handovers_decline",
        summary="Decline the lead (with a reason)",
        request=ReasonSerializer,
        responses={200: HandoverSerializer, **WRITE_ERRORS},
    )
    def post(self, request, public_id, pk):
        handover = self._handover(request, public_id, pk)
        data = _valid(ReasonSerializer, request)
        handover = services.handover_decline(
            actor=actor_of(request), handover=handover, reason=data["reason"]
        )
        return Response(HandoverSerializer(handover).data)


class HandoverWithdrawView(HandoverActionView):
    @extend_schema(
        operation_id="cases_handovers_withdraw",
        summary="Withdraw an open offer (lead)",
        request=None,
        responses={200: HandoverSerializer, **WRITE_ERRORS},
    )
    def post(self, request, public_id, pk):
        handover = self._handover(request, public_id, pk)
        handover = services.handover_withdraw(actor=actor_of(request), handover=handover)
        return Response(HandoverSerializer(handover).data)
