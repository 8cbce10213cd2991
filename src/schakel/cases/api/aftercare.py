"""The aftercare plan."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from schakel.api.actor import actor_of

from .. import selectors, services
from ..models import AftercarePlan
from ..rules import case_rules
from ._common import EDIT_ERRORS, FORBIDDEN, NOT_FOUND, VersionSerializer, _case, _one_of, _valid


class DomainSerializer(serializers.Serializer):
    situation = serializers.CharField(required=False, allow_blank=True, default="")
    goal = serializers.CharField(required=False, allow_blank=True, default="")


class AftercareSerializer(serializers.Serializer):
    domains = serializers.DictField(child=DomainSerializer())
    coach_kind = _one_of(AftercarePlan.CoachKind.choices, allow_blank=True)
    coach_name = serializers.CharField(allow_blank=True)
    coach_contact = serializers.CharField(allow_blank=True)
    notes = serializers.CharField(allow_blank=True)
    version = serializers.IntegerField()
    follow_up_months = serializers.SerializerMethodField()

    def get_follow_up_months(self, plan) -> list[int]:
        return list(case_rules().follow_up_months)


class AftercareWriteSerializer(VersionSerializer):
    domains = serializers.DictField(child=DomainSerializer(), required=False, default=dict)
    coach_kind = _one_of(
        AftercarePlan.CoachKind.choices, required=False, allow_blank=True, default=""
    )
    coach_name = serializers.CharField(required=False, allow_blank=True, default="")
    coach_contact = serializers.CharField(required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class AftercareView(APIView):
    @extend_schema(
        operation_id="cases_aftercare_retrieve",
        summary="The aftercare plan (404 when there is none yet)",
        responses={200: AftercareSerializer, **NOT_FOUND, **FORBIDDEN},
    )
    def get(self, request, public_id):
        case = _case(request, public_id)
        plan = selectors.aftercare_for(actor=actor_of(request), case=case)
        if plan is None:
            raise Http404
        return Response(AftercareSerializer(plan).data)

    @extend_schema(
        operation_id="cases_aftercare_update",
        summary="Write the aftercare plan (version 0 for a new plan)",
        request=AftercareWriteSerializer,
        responses={200: AftercareSerializer, **EDIT_ERRORS},
    )
    def put(self, request, public_id):
        case = _case(request, public_id)
        data = _valid(AftercareWriteSerializer, request)
        version = data.pop("version")
        plan = services.aftercare_plan_save(
            actor=actor_of(request),
            case=case,
            expected_version=version,
            **data,
        )
        return Response(AftercareSerializer(plan).data)
