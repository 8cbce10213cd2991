"""The crisis card: write, share with the police, stop sharing; the cards you received."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from schakel.accounts.models import Organisation
from schakel.accounts.permissions import can
from schakel.api.actor import actor_of

from .. import selectors, services
from ._common import (
    EDIT_ERRORS,
    FORBIDDEN,
    NOT_FOUND,
    WRITE_ERRORS,
    VersionSerializer,
    _case,
    _valid,
)


class CrisisCardSerializer(serializers.Serializer):
    call_first = serializers.CharField()
    legal_representative = serializers.CharField()
    financial_administrator = serializers.CharField()
    what_helps = serializers.CharField()
    what_does_not_help = serializers.CharField()
    communication = serializers.CharField()
    agreed_by_person = serializers.BooleanField()
    agreed_on = serializers.DateField(allow_null=True)
    version = serializers.IntegerField()


class CrisisCardWriteSerializer(VersionSerializer):
    call_first = serializers.CharField(allow_blank=True)
    legal_representative = serializers.CharField(required=False, allow_blank=True, default="")
    financial_administrator = serializers.CharField(required=False, allow_blank=True, default="")
    what_helps = serializers.CharField(required=False, allow_blank=True, default="")
    what_does_not_help = serializers.CharField(required=False, allow_blank=True, default="")
    communication = serializers.CharField(required=False, allow_blank=True, default="")
    agreed_by_person = serializers.BooleanField(default=False)


class ShareSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    recipient = serializers.CharField(source="recipient.name")
    shared_at = serializers.DateTimeField()
    card_version = serializers.IntegerField()
    revoked_at = serializers.DateTimeField(allow_null=True)


class ShareCreateSerializer(serializers.Serializer):
    recipient = serializers.IntegerField(help_text="The id of a police organisation.")
    override_reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReceivedCardSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    shared_at = serializers.DateTimeField()
    shared_by_organisation = serializers.CharField(source="card.case.organisation.name")
    card = serializers.DictField(source="snapshot")


class CrisisCardView(APIView):
    @extend_schema(
        operation_id="cases_crisis_card_retrieve",
        summary="The crisis card (404 when there is none yet)",
        responses={200: CrisisCardSerializer, **NOT_FOUND, **FORBIDDEN},
    )
    def get(self, request, public_id):
        case = _case(request, public_id)
        card = selectors.crisis_card_for(actor=actor_of(request), case=case)
        if card is None:
            raise Http404
        return Response(CrisisCardSerializer(card).data)

    @extend_schema(
        operation_id="cases_crisis_card_update",
        summary="Write the crisis card (version 0 for a new card)",
        request=CrisisCardWriteSerializer,
        responses={200: CrisisCardSerializer, **EDIT_ERRORS},
    )
    def put(self, request, public_id):
        case = _case(request, public_id)
        data = _valid(CrisisCardWriteSerializer, request)
        version = data.pop("version")
        card = services.crisis_card_save(
            actor=actor_of(request),
            case=case,
            expected_version=version,
            **data,
        )
        return Response(CrisisCardSerializer(card).data)


class CrisisCardShareListView(APIView):
    @extend_schema(
        operation_id="cases_crisis_card_shares_list",
        summary="Where the crisis card was shared",
        responses={200: ShareSerializer(many=True), **NOT_FOUND, **FORBIDDEN},
    )
    def get(self, request, public_id):
        case = _case(request, public_id)
        shares = selectors.crisis_card_shares_of(actor=actor_of(request), case=case)
        return Response(ShareSerializer(shares, many=True).data)

    @extend_schema(
        operation_id="cases_crisis_card_shares_create",
        summary="Share the agreed crisis card with the police (through the gate)",
        request=ShareCreateSerializer,
        responses={201: ShareSerializer, **WRITE_ERRORS},
    )
    def post(self, request, public_id):
        case = _case(request, public_id)
        data = _valid(ShareCreateSerializer, request)
        recipient = Organisation.objects.filter(pk=data["recipient"]).first()
        share = services.crisis_card_share(
            actor=actor_of(request),
            case=case,
            recipient=recipient,
            override_reason=data["override_reason"],
        )
        return Response(ShareSerializer(share).data, status=status.HTTP_201_CREATED)


class CrisisCardShareRevokeView(APIView):
    @extend_schema(
        operation_id="cases_crisis_card_shares_revoke",
        summary="Stop sharing the crisis card with this recipient",
        request=None,
        responses={200: ShareSerializer, **WRITE_ERRORS},
    )
    def post(self, request, public_id, pk):
        actor = actor_of(request)
        case = _case(request, public_id)
        share = selectors.crisis_card_share_get_for(actor=actor, case=case, pk=pk)
        share = services.crisis_card_share_revoke(actor=actor, case=case, share=share)
        return Response(ShareSerializer(share).data)


class ReceivedCardListView(APIView):
    @extend_schema(
        operation_id="cases_crisis_cards_received_list",
        summary="Crisis cards shared with your organisation (the police)",
        responses={200: ReceivedCardSerializer(many=True), **NOT_FOUND},
    )
    def get(self, request):
        actor = actor_of(request)
        if not can(actor, "case.view"):
            raise Http404
        shares = selectors.crisis_cards_received_for(actor=actor)
        return Response(ReceivedCardSerializer(shares, many=True).data)


class ReceivedCardDetailView(APIView):
    @extend_schema(
        operation_id="cases_crisis_cards_received_retrieve",
        summary="One crisis card shared with your organisation",
        responses={200: ReceivedCardSerializer, **NOT_FOUND},
    )
    def get(self, request, public_id):
        share = selectors.crisis_card_received_get_for(actor=actor_of(request), public_id=public_id)
        return Response(ReceivedCardSerializer(share).data)
