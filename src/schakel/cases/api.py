"""REST API for cases under /api/v1/cases/. Thin: the same selectors and services as the web, so
the same rules: a non-member gets 404 for the case and everything under it; a stale edit gets
409 with the stored version; a transfer the privacy gate refuses gets 403 with the reasons.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from schakel.accounts.models import Membership, Organisation
from schakel.accounts.permissions import can, ensure_can
from schakel.api.actor import actor_of
from schakel.api.components import ProblemSerializer
from schakel.api.problems import PROBLEM_BASE, problem_response

from . import selectors, services, sources
from .display import task_title
from .models import (
    AftercarePlan,
    Case,
    Event,
    Handover,
    Involvement,
    Meeting,
    MemberRole,
    PlacementKind,
    Referral,
    ResidenceStatus,
    Task,
)
from .rules import case_rules

PROBLEM = "application/problem+json"
NOT_FOUND = {(404, PROBLEM): ProblemSerializer}
INVALID = {(400, PROBLEM): ProblemSerializer}
FORBIDDEN = {(403, PROBLEM): ProblemSerializer}
CONFLICT = {(409, PROBLEM): ProblemSerializer}
WRITE_ERRORS = {**INVALID, **FORBIDDEN, **NOT_FOUND}
EDIT_ERRORS = {**WRITE_ERRORS, **CONFLICT}


def _conflict(conflict: services.StaleEdit) -> Response:
    response = problem_response(
        status.HTTP_409_CONFLICT,
        _("Conflict."),
        _(
            "Dit is gewijzigd nadat u het las. Er is niets opgeslagen. Lees het opnieuw en "
            "herhaal uw wijziging."
        ),
    )
    response.data["type"] = PROBLEM_BASE + "conflict"
    response.data["current_version"] = conflict.current_version
    return response


def _refused(error) -> Response:
    response = problem_response(
        status.HTTP_403_FORBIDDEN,
        _("Delen mag niet."),
        " ".join(getattr(error, "reasons", []) or [str(error)]),
    )
    response.data["type"] = PROBLEM_BASE + "sharing-not-allowed"
    response.data["reasons"] = list(getattr(error, "reasons", []))
    response.data["hints"] = list(getattr(error, "hints", []))
    return response


def _run(service, **kwargs):
    """Call a service; (result, None) or (None, a 409 / 403 response)."""
    try:
        return service(**kwargs), None
    except services.StaleEdit as conflict:
        return None, _conflict(conflict)
    except sources.sharing_not_allowed() as error:
        return None, _refused(error)


def _valid(serializer_class, request, **kwargs) -> dict:
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _manage(case: Case) -> None:
    if not case.access.can_manage:
        raise PermissionDenied("case.manage")


def _case(request, public_id) -> Case:
    return selectors.case_get_for(actor=actor_of(request), public_id=public_id)


def _person_name(case: Case):
    return case.person.display_name if case.access.sees_identity else None


def _one_of(choices, **kwargs) -> serializers.CharField:
    """A code from a fixed list, as a plain string; the service checks it and names the field.

    Not an enum in the schema: the same field names (status, kind, role) carry different lists
    in different components of the whole API, and enum components with one name would collide.
    """
    values = ", ".join(repr(value) if value == "" else value for value, _label in choices)
    help_text = kwargs.pop("help_text", "")
    text = f"One of: {values}."
    return serializers.CharField(help_text=f"{help_text} {text}".strip(), **kwargs)


# -- serializers ------------------------------------------------------------------------------


class PersonRefSerializer(serializers.Serializer):
    name = serializers.CharField()
    organisation = serializers.CharField()


def _who(membership: Membership | None) -> dict | None:
    if membership is None:
        return None
    return {
        "name": membership.user.full_name or membership.user.email,
        "organisation": membership.organisation.name,
    }


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


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=0, help_text="The version you read; a stale version answers 409."
    )


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


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


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


class TaskSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = _one_of(Task.Kind.choices)
    title = serializers.SerializerMethodField()
    description = serializers.CharField()
    owner = serializers.SerializerMethodField()
    due_on = serializers.DateField()
    overdue = serializers.BooleanField()
    status = _one_of(Task.Status.choices)
    checklist = serializers.DictField(child=serializers.BooleanField())
    meeting = serializers.IntegerField(source="meeting_id", allow_null=True)
    done_on = serializers.DateField(allow_null=True)
    version = serializers.IntegerField()

    def get_title(self, task) -> str:
        return task_title(task)

    def get_owner(self, task) -> PersonRefSerializer:
        return _who(task.owner)


class MyTaskSerializer(TaskSerializer):
    case = serializers.UUIDField(source="case.public_id")
    case_reference = serializers.CharField(source="case.reference")


class TaskCreateSerializer(serializers.Serializer):
    title = serializers.CharField(allow_blank=True)
    owner = serializers.IntegerField(help_text="The id of a member of the case.")
    due_on = serializers.DateField()
    description = serializers.CharField(required=False, allow_blank=True, default="")
    meeting = serializers.IntegerField(required=False, allow_null=True, default=None)


class TaskPatchSerializer(VersionSerializer):
    status = _one_of(Task.Status.choices, required=False)
    checklist = serializers.DictField(child=serializers.BooleanField(), required=False)
    due_on = serializers.DateField(required=False)
    owner = serializers.IntegerField(required=False, help_text="The id of a member of the case.")


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


# -- views: cases -----------------------------------------------------------------------------


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
        case, refused = _run(
            services.case_create,
            actor=actor,
            person=person,
            involvement=data["involvement"],
            backup=backup,
            forms=data["forms"],
            help_question=data["help_question"],
        )
        if refused:
            return refused
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
        updated, problem = _run(
            services.case_update,
            actor=actor_of(request),
            case=case,
            expected_version=version,
            **data,
        )
        if problem:
            return problem
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
        _result, problem = _run(
            services.case_close,
            actor=actor_of(request),
            case=case,
            expected_version=data["version"],
            reason=data["reason"],
            closed_on=data["closed_on"],
            no_aftercare_reason=data["no_aftercare_reason"],
        )
        if problem:
            return problem
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
        _result, problem = _run(
            services.case_reopen,
            actor=actor_of(request),
            case=case,
            expected_version=data["version"],
            reason=data["reason"],
        )
        if problem:
            return problem
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
        _result, problem = _run(
            services.case_backup_set,
            actor=actor,
            case=case,
            member=member,
            expected_version=data["version"],
        )
        if problem:
            return problem
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
        _result, problem = _run(
            services.residence_update,
            actor=actor_of(request),
            case=case,
            expected_version=version,
            **data,
        )
        if problem:
            return problem
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


class MyTasksView(APIView):
    @extend_schema(
        operation_id="cases_my_tasks",
        summary="Your open tasks in your cases, overdue first",
        responses={200: MyTaskSerializer(many=True), **NOT_FOUND},
    )
    def get(self, request):
        actor = actor_of(request)
        if not can(actor, "case.view"):
            raise Http404
        tasks = selectors.my_tasks_for(actor=actor)
        return Response(MyTaskSerializer(tasks, many=True).data)


# -- views: timeline --------------------------------------------------------------------------


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


# -- views: members and handovers -------------------------------------------------------------


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
        member, problem = _run(
            services.case_member_add,
            actor=actor,
            case=case,
            membership=membership,
            role=data["role"],
            lvb_expertise=data["lvb_expertise"],
            data_categories=data["data_categories"],
        )
        if problem:
            return problem
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
        _result, problem = _run(
            services.case_member_update,
            actor=actor,
            case=case,
            member=member,
            expected_version=version,
            **data,
        )
        if problem:
            return problem
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
        _result, problem = _run(services.case_member_recheck, actor=actor, case=case, member=member)
        if problem:
            return problem
        return Response(MemberSerializer(_member_out(actor, case, member.pk)).data)


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
        handover, problem = _run(
            services.handover_offer,
            actor=actor,
            case=case,
            to_member=to_member,
            new_backup=new_backup,
            message=data["message"],
        )
        if problem:
            return problem
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


# -- views: referrals and placements ----------------------------------------------------------


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
        referral, problem = _run(
            services.referral_create, actor=actor, case=case, offer=offer, **data
        )
        if problem:
            return problem
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
        _result, problem = _run(
            services.referral_transition,
            actor=actor,
            case=case,
            referral=referral,
            action=data["action"],
            expected_version=data["version"],
            on=data["on"],
            reason=data["reason"],
        )
        if problem:
            return problem
        referral = selectors.referral_get_for(actor=actor, case=case, pk=pk)
        body = ReferralSerializer(referral).data
        options = []
        if referral.status == Referral.Status.DECLINED and case.access.can_manage:
            options = selectors.referral_options_for(
                actor=actor, case=case, need=referral.need, limit=5
            )
        body["next_options"] = OptionSerializer(options, many=True).data
        return Response(body)


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
        result, problem = _run(
            services.placement_end,
            actor=actor,
            case=case,
            placement=placement,
            expected_version=data["version"],
            ended_on=data["ended_on"],
            reason=data["end_reason"],
        )
        if problem:
            return problem
        return Response(PlacementSerializer(result).data)


# -- views: meetings and tasks ----------------------------------------------------------------


def _participants(actor, case, ids):
    members = {m.pk: m for m in selectors.members_for(actor=actor, case=case)}
    chosen = []
    for pk in ids or []:
        if pk not in members:
            raise ValidationError({"participants": _("Kies alleen leden van deze casus.")})
        chosen.append(members[pk])
    return chosen


def _member_membership(actor, case, pk, field):
    try:
        return selectors.member_get_for(actor=actor, case=case, pk=pk).membership
    except Http404:
        raise ValidationError({field: _("Kies een lid van de casus.")}) from None


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
        _result, problem = _run(
            services.meeting_update,
            actor=actor,
            case=case,
            meeting=meeting,
            expected_version=version,
            participants=participants,
            **data,
        )
        if problem:
            return problem
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


def _today():
    from django.utils import timezone

    return timezone.localdate()


class TaskListView(APIView):
    @extend_schema(
        operation_id="cases_tasks_list",
        summary="Tasks of the case, open ones first",
        responses={200: TaskSerializer(many=True), **NOT_FOUND},
    )
    def get(self, request, public_id):
        case = _case(request, public_id)
        tasks = selectors.tasks_for(actor=actor_of(request), case=case)
        return Response(TaskSerializer(tasks, many=True).data)

    @extend_schema(
        operation_id="cases_tasks_create",
        summary="Make an agreement a task (lead or backup)",
        request=TaskCreateSerializer,
        responses={201: TaskSerializer, **WRITE_ERRORS},
    )
    def post(self, request, public_id):
        actor = actor_of(request)
        case = _case(request, public_id)
        _manage(case)
        data = _valid(TaskCreateSerializer, request)
        owner = _member_membership(actor, case, data.pop("owner"), "owner")
        meeting = None
        if data["meeting"] is not None:
            try:
                meeting = selectors.meeting_get_for(actor=actor, case=case, pk=data["meeting"])
            except Http404:
                raise ValidationError({"meeting": _("Kies een overleg van deze casus.")}) from None
        data["meeting"] = meeting
        task = services.task_create(actor=actor, case=case, owner=owner, **data)
        task = selectors.task_get_for(actor=actor, case=case, pk=task.pk)
        return Response(TaskSerializer(task).data, status=status.HTTP_201_CREATED)


class TaskDetailView(APIView):
    @extend_schema(
        operation_id="cases_tasks_retrieve",
        summary="One task",
        responses={200: TaskSerializer, **NOT_FOUND},
    )
    def get(self, request, public_id, pk):
        case = _case(request, public_id)
        task = selectors.task_get_for(actor=actor_of(request), case=case, pk=pk)
        return Response(TaskSerializer(task).data)

    @extend_schema(
        operation_id="cases_tasks_partial_update",
        summary="Update status or checklist (owner, lead, backup); due date, owner (lead, backup)",
        request=TaskPatchSerializer,
        responses={200: TaskSerializer, **EDIT_ERRORS},
    )
    def patch(self, request, public_id, pk):
        actor = actor_of(request)
        case = _case(request, public_id)
        task = selectors.task_get_for(actor=actor, case=case, pk=pk)
        data = _valid(TaskPatchSerializer, request)
        version = data.pop("version")
        if "owner" in data:
            data["owner"] = _member_membership(actor, case, data["owner"], "owner")
        _result, problem = _run(
            services.task_update,
            actor=actor,
            case=case,
            task=task,
            expected_version=version,
            **data,
        )
        if problem:
            return problem
        task = selectors.task_get_for(actor=actor, case=case, pk=pk)
        return Response(TaskSerializer(task).data)


# -- views: aftercare and the crisis card -----------------------------------------------------


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
        plan, problem = _run(
            services.aftercare_plan_save,
            actor=actor_of(request),
            case=case,
            expected_version=version,
            **data,
        )
        if problem:
            return problem
        return Response(AftercareSerializer(plan).data)


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
        card, problem = _run(
            services.crisis_card_save,
            actor=actor_of(request),
            case=case,
            expected_version=version,
            **data,
        )
        if problem:
            return problem
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
        share, problem = _run(
            services.crisis_card_share,
            actor=actor_of(request),
            case=case,
            recipient=recipient,
            override_reason=data["override_reason"],
        )
        if problem:
            return problem
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
