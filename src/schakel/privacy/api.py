"""REST API for lawful sharing, with the same rules as the web (the same services and selectors).

Errors are application/problem+json. A refusal of the gate answers 403 with type
".../sharing-not-allowed" and the reasons in plain words; asking for the emergency procedure
without the permission answers 403 ".../forbidden" and changes nothing.
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from schakel.accounts.models import Organisation
from schakel.accounts.permissions import can, ensure_can
from schakel.api.actor import actor_of
from schakel.api.components import ProblemSerializer
from schakel.people.selectors import person_get_for

from . import display, rules, selectors, services
from .decision_aid import QUESTIONS
from .models import Consent, GivenBy, SharingBasis, SharingDecision, SubjectRequest
from .reasons import CONSULT_LABELS, render_all
from .sharing_config import sharing_config

PROBLEM = "application/problem+json"
NOT_FOUND = {(404, PROBLEM): ProblemSerializer}
INVALID = {(400, PROBLEM): ProblemSerializer}
FORBIDDEN = {(403, PROBLEM): ProblemSerializer}


def _require(actor, *permissions) -> None:
    if not any(can(actor, p) for p in permissions):
        raise Http404


def _person(actor, value, field="person"):
    try:
        return person_get_for(actor=actor, public_id=value)
    except Http404:
        raise ValidationError({field: _("Kies een persoon van uw organisatie.")}) from None


def _organisation(value, field: str) -> Organisation:
    organisation = Organisation.objects.filter(pk=value, is_active=True).first()
    if organisation is None:
        raise ValidationError({field: _("Kies een organisatie die meedoet.")})
    return organisation


def _organisations(values, field: str) -> list[Organisation]:
    found = {o.pk: o for o in Organisation.objects.filter(pk__in=values or [], is_active=True)}
    if len(found) != len(set(values or [])):
        raise ValidationError({field: _("Kies alleen organisaties die meedoen.")})
    return [found[v] for v in dict.fromkeys(values)]


class KeyList(serializers.ListField):
    child = serializers.CharField(max_length=50)


# -- consents ----------------------------------------------------------------------------------


class ConsentEvidenceFileSerializer(serializers.Serializer):
    """An evidence file (uploaded in the web page); download it there, as the holder."""

    id = serializers.UUIDField(source="public_id")
    file_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    uploaded_at = serializers.DateTimeField()


class ConsentEventSerializer(serializers.Serializer):
    status = serializers.CharField()
    at = serializers.DateTimeField()
    method = serializers.CharField()
    evidence = serializers.CharField()
    understanding_checks = KeyList()
    understanding_note = serializers.CharField()
    note = serializers.CharField()
    by_role = serializers.CharField()
    evidence_files = ConsentEvidenceFileSerializer(source="files.all", many=True)


class ConsentSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    person = serializers.UUIDField(source="person.public_id", read_only=True)
    status = serializers.SerializerMethodField()
    is_valid = serializers.SerializerMethodField()
    given_by = serializers.CharField(read_only=True)
    given_by_name = serializers.CharField(read_only=True)
    purposes = KeyList(read_only=True)
    data_categories = KeyList(read_only=True)
    recipient_organisations = serializers.SerializerMethodField()
    recipient_kinds = KeyList(read_only=True)
    valid_from = serializers.DateField(read_only=True)
    valid_until = serializers.DateField(read_only=True)
    note = serializers.CharField(read_only=True)
    renews = serializers.SerializerMethodField()
    recorded_at = serializers.DateTimeField(read_only=True)
    history = ConsentEventSerializer(source="events.all", many=True, read_only=True)

    def _state(self, consent):
        if not hasattr(consent, "state"):
            consent.state = selectors.consent_state(consent)
        return consent.state

    def get_status(self, consent) -> str:
        return self._state(consent)["status"]

    def get_is_valid(self, consent) -> bool:
        return self._state(consent)["is_valid"]

    def get_recipient_organisations(self, consent) -> list[int]:
        return [o.pk for o in consent.recipient_organisations.all()]

    def get_renews(self, consent) -> str | None:
        return str(consent.renews.public_id) if consent.renews_id else None


class GivenDetailsSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=Consent.Method.choices, required=False, default="")
    evidence = serializers.CharField(required=False, allow_blank=True, default="")
    understanding_checks = KeyList(required=False, default=list)
    understanding_note = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ConsentWriteSerializer(GivenDetailsSerializer):
    person = serializers.UUIDField()
    given_by = serializers.ChoiceField(choices=GivenBy.choices)
    given_by_name = serializers.CharField(required=False, allow_blank=True, default="")
    purposes = KeyList()
    data_categories = KeyList()
    recipient_organisations = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list
    )
    recipient_kinds = KeyList(required=False, default=list)
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()
    status = serializers.CharField(
        required=False,
        default=Consent.Status.GIVEN,
        help_text="requested (only asked) or given (default; then method, evidence and "
        "understanding_checks are required).",
    )


class ConsentRenewSerializer(GivenDetailsSerializer):
    valid_until = serializers.DateField()


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ConsentListView(APIView):
    @extend_schema(
        operation_id="consents_list",
        summary="Consents held by your organisation (of one person with ?person=)",
        parameters=[OpenApiParameter("person", str, description="A person's id (UUID).")],
        responses={200: ConsentSerializer(many=True), **NOT_FOUND},
    )
    def get(self, request):
        actor = actor_of(request)
        _require(actor, "consent.record", "sharing.decide")
        person = None
        if request.query_params.get("person"):
            person = person_get_for(actor=actor, public_id=request.query_params["person"])
        consents = selectors.consent_list_for(actor=actor, person=person)
        return Response(ConsentSerializer(consents, many=True).data)

    @extend_schema(
        operation_id="consents_create",
        summary="Record a consent (requested, or given with evidence and how it was explained)",
        request=ConsentWriteSerializer,
        responses={201: ConsentSerializer, **INVALID, **FORBIDDEN},
    )
    def post(self, request):
        actor = actor_of(request)
        ensure_can(actor, "consent.record")
        serializer = ConsentWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["person"] = _person(actor, data["person"])
        data["recipient_organisations"] = _organisations(
            data["recipient_organisations"], "recipient_organisations"
        )
        consent = services.consent_record(actor=actor, **data)
        consent = selectors.consent_get_for(actor=actor, public_id=consent.public_id)
        return Response(ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)


class ConsentDetailView(APIView):
    @extend_schema(
        operation_id="consents_retrieve",
        summary="One consent with its status history",
        responses={200: ConsentSerializer, **NOT_FOUND},
    )
    def get(self, request, public_id):
        consent = selectors.consent_get_for(actor=actor_of(request), public_id=public_id)
        return Response(ConsentSerializer(consent).data)


def _consent_step(request, public_id, action: str, serializer_class):
    actor = actor_of(request)
    consent = selectors.consent_get_for(actor=actor, public_id=public_id)
    ensure_can(actor, "consent.record")
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    code = status.HTTP_200_OK
    if action == "give":
        services.consent_give(actor=actor, consent=consent, **data)
    elif action == "refuse":
        services.consent_refuse(actor=actor, consent=consent, **data)
    elif action == "withdraw":
        services.consent_withdraw(actor=actor, consent=consent, **data)
    else:
        consent = services.consent_renew(actor=actor, consent=consent, **data)
        code = status.HTTP_201_CREATED
    consent = selectors.consent_get_for(actor=actor, public_id=consent.public_id)
    return Response(ConsentSerializer(consent).data, status=code)


STEP_ERRORS = {**INVALID, **FORBIDDEN, **NOT_FOUND}


class ConsentGiveView(APIView):
    @extend_schema(
        operation_id="consents_give",
        summary="A requested consent is given (with evidence and how it was explained)",
        request=GivenDetailsSerializer,
        responses={200: ConsentSerializer, **STEP_ERRORS},
    )
    def post(self, request, public_id):
        return _consent_step(request, public_id, "give", GivenDetailsSerializer)


class ConsentRefuseView(APIView):
    @extend_schema(
        operation_id="consents_refuse",
        summary="A requested consent is refused",
        request=NoteSerializer,
        responses={200: ConsentSerializer, **STEP_ERRORS},
    )
    def post(self, request, public_id):
        return _consent_step(request, public_id, "refuse", NoteSerializer)


class ConsentWithdrawView(APIView):
    @extend_schema(
        operation_id="consents_withdraw",
        summary="Withdraw a consent; takes effect at once",
        request=NoteSerializer,
        responses={200: ConsentSerializer, **STEP_ERRORS},
    )
    def post(self, request, public_id):
        return _consent_step(request, public_id, "withdraw", NoteSerializer)


class ConsentRenewView(APIView):
    @extend_schema(
        operation_id="consents_renew",
        summary="Renew a given or expired consent: a new record from today",
        request=ConsentRenewSerializer,
        responses={201: ConsentSerializer, **STEP_ERRORS},
    )
    def post(self, request, public_id):
        return _consent_step(request, public_id, "renew", ConsentRenewSerializer)


# -- agreements --------------------------------------------------------------------------------


class AgreementSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    title = serializers.CharField(read_only=True)
    reference = serializers.CharField(read_only=True)
    parties = serializers.SerializerMethodField()
    purposes = KeyList(read_only=True)
    data_categories = KeyList(read_only=True)
    valid_from = serializers.DateField(read_only=True)
    valid_until = serializers.DateField(read_only=True)
    state = serializers.SerializerMethodField()
    is_valid = serializers.SerializerMethodField()
    note = serializers.CharField(read_only=True)

    def get_parties(self, agreement) -> list[int]:
        return [p.pk for p in agreement.parties.all()]

    def get_state(self, agreement) -> str:
        return agreement.state["state"]

    def get_is_valid(self, agreement) -> bool:
        return agreement.state["is_valid"]


class AgreementWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, allow_blank=True)
    reference = serializers.CharField(required=False, allow_blank=True, default="")
    parties = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Ids of the other organisations; yours is always a party.",
    )
    purposes = KeyList()
    data_categories = KeyList()
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AgreementEndSerializer(serializers.Serializer):
    note = serializers.CharField(allow_blank=True, help_text="Why the agreement ends (required).")


class AgreementListView(APIView):
    @extend_schema(
        operation_id="agreements_list",
        summary="Agreements (convenanten) your organisation is a party to",
        responses={200: AgreementSerializer(many=True), **NOT_FOUND},
    )
    def get(self, request):
        actor = actor_of(request)
        _require(actor, "agreement.manage", "sharing.decide")
        return Response(
            AgreementSerializer(selectors.agreement_list_for(actor=actor), many=True).data
        )

    @extend_schema(
        operation_id="agreements_create",
        summary="Record an agreement with other organisations",
        request=AgreementWriteSerializer,
        responses={201: AgreementSerializer, **INVALID, **FORBIDDEN},
    )
    def post(self, request):
        actor = actor_of(request)
        ensure_can(actor, "agreement.manage")
        serializer = AgreementWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["parties"] = _organisations(data["parties"], "parties")
        agreement = services.agreement_create(actor=actor, **data)
        agreement = selectors.agreement_get_for(actor=actor, public_id=agreement.public_id)
        return Response(AgreementSerializer(agreement).data, status=status.HTTP_201_CREATED)


class AgreementDetailView(APIView):
    @extend_schema(
        operation_id="agreements_retrieve",
        summary="One agreement",
        responses={200: AgreementSerializer, **NOT_FOUND},
    )
    def get(self, request, public_id):
        agreement = selectors.agreement_get_for(actor=actor_of(request), public_id=public_id)
        return Response(AgreementSerializer(agreement).data)


class AgreementEndView(APIView):
    @extend_schema(
        operation_id="agreements_end",
        summary="End an agreement now; from this moment it is no basis",
        request=AgreementEndSerializer,
        responses={200: AgreementSerializer, **INVALID, **FORBIDDEN, **NOT_FOUND},
    )
    def post(self, request, public_id):
        actor = actor_of(request)
        agreement = selectors.agreement_get_for(actor=actor, public_id=public_id)
        ensure_can(actor, "agreement.manage")  # who may not act hears that before any validation
        serializer = AgreementEndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.agreement_end(actor=actor, agreement=agreement, **serializer.validated_data)
        agreement = selectors.agreement_get_for(actor=actor, public_id=public_id)
        return Response(AgreementSerializer(agreement).data)


# -- sharing decisions -------------------------------------------------------------------------


class AnswerField(serializers.CharField):
    """A string from a fixed list (kept a plain string in the schema: the lists overlap)."""

    def __init__(self, key: str, **kwargs):
        self.allowed = QUESTIONS[key]
        kwargs.setdefault("help_text", "One of: " + ", ".join(self.allowed) + ".")
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if value and value not in self.allowed:
            raise serializers.ValidationError(
                _("Kies een van: %(values)s.") % {"values": ", ".join(self.allowed)}
            )
        return value


class AnswersSerializer(serializers.Serializer):
    consent_answer = AnswerField("consent_answer", required=False, allow_blank=True, default="")
    acute_unsafe = AnswerField("acute_unsafe")
    structural_unsafe = AnswerField("structural_unsafe")
    proportional = AnswerField("proportional")
    lighter_way = AnswerField("lighter_way")
    consulted = AnswerField("consulted", required=False, default="none")


class SharingDecisionSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    person = serializers.UUIDField(source="person.public_id", read_only=True)
    recipient = serializers.IntegerField(source="recipient_id", read_only=True)
    purpose = serializers.CharField(read_only=True)
    data_categories = KeyList(read_only=True)
    answers = serializers.DictField(child=serializers.CharField(), read_only=True)
    outcome = serializers.CharField(
        read_only=True, help_text="One of: " + ", ".join(SharingDecision.Outcome.values) + "."
    )
    legal_basis = serializers.CharField(read_only=True)
    legal_basis_label = serializers.CharField(read_only=True)
    reasons = serializers.SerializerMethodField()
    consult_with = serializers.SerializerMethodField()
    explanation = serializers.CharField(read_only=True)
    on_behalf_of_organisation = serializers.BooleanField(read_only=True)
    case_reference = serializers.CharField(read_only=True)
    valid_until = serializers.DateField(read_only=True, allow_null=True)
    supersedes = serializers.SerializerMethodField()
    decided_at = serializers.DateTimeField(read_only=True)

    def get_reasons(self, decision) -> list[str]:
        return render_all(decision.reasons)

    def get_consult_with(self, decision) -> list[str]:
        return [str(CONSULT_LABELS.get(c, c)) for c in decision.consult_with]

    def get_supersedes(self, decision) -> str | None:
        return str(decision.supersedes.public_id) if decision.supersedes_id else None


class SharingDecisionWriteSerializer(serializers.Serializer):
    person = serializers.UUIDField()
    recipient = serializers.IntegerField(help_text="The id of the receiving organisation.")
    purpose = serializers.CharField(max_length=50)
    data_categories = KeyList()
    answers = AnswersSerializer()
    explanation = serializers.CharField(allow_blank=True)
    on_behalf_of_organisation = serializers.BooleanField(required=False, default=False)
    case_reference = serializers.CharField(required=False, allow_blank=True, default="")


class SharingDecisionListView(APIView):
    @extend_schema(
        operation_id="sharing_decisions_list",
        summary="Decisions of the decision aid in your organisation, newest first",
        parameters=[OpenApiParameter("person", str, description="A person's id (UUID).")],
        responses={200: SharingDecisionSerializer(many=True), **NOT_FOUND},
    )
    def get(self, request):
        actor = actor_of(request)
        _require(actor, "sharing.decide")
        person = None
        if request.query_params.get("person"):
            person = person_get_for(actor=actor, public_id=request.query_params["person"])
        decisions = selectors.decision_list_for(actor=actor, person=person)
        return Response(SharingDecisionSerializer(decisions, many=True).data)

    @extend_schema(
        operation_id="sharing_decisions_create",
        summary="Weigh a question with the decision aid and record the outcome and reasons",
        request=SharingDecisionWriteSerializer,
        responses={201: SharingDecisionSerializer, **INVALID, **FORBIDDEN},
    )
    def post(self, request):
        actor = actor_of(request)
        ensure_can(actor, "sharing.decide")
        serializer = SharingDecisionWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["person"] = _person(actor, data["person"])
        data["recipient"] = _organisation(data["recipient"], "recipient")
        decision = services.sharing_decision_record(actor=actor, **data)
        return Response(SharingDecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


class SharingDecisionDetailView(APIView):
    @extend_schema(
        operation_id="sharing_decisions_retrieve",
        summary="One decision",
        responses={200: SharingDecisionSerializer, **NOT_FOUND},
    )
    def get(self, request, public_id):
        decision = selectors.decision_get_for(actor=actor_of(request), public_id=public_id)
        return Response(SharingDecisionSerializer(decision).data)


# -- the gate ----------------------------------------------------------------------------------


class SharingBasisSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    person = serializers.SerializerMethodField()
    recipient = serializers.IntegerField(source="recipient_id", read_only=True)
    purpose = serializers.CharField(read_only=True)
    data_categories = KeyList(read_only=True)
    kind = serializers.CharField(
        read_only=True, help_text="One of: " + ", ".join(SharingBasis.Kind.values) + "."
    )
    legal_basis = serializers.CharField(read_only=True)
    legal_basis_label = serializers.CharField(read_only=True)
    articles = KeyList(read_only=True)
    consent = serializers.SerializerMethodField()
    agreement = serializers.SerializerMethodField()
    decision = serializers.SerializerMethodField()
    override_reason = serializers.CharField(read_only=True)
    on_behalf_of_organisation = serializers.BooleanField(read_only=True)
    sender_shown_to_recipient = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(read_only=True)

    def get_person(self, basis) -> str | None:
        return str(basis.person.public_id) if basis.person_id else None

    def get_consent(self, basis) -> str | None:
        return str(basis.consent.public_id) if basis.consent_id else None

    def get_agreement(self, basis) -> str | None:
        return str(basis.agreement.public_id) if basis.agreement_id else None

    def get_decision(self, basis) -> str | None:
        return str(basis.decision.public_id) if basis.decision_id else None

    def get_sender_shown_to_recipient(self, basis) -> dict:
        return display.sender_shown_to_recipient(basis)


class SharingBasisWriteSerializer(serializers.Serializer):
    person = serializers.UUIDField()
    recipient = serializers.IntegerField()
    purpose = serializers.CharField(max_length=50)
    data_categories = KeyList()
    on_behalf_of_organisation = serializers.BooleanField(required=False, default=False)
    override = serializers.BooleanField(
        required=False,
        default=False,
        help_text="The emergency procedure. Only for roles with that permission (checked on the "
        "server); needs override_reason.",
    )
    override_reason = serializers.CharField(required=False, allow_blank=True, default="")


class RefusalSerializer(ProblemSerializer):
    """403: the gate's refusal (type sharing-not-allowed) with its reasons and hints; a role
    without the permission gets the plain problem, without them."""

    reasons = serializers.ListField(child=serializers.CharField(), required=False)
    hints = serializers.ListField(child=serializers.CharField(), required=False)


class SharingBasisListView(APIView):
    @extend_schema(
        operation_id="sharing_bases_list",
        summary="What left your organisation, with the basis of each transfer, newest first",
        responses={200: SharingBasisSerializer(many=True), **NOT_FOUND},
    )
    def get(self, request):
        actor = actor_of(request)
        _require(actor, "sharing.decide", "privacy.settings")
        bases = selectors.disclosure_list_for(actor=actor)
        return Response(SharingBasisSerializer(bases, many=True).data)

    @extend_schema(
        operation_id="sharing_bases_create",
        summary="Ask the gate for a basis to give data about a person to another organisation",
        description="201 with the recorded basis, or 403 sharing-not-allowed with the reasons. "
        "Use it before an export or any transfer that does not go through another Schakel "
        "service (those call the gate themselves).",
        request=SharingBasisWriteSerializer,
        responses={201: SharingBasisSerializer, **INVALID, (403, PROBLEM): RefusalSerializer},
    )
    def post(self, request):
        actor = actor_of(request)
        ensure_can(actor, "sharing.decide")
        serializer = SharingBasisWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        override = data.pop("override")
        reason = data.pop("override_reason")
        if override and not reason.strip():
            raise ValidationError({"override_reason": _("Leg uit waarom dit niet kan wachten.")})
        person = _person(actor, data.pop("person"))
        recipient = _organisation(data.pop("recipient"), "recipient")
        basis = services.sharing_basis_create(
            actor=actor,
            person=person,
            recipient=recipient,
            override_reason=reason if override else "",
            **data,
        )
        return Response(SharingBasisSerializer(basis).data, status=status.HTTP_201_CREATED)


class SharingBasisDetailView(APIView):
    @extend_schema(
        operation_id="sharing_bases_retrieve",
        summary="One transfer and its basis",
        responses={200: SharingBasisSerializer, **NOT_FOUND},
    )
    def get(self, request, public_id):
        basis = selectors.disclosure_get_for(actor=actor_of(request), public_id=public_id)
        return Response(SharingBasisSerializer(basis).data)


# -- requests of data subjects -------------------------------------------------------------------


class SubjectRequestEventSerializer(serializers.Serializer):
    status = serializers.CharField()
    at = serializers.DateTimeField()
    deadline = serializers.DateField(allow_null=True)
    note = serializers.CharField()


class SubjectRequestSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    person = serializers.SerializerMethodField()
    kind = serializers.CharField(read_only=True)
    requested_by = serializers.CharField(read_only=True)
    received_on = serializers.DateField(read_only=True)
    deadline = serializers.DateField(read_only=True)
    status = serializers.SerializerMethodField()
    is_late = serializers.SerializerMethodField()
    description = serializers.CharField(read_only=True)
    history = SubjectRequestEventSerializer(source="events.all", many=True, read_only=True)

    def get_person(self, request) -> str | None:
        return str(request.person.public_id) if request.person_id else None

    def get_status(self, request) -> str:
        return rules.subject_request_status(request)

    def get_is_late(self, request) -> bool:
        return bool(getattr(request, "is_late", False))


class SubjectRequestWriteSerializer(serializers.Serializer):
    person = serializers.UUIDField()
    kind = serializers.CharField(
        help_text="One of: " + ", ".join(SubjectRequest.Kind.values) + " (checked by the service)."
    )
    requested_by = serializers.CharField(
        help_text="Who asks: " + ", ".join(GivenBy.values) + " (checked by the service)."
    )
    received_on = serializers.DateField()
    description = serializers.CharField(required=False, allow_blank=True, default="")


class SubjectRequestStepSerializer(serializers.Serializer):
    status = serializers.CharField(
        help_text="in_progress, extended (two more months, note required), done, or refused "
        "(note required). Checked against the request's current status."
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class SubjectRequestListView(APIView):
    @extend_schema(
        operation_id="subject_requests_list",
        summary="Requests of data subjects to your organisation, earliest deadline first",
        responses={200: SubjectRequestSerializer(many=True), **NOT_FOUND},
    )
    def get(self, request):
        actor = actor_of(request)
        _require(actor, "privacy.requests")
        requests = selectors.subject_request_list_for(actor=actor)
        return Response(SubjectRequestSerializer(requests, many=True).data)

    @extend_schema(
        operation_id="subject_requests_create",
        summary="Register a request for access, correction, restriction or erasure",
        request=SubjectRequestWriteSerializer,
        responses={201: SubjectRequestSerializer, **INVALID, **FORBIDDEN},
    )
    def post(self, request):
        actor = actor_of(request)
        ensure_can(actor, "privacy.requests")
        serializer = SubjectRequestWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["person"] = _person(actor, data["person"])
        subject_request = services.subject_request_register(actor=actor, **data)
        subject_request = selectors.subject_request_get_for(
            actor=actor, public_id=subject_request.public_id
        )
        return Response(
            SubjectRequestSerializer(subject_request).data, status=status.HTTP_201_CREATED
        )


class SubjectRequestDetailView(APIView):
    @extend_schema(
        operation_id="subject_requests_retrieve",
        summary="One request with its history",
        responses={200: SubjectRequestSerializer, **NOT_FOUND},
    )
    def get(self, request, public_id):
        subject_request = selectors.subject_request_get_for(
            actor=actor_of(request), public_id=public_id
        )
        return Response(SubjectRequestSerializer(subject_request).data)


class SubjectRequestStepView(APIView):
    @extend_schema(
        operation_id="subject_requests_step",
        summary="Move a request on (in progress, extended by two months, done, refused)",
        request=SubjectRequestStepSerializer,
        responses={200: SubjectRequestSerializer, **INVALID, **FORBIDDEN, **NOT_FOUND},
    )
    def post(self, request, public_id):
        actor = actor_of(request)
        subject_request = selectors.subject_request_get_for(actor=actor, public_id=public_id)
        serializer = SubjectRequestStepSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.subject_request_update(
            actor=actor, request=subject_request, **serializer.validated_data
        )
        subject_request = selectors.subject_request_get_for(actor=actor, public_id=public_id)
        return Response(SubjectRequestSerializer(subject_request).data)


class SubjectAccessExportView(APIView):
    @extend_schema(
        operation_id="subject_requests_export",
        summary="For an access request: everything held about the person, as JSON",
        responses={200: OpenApiTypes.OBJECT, **NOT_FOUND},
    )
    def get(self, request, public_id):
        actor = actor_of(request)
        subject_request = selectors.subject_request_get_for(actor=actor, public_id=public_id)
        return Response(selectors.subject_access_export_for(actor=actor, request=subject_request))


# -- reference data ----------------------------------------------------------------------------


class SharingRulesView(APIView):
    @extend_schema(
        operation_id="sharing_rules",
        summary="Purposes, data categories and legal bases the gate knows (from the data file)",
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        config = sharing_config()
        return Response(
            {
                "version": config.version,
                "purposes": [
                    {
                        "key": p.key,
                        "name": p.label,
                        "activity": p.activity,
                        "data_categories": list(p.data_categories),
                        "consent_self_from_age": p.consent_self_from_age,
                    }
                    for p in config.purposes.values()
                ],
                "data_categories": [
                    {"key": c.key, "name": c.label, "special": c.special}
                    for c in config.data_categories.values()
                ],
                "legal_bases": [
                    {"key": b.key, "kind": b.kind, "name": b.label, "articles": list(b.articles)}
                    for b in config.legal_bases.values()
                ],
                "designations": [
                    {"key": d.key, "name": d.label} for d in config.designations.values()
                ],
            }
        )
