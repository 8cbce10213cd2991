"""The case: list, start, read, change, close, reopen, backup, residence, figures."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from schakel.accounts.models import Membership
from schakel.accounts.permissions import can, ensure_can
from schakel.api.actor import actor_of

from .. import selectors, services
from ..models import Case, Involvement, ResidenceStatus
from ..rules import case_rules
from ._common import (
    EDIT_ERRORS,
    NOT_FOUND,
    WRITE_ERRORS,
    PersonRefSerializer,
    VersionSerializer,
    _case,
    _one_of,
    _person_name,
    _valid,
    _who,
)


class CaseSummarySerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    url = serializers.SerializerMethodField()
    reference = serializers.CharField()
    status = _one_of(Case.Status.choices)
    involvement = _one_of(Involvement.choices)
    person_name = serializers.SerializerMethodField(
        help_text="null when the person's name is not shared with your organisation."
    )
    lead = serializers.SerializerMethodField()
    backup = serializers.SerializerMethodField()
    your_role = serializers.SerializerMethodField()
    opened_on = serializers.DateField()
    closed_on = serializers.DateField(allow_null=True)
    version = serializers.IntegerField()

    def get_url(self, case) -> str:
        path = reverse("api-case-detail", kwargs={"public_id": case.public_id})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_person_name(self, case) -> str | None:
        return _person_name(case)

    def get_lead(self, case) -> PersonRefSerializer:
        return _who(case.lead)

    def get_backup(self, case) -> PersonRefSerializer:
        return _who(case.backup)

    def get_your_role(self, case) -> str:
        if case.access.is_lead:
            return "lead"
        if case.access.is_backup:
            return "backup"
        return case.access.member.role


class LvbSerializer(serializers.Serializer):
    positive = serializers.BooleanField(help_text="LVB suspected or confirmed: use the guidance.")
    status = serializers.CharField(allow_null=True, help_text="Only with 'lvb-indicatie'.")
    source = serializers.CharField(allow_null=True)
    guidance = serializers.ListField(child=serializers.CharField())


class CaseSerializer(CaseSummarySerializer):
    forms = serializers.ListField(child=serializers.CharField())
    help_question = serializers.SerializerMethodField()
    organisation = serializers.CharField(source="organisation.name")
    data_categories = serializers.SerializerMethodField(help_text="What you may see of this case.")
    lvb = serializers.SerializerMethodField()
    non_punishment = serializers.SerializerMethodField(
        help_text="The non-punishment notice, when the person is victim and perpetrator."
    )
    residence = serializers.SerializerMethodField()
    close_reason = serializers.CharField()

    def get_help_question(self, case) -> str | None:
        return case.help_question if case.access.sees_question else None

    def get_data_categories(self, case) -> list[str]:
        return sorted(case.access.categories)

    def get_lvb(self, case) -> LvbSerializer:
        lvb = selectors.lvb_for(actor=case.access.actor, case=case)
        indication = lvb["indication"]
        return {
            "positive": lvb["positive"],
            "status": indication.status if indication else None,
            "source": indication.source if indication else None,
            "guidance": case_rules().lvb_tips if lvb["positive"] else [],
        }

    def get_non_punishment(self, case) -> str | None:
        return case_rules().non_punishment_text if case.involvement == Involvement.BOTH else None

    def get_residence(self, case) -> dict | None:
        if not case.access.sees_help:
            return None
        return {
            name: (value.isoformat() if hasattr(value, "isoformat") else value)
            for name in services.RESIDENCE_FIELDS
            for value in [getattr(case, name)]
        }


class CaseCreateSerializer(serializers.Serializer):
    person = serializers.UUIDField(help_text="The id of a person of your organisation.")
    involvement = _one_of(Involvement.choices)
    backup = serializers.IntegerField(help_text="The id of a colleague's membership.")
    forms = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    help_question = serializers.CharField(required=False, allow_blank=True, default="")


class CasePatchSerializer(VersionSerializer):
    involvement = _one_of(Involvement.choices, required=False)
    forms = serializers.ListField(child=serializers.CharField(), required=False)
    help_question = serializers.CharField(required=False, allow_blank=True)


class CaseCloseSerializer(VersionSerializer):
    reason = serializers.CharField(allow_blank=True)
    closed_on = serializers.DateField(required=False, allow_null=True, default=None)
    no_aftercare_reason = serializers.CharField(required=False, allow_blank=True, default="")


class CaseReopenSerializer(VersionSerializer):
    reason = serializers.CharField(allow_blank=True)


class BackupSerializer(VersionSerializer):
    member = serializers.IntegerField(help_text="The id of a member of the case.")


class ResidenceSerializer(VersionSerializer):
    foreign_victim = serializers.BooleanField(required=False)
    residence_status = _one_of(ResidenceStatus.choices, required=False, allow_blank=True)
    reflection_start = serializers.DateField(required=False, allow_null=True)
    reflection_end = serializers.DateField(required=False, allow_null=True)
    residence_applied_on = serializers.DateField(required=False, allow_null=True)
    residence_decision = _one_of(Case.ResidenceDecision.choices, required=False, allow_blank=True)
    residence_decision_on = serializers.DateField(required=False, allow_null=True)


class FiguresSerializer(serializers.Serializer):
    organisations = serializers.IntegerField()
    handovers = serializers.IntegerField()
    first_signal = serializers.DateField(allow_null=True)
    first_help = serializers.DateField(allow_null=True)
    days_to_help = serializers.IntegerField(allow_null=True)
    open_tasks = serializers.IntegerField()
    overdue_tasks = serializers.IntegerField()


class OrganisationFiguresSerializer(serializers.Serializer):
    cases_open = serializers.IntegerField()
    cases_closed = serializers.IntegerField()
    organisations_mean = serializers.FloatField(allow_null=True)
    handovers_total = serializers.IntegerField()
    days_to_help_median = serializers.FloatField(allow_null=True)
    days_to_help_known = serializers.IntegerField()
    open_tasks = serializers.IntegerField()
    overdue_tasks = serializers.IntegerField()
    cases_without_help = serializers.IntegerField()


class CaseListView(APIView):
    @extend_schema(
        operation_id="cases_list",
        summary="The cases you are a member of",
        parameters=[OpenApiParameter("status", str, enum=["open", "closed"])],
        responses={200: CaseSummarySerializer(many=True), **NOT_FOUND},
    )
    def get(self, request):
        actor = actor_of(request)
        if not can(actor, "case.view"):
            raise Http404
        cases = selectors.case_list_for(actor=actor, status=request.query_params.get("status"))
        return Response(CaseSummarySerializer(cases, many=True, context={"request": request}).data)

    @extend_schema(
        operation_id="cases_create",
        summary="Start a case for a person of your organisation; you become the lead",
        request=CaseCreateSerializer,
        responses={201: CaseSerializer, **WRITE_ERRORS},
    )
    def post(self, request):
        from schakel.people.selectors import person_get_for

        actor = actor_of(request)
        ensure_can(actor, "case.create")
        data = _valid(CaseCreateSerializer, request)
        try:
            person = person_get_for(actor=actor, public_id=data["person"])
        except Http404:
            raise ValidationError({"person": _("Kies een persoon van uw organisatie.")}) from None
        backup = Membership.objects.filter(pk=data["backup"]).select_related("user").first()
        case = services.case_create(
            actor=actor,
            person=person,
            involvement=data["involvement"],
            backup=backup,
            forms=data["forms"],
            help_question=data["help_question"],
        )
        case = selectors.case_get_for(actor=actor, public_id=case.public_id)
        body = CaseSerializer(case, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": body["url"]})


class CaseDetailView(APIView):
    @extend_schema(
        operation_id="cases_retrieve",
        summary="One case (what you may see of it)",
        responses={200: CaseSerializer, **NOT_FOUND},
    )
    def get(self, request, public_id):
        case = _case(request, public_id)
        return Response(CaseSerializer(case, context={"request": request}).data)

    @extend_schema(
        operation_id="cases_partial_update",
        summary="Change what the case is about (lead or backup); send the version you read",
        request=CasePatchSerializer,
        responses={200: CaseSerializer, **EDIT_ERRORS},
    )
    def patch(self, request, public_id):
        case = _case(request, public_id)
        data = _valid(CasePatchSerializer, request)
        version = data.pop("version")
        services.case_update(
            actor=actor_of(request),
            case=case,
            expected_version=version,
            **data,
        )
        case = _case(request, public_id)
        return Response(CaseSerializer(case, context={"request": request}).data)


class CaseCloseView(APIView):
    @extend_schema(
        operation_id="cases_close",
        summary="Close the case (lead); plans the aftercare follow-ups",
        request=CaseCloseSerializer,
        responses={200: CaseSerializer, **EDIT_ERRORS},
    )
    def post(self, request, public_id):
        case = _case(request, public_id)
        data = _valid(CaseCloseSerializer, request)
        services.case_close(
            actor=actor_of(request),
            case=case,
            expected_version=data["version"],
            reason=data["reason"],
            closed_on=data["closed_on"],
            no_aftercare_reason=data["no_aftercare_reason"],
        )
        case = _case(request, public_id)
        return Response(CaseSerializer(case, context={"request": request}).data)


class CaseReopenView(APIView):
    @extend_schema(
        operation_id="cases_reopen",
        summary="Open a closed case again (lead)",
        request=CaseReopenSerializer,
        responses={200: CaseSerializer, **EDIT_ERRORS},
    )
    def post(self, request, public_id):
        case = _case(request, public_id)
        data = _valid(CaseReopenSerializer, request)
        services.case_reopen(
            actor=actor_of(request),
            case=case,
            expected_version=data["version"],
            reason=data["reason"],
        )
        case = _case(request, public_id)
        return Response(CaseSerializer(case, context={"request": request}).data)


class CaseBackupView(APIView):
    @extend_schema(
        operation_id="cases_backup_set",
        summary="Name another member as the backup (lead)",
        request=BackupSerializer,
        responses={200: CaseSerializer, **EDIT_ERRORS},
    )
    def post(self, request, public_id):
        actor = actor_of(request)
        case = _case(request, public_id)
        data = _valid(BackupSerializer, request)
        try:
            member = selectors.member_get_for(actor=actor, case=case, pk=data["member"])
        except Http404:
            raise ValidationError({"member": _("Kies een lid van de casus.")}) from None
        services.case_backup_set(
            actor=actor,
            case=case,
            member=member,
            expected_version=data["version"],
        )
        case = _case(request, public_id)
        return Response(CaseSerializer(case, context={"request": request}).data)


class CaseResidenceView(APIView):
    @extend_schema(
        operation_id="cases_residence_update",
        summary="Residence of a foreign victim: status, reflection period, application",
        request=ResidenceSerializer,
        responses={200: CaseSerializer, **EDIT_ERRORS},
    )
    def put(self, request, public_id):
        case = _case(request, public_id)
        data = _valid(ResidenceSerializer, request)
        version = data.pop("version")
        services.residence_update(
            actor=actor_of(request),
            case=case,
            expected_version=version,
            **data,
        )
        case = _case(request, public_id)
        return Response(CaseSerializer(case, context={"request": request}).data)


class CaseFiguresView(APIView):
    @extend_schema(
        operation_id="cases_figures",
        summary="Figures of one case",
        responses={200: FiguresSerializer, **NOT_FOUND},
    )
    def get(self, request, public_id):
        case = _case(request, public_id)
        figures = selectors.case_figures(actor=actor_of(request), case=case)
        return Response(FiguresSerializer(figures).data)


class OrganisationFiguresView(APIView):
    @extend_schema(
        operation_id="cases_figures_organisation",
        summary="Totals over your organisation's cases (for managers; no personal data)",
        responses={200: OrganisationFiguresSerializer, **NOT_FOUND},
    )
    def get(self, request):
        figures = selectors.organisation_figures_for(actor=actor_of(request))
        return Response(OrganisationFiguresSerializer(figures).data)
