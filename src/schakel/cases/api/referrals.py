"""Referrals to the wegwijzer: list, refer, the next options, the steps they take."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from schakel.api.actor import actor_of

from .. import selectors, services, sources
from ..models import Referral
from ._common import (
    EDIT_ERRORS,
    FORBIDDEN,
    NOT_FOUND,
    WRITE_ERRORS,
    VersionSerializer,
    _case,
    _manage,
    _one_of,
    _valid,
)


class ReferralSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    offer = serializers.CharField(source="offer_key")
    offer_name = serializers.CharField()
    provider_name = serializers.CharField()
    need = serializers.CharField()
    status = _one_of(Referral.Status.choices)
    requested_on = serializers.DateField()
    accepted_on = serializers.DateField(allow_null=True)
    declined_on = serializers.DateField(allow_null=True)
    started_on = serializers.DateField(allow_null=True)
    ended_on = serializers.DateField(allow_null=True)
    decline_reason = serializers.CharField()
    end_reason = serializers.CharField()
    note = serializers.CharField()
    waiting_days = serializers.IntegerField(allow_null=True)
    actions = serializers.ListField(child=serializers.CharField())
    shared_with = serializers.SerializerMethodField()
    version = serializers.IntegerField()

    def get_shared_with(self, referral) -> str | None:
        return referral.recipient.name if referral.basis_id and referral.recipient else None


class OptionSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    provider_name = serializers.CharField()
    fit = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())
    notes = serializers.ListField(child=serializers.CharField())
    waiting_weeks = serializers.IntegerField(allow_null=True)
    free_places = serializers.IntegerField(allow_null=True)


class ReferralTransitionResultSerializer(ReferralSerializer):
    next_options = OptionSerializer(many=True, help_text="After a decline: what to try next.")


class ReferralCreateSerializer(serializers.Serializer):
    offer = serializers.CharField(help_text="The key of a wegwijzer offer.")
    need = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    data_categories = serializers.ListField(
        child=serializers.CharField(), required=False, default=None, allow_null=True
    )
    override_reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReferralTransitionSerializer(VersionSerializer):
    action = _one_of([(key, key) for key in services.REFERRAL_STEPS])
    on = serializers.DateField(required=False, allow_null=True, default=None)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReferralListView(APIView):
    @extend_schema(
        operation_id="cases_referrals_list",
        summary="Referrals of the case, with the waiting time",
        responses={200: ReferralSerializer(many=True), **NOT_FOUND, **FORBIDDEN},
    )
    def get(self, request, public_id):
        case = _case(request, public_id)
        referrals = selectors.referrals_for(actor=actor_of(request), case=case)
        return Response(ReferralSerializer(referrals, many=True).data)

    @extend_schema(
        operation_id="cases_referrals_create",
        summary="Refer to a wegwijzer offer (lead or backup); data passes the gate",
        request=ReferralCreateSerializer,
        responses={201: ReferralSerializer, **WRITE_ERRORS},
    )
    def post(self, request, public_id):
        actor = actor_of(request)
        case = _case(request, public_id)
        _manage(case)
        data = _valid(ReferralCreateSerializer, request)
        try:
            offer = sources.offer_get(data.pop("offer"))
        except Http404:
            raise ValidationError({"offer": _("Kies een aanbod uit de wegwijzer.")}) from None
        referral = services.referral_create(actor=actor, case=case, offer=offer, **data)
        referral = selectors.referral_get_for(actor=actor, case=case, pk=referral.pk)
        return Response(ReferralSerializer(referral).data, status=status.HTTP_201_CREATED)


class ReferralOptionsView(APIView):
    @extend_schema(
        operation_id="cases_referrals_options",
        summary="The wegwijzer's options for this person (offers tried before left out)",
        parameters=[OpenApiParameter("need", str), OpenApiParameter("q", str)],
        responses={200: OptionSerializer(many=True), **NOT_FOUND, **FORBIDDEN},
    )
    def get(self, request, public_id):
        case = _case(request, public_id)
        options = selectors.referral_options_for(
            actor=actor_of(request),
            case=case,
            need=request.query_params.get("need", ""),
            q=request.query_params.get("q", ""),
        )
        return Response(OptionSerializer(options, many=True).data)


class ReferralDetailView(APIView):
    @extend_schema(
        operation_id="cases_referrals_retrieve",
        summary="One referral",
        responses={200: ReferralSerializer, **NOT_FOUND, **FORBIDDEN},
    )
    def get(self, request, public_id, pk):
        case = _case(request, public_id)
        referral = selectors.referral_get_for(actor=actor_of(request), case=case, pk=pk)
        return Response(ReferralSerializer(referral).data)


class ReferralTransitionView(APIView):
    @extend_schema(
        operation_id="cases_referrals_transition",
        summary="Accept, decline (reason), start, end (reason) or withdraw a referral",
        request=ReferralTransitionSerializer,
        responses={200: ReferralTransitionResultSerializer, **EDIT_ERRORS},
    )
    def post(self, request, public_id, pk):
        actor = actor_of(request)
        case = _case(request, public_id)
        referral = selectors.referral_get_for(actor=actor, case=case, pk=pk)
        data = _valid(ReferralTransitionSerializer, request)
        services.referral_transition(
            actor=actor,
            case=case,
            referral=referral,
            action=data["action"],
            expected_version=data["version"],
            on=data["on"],
            reason=data["reason"],
        )
        referral = selectors.referral_get_for(actor=actor, case=case, pk=pk)
        body = ReferralSerializer(referral).data
        options = []
        if referral.status == Referral.Status.DECLINED and case.access.can_manage:
            options = selectors.referral_options_for(
                actor=actor, case=case, need=referral.need, limit=5
            )
        body["next_options"] = OptionSerializer(options, many=True).data
        return Response(body)
