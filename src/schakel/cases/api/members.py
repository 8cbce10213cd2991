"""The team of a case: list, add (through the privacy gate), change, end, recheck."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from schakel.accounts.models import Organisation
from schakel.api.actor import actor_of

from .. import selectors, services
from ..models import MemberRole
from ._common import (
    EDIT_ERRORS,
    NOT_FOUND,
    WRITE_ERRORS,
    ReasonSerializer,
    VersionSerializer,
    _case,
    _manage,
    _one_of,
    _valid,
)


class MemberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.SerializerMethodField()
    organisation = serializers.CharField(source="organisation.name")
    role = _one_of(MemberRole.choices)
    lvb_expertise = serializers.BooleanField()
    data_categories = serializers.ListField(child=serializers.CharField())
    is_lead = serializers.BooleanField()
    is_backup = serializers.BooleanField()
    in_force = serializers.BooleanField(help_text="False: the basis lapsed; no access now.")
    joined_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(allow_null=True)
    version = serializers.IntegerField()

    def get_name(self, member) -> str:
        user = member.membership.user
        return user.full_name or user.email


class MemberCreateSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(help_text="The id of the professional's organisation.")
    email = serializers.EmailField(help_text="The e-mail address the professional logs in with.")
    role = _one_of(MemberRole.choices)
    lvb_expertise = serializers.BooleanField(required=False, default=False)
    data_categories = serializers.ListField(
        child=serializers.CharField(), required=False, default=None, allow_null=True
    )


class MemberPatchSerializer(VersionSerializer):
    role = _one_of(MemberRole.choices, required=False)
    lvb_expertise = serializers.BooleanField(required=False)
    data_categories = serializers.ListField(child=serializers.CharField(), required=False)


class MemberListView(APIView):
    @extend_schema(
        operation_id="cases_members_list",
        summary="Members of the case (`ended=true`: also former members)",
        parameters=[OpenApiParameter("ended", bool)],
        responses={200: MemberSerializer(many=True), **NOT_FOUND},
    )
    def get(self, request, public_id):
        case = _case(request, public_id)
        include = request.query_params.get("ended") in ("1", "true", "True")
        members = selectors.members_for(actor=actor_of(request), case=case, include_ended=include)
        return Response(MemberSerializer(members, many=True).data)

    @extend_schema(
        operation_id="cases_members_create",
        summary="Add a professional (lead or backup); another organisation passes the gate",
        request=MemberCreateSerializer,
        responses={201: MemberSerializer, **WRITE_ERRORS},
    )
    def post(self, request, public_id):
        actor = actor_of(request)
        case = _case(request, public_id)
        _manage(case)
        data = _valid(MemberCreateSerializer, request)
        organisation = Organisation.objects.filter(pk=data["organisation"], is_active=True).first()
        membership = selectors.membership_for_case(organisation=organisation, email=data["email"])
        if membership is None:
            raise ValidationError(
                {
                    "email": _(
                        "Wij vinden bij deze organisatie geen professional met dit e-mailadres."
                    )
                }
            )
        member = services.case_member_add(
            actor=actor,
            case=case,
            membership=membership,
            role=data["role"],
            lvb_expertise=data["lvb_expertise"],
            data_categories=data["data_categories"],
        )
        member = next(m for m in selectors.members_for(actor=actor, case=case) if m.pk == member.pk)
        return Response(MemberSerializer(member).data, status=status.HTTP_201_CREATED)


def _member_out(actor, case, pk):
    return next(
        m for m in selectors.members_for(actor=actor, case=case, include_ended=True) if m.pk == pk
    )


class MemberDetailView(APIView):
    @extend_schema(
        operation_id="cases_members_retrieve",
        summary="One member",
        responses={200: MemberSerializer, **NOT_FOUND},
    )
    def get(self, request, public_id, pk):
        actor = actor_of(request)
        case = _case(request, public_id)
        member = selectors.member_get_for(actor=actor, case=case, pk=pk)
        return Response(MemberSerializer(_member_out(actor, case, member.pk)).data)

    @extend_schema(
        operation_id="cases_members_partial_update",
        summary="Change a member's role, LVB expertise or data (lead or backup)",
        request=MemberPatchSerializer,
        responses={200: MemberSerializer, **EDIT_ERRORS},
    )
    def patch(self, request, public_id, pk):
        actor = actor_of(request)
        case = _case(request, public_id)
        member = selectors.member_get_for(actor=actor, case=case, pk=pk)
        data = _valid(MemberPatchSerializer, request)
        version = data.pop("version")
        services.case_member_update(
            actor=actor,
            case=case,
            member=member,
            expected_version=version,
            **data,
        )
        return Response(MemberSerializer(_member_out(actor, case, member.pk)).data)


class MemberEndView(APIView):
    @extend_schema(
        operation_id="cases_members_end",
        summary="End a membership (lead, backup or the member); access ends at once",
        request=ReasonSerializer,
        responses={200: MemberSerializer, **WRITE_ERRORS},
    )
    def post(self, request, public_id, pk):
        actor = actor_of(request)
        case = _case(request, public_id)
        member = selectors.member_get_for(actor=actor, case=case, pk=pk)
        data = _valid(ReasonSerializer, request)
        ended = services.case_member_end(
            actor=actor, case=case, member=member, reason=data["reason"]
        )
        ended.in_force = False
        ended.is_lead = ended.is_backup = False
        return Response(MemberSerializer(ended).data)


class MemberRecheckView(APIView):
    @extend_schema(
        operation_id="cases_members_recheck",
        summary="Pass the gate again for a member whose basis lapsed",
        request=None,
        responses={200: MemberSerializer, **WRITE_ERRORS},
    )
    def post(self, request, public_id, pk):
        actor = actor_of(request)
        case = _case(request, public_id)
        member = selectors.member_get_for(actor=actor, case=case, pk=pk)
        services.case_member_recheck(actor=actor, case=case, member=member)
        return Response(MemberSerializer(_member_out(actor, case, member.pk)).data)
