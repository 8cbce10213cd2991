"""Placements: list, record, end."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from schakel.api.actor import actor_of

from .. import selectors, services
from ..models import PlacementKind
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


class PlacementSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    provider_name = serializers.CharField()
    kind = _one_of(PlacementKind.choices)
    referral = serializers.IntegerField(source="referral_id", allow_null=True)
    started_on = serializers.DateField()
    ended_on = serializers.DateField(allow_null=True)
    end_reason = serializers.CharField()
    version = serializers.IntegerField()


class PlacementCreateSerializer(serializers.Serializer):
    provider_name = serializers.CharField(allow_blank=True)
    kind = _one_of(PlacementKind.choices)
    started_on = serializers.DateField()
    referral = serializers.IntegerField(required=False, allow_null=True, default=None)


class PlacementEndSerializer(VersionSerializer):
    ended_on = serializers.DateField()
    end_reason = serializers.CharField(allow_blank=True)


class PlacementListView(APIView):
    @extend_schema(
        operation_id="cases_placements_list",
        summary="Placements of the case",
        responses={200: PlacementSerializer(many=True), **NOT_FOUND, **FORBIDDEN},
    )
    def get(self, request, public_id):
        case = _case(request, public_id)
        placements = selectors.placements_for(actor=actor_of(request), case=case)
        return Response(PlacementSerializer(placements, many=True).data)

    @extend_schema(
        operation_id="cases_placements_create",
        summary="Record a placement that started (lead or backup)",
        request=PlacementCreateSerializer,
        responses={201: PlacementSerializer, **WRITE_ERRORS},
    )
    def post(self, request, public_id):
        actor = actor_of(request)
        case = _case(request, public_id)
        _manage(case)
        data = _valid(PlacementCreateSerializer, request)
        referral = None
        referral_id = data.pop("referral")
        if referral_id is not None:
            try:
                referral = selectors.referral_get_for(actor=actor, case=case, pk=referral_id)
            except Http404:
                raise ValidationError(
                    {"referral": _("Kies een verwijzing van deze casus.")}
                ) from None
        placement = services.placement_create(actor=actor, case=case, referral=referral, **data)
        return Response(PlacementSerializer(placement).data, status=status.HTTP_201_CREATED)


class PlacementDetailView(APIView):
    @extend_schema(
        operation_id="cases_placements_retrieve",
        summary="One placement",
        responses={200: PlacementSerializer, **NOT_FOUND, **FORBIDDEN},
    )
    def get(self, request, public_id, pk):
        case = _case(request, public_id)
        placement = selectors.placement_get_for(actor=actor_of(request), case=case, pk=pk)
        return Response(PlacementSerializer(placement).data)

    @extend_schema(
        operation_id="cases_placements_end",
        summary="Record the end of a placement, with the reason",
        request=PlacementEndSerializer,
        responses={200: PlacementSerializer, **EDIT_ERRORS},
    )
    def patch(self, request, public_id, pk):
        actor = actor_of(request)
        case = _case(request, public_id)
        placement = selectors.placement_get_for(actor=actor, case=case, pk=pk)
        data = _valid(PlacementEndSerializer, request)
        result = services.placement_end(
            actor=actor,
            case=case,
            placement=placement,
            expected_version=data["version"],
            ended_on=data["ended_on"],
            reason=data["end_reason"],
        )
        return Response(PlacementSerializer(result).data)
