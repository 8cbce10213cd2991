"""REST API of the signal index under /api/v1/signals/: register (POST), the own registrations
(GET, paginated), one own registration (GET) and withdraw (DELETE). Thin: the same services and
selectors as the web. Another organisation's registration answers 404; bad input 400 naming the
field; over the rate limit 429. Errors are application/problem+json.
"""

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from schakel.api.actor import actor_of
from schakel.api.components import ProblemSerializer
from schakel.api.pages import page_envelope
from schakel.people.pseudonyms import Identifiers

from . import selectors, services
from .models import ContextKind, EndReason
from .reasons import reason_keys

PROBLEM = "application/problem+json"
NOT_FOUND = {(404, PROBLEM): ProblemSerializer}
INVALID = {(400, PROBLEM): ProblemSerializer}
FORBIDDEN = {(403, PROBLEM): ProblemSerializer}
TOO_MANY = {(429, PROBLEM): ProblemSerializer}


# -- serializers ------------------------------------------------------------------------------


class SignalContactSerializer(serializers.Serializer):
    function = serializers.CharField()
    phone = serializers.CharField()


class SignalMatchContactSerializer(serializers.Serializer):
    """The other side of a match: who, in which domain, how to reach them. Never why."""

    organisation = serializers.CharField()
    domain = serializers.CharField()
    contact = SignalContactSerializer()


class SignalMatchSerializer(SignalMatchContactSerializer):
    id = serializers.UUIDField()
    cross_domain = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    new = serializers.BooleanField(help_text="Not opened yet by your organisation.")
    other_active = serializers.BooleanField(help_text="The other registration still runs.")
    lead = serializers.CharField(help_text="'', proposed, accepted or declined.")
    lead_is_yours = serializers.BooleanField()


class SignalCreatedSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    renewed = serializers.BooleanField(
        help_text="True when your organisation had registered this person already: renewed."
    )
    ends_on = serializers.DateField()
    matches = SignalMatchContactSerializer(many=True)


class SignalRegistrationSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    url = serializers.CharField()
    context_kind = serializers.ChoiceField(choices=ContextKind.choices)
    context = serializers.CharField(help_text="case:<id>, assessment:<id> or the reason key.")
    contact = SignalContactSerializer()
    started_on = serializers.DateField()
    ends_on = serializers.DateField()
    ended_at = serializers.DateTimeField(allow_null=True)
    end_reason = serializers.ChoiceField(choices=EndReason.choices, allow_blank=True)
    matches = SignalMatchSerializer(many=True)


class SignalRegistrationPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = SignalRegistrationSerializer(many=True)


class SignalCreateSerializer(serializers.Serializer):
    """Either `bsn`, or `surname`, `given_names` and `birth_date` (both may be given). Used once
    to compute the keyed pseudonyms; never stored. Only types are checked here; the rules
    (elfproef, completeness, age) live in the service."""

    bsn = serializers.CharField(required=False, allow_blank=True, default="")
    surname = serializers.CharField(required=False, allow_blank=True, default="")
    given_names = serializers.CharField(required=False, allow_blank=True, default="")
    birth_date = serializers.DateField(required=False, allow_null=True, default=None)
    context = serializers.CharField(
        help_text="case:<case id>, assessment:<assessment id>, or one of: "
        + ", ".join(reason_keys())
        + ". With a case or assessment the person comes from there; leave the identifiers out."
    )
    contact_function = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="What the other side sees. Default: what you gave last time, else your role.",
    )
    contact_phone = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=(
            "Where the other side can call you. Default: what you gave last time; needed on "
            "your first registration (400 naming contact_phone without it)."
        ),
    )


# -- output -----------------------------------------------------------------------------------


def _contact(registration) -> dict:
    return {"function": registration.contact_function, "phone": registration.contact_phone}


def _other(registration) -> dict:
    return {
        "organisation": registration.organisation.name,
        "domain": registration.domain,
        "contact": _contact(registration),
    }


def _context(registration) -> str:
    if registration.context_kind == ContextKind.CATEGORY:
        return registration.context_ref
    return f"{registration.context_kind}:{registration.context_ref}"


def _registration_data(registration, request) -> dict:
    path = reverse("api-signal-detail", kwargs={"public_id": registration.public_id})
    return {
        "id": registration.public_id,
        "url": request.build_absolute_uri(path),
        "context_kind": registration.context_kind,
        "context": _context(registration),
        "contact": _contact(registration),
        "started_on": registration.started_on,
        "ends_on": registration.ends_on,
        "ended_at": registration.ended_at,
        "end_reason": registration.end_reason,
        "matches": [
            {
                "id": view.public_id,
                **_other(view.other),
                "cross_domain": view.match.cross_domain,
                "created_at": view.match.created_at,
                "new": view.is_new,
                "other_active": view.other_active,
                "lead": view.match.lead_status,
                "lead_is_yours": view.lead_is_ours,
            }
            for view in registration.match_views
        ],
    }


# -- views ------------------------------------------------------------------------------------


class SignalListView(APIView):
    @extend_schema(
        operation_id="signals_list",
        summary="Your organisation's own registrations with their matches (no one else's)",
        parameters=[OpenApiParameter("page", int, description="Page number, from 1.")],
        responses={200: SignalRegistrationPageSerializer, **NOT_FOUND},
    )
    def get(self, request):
        page = selectors.signal_registration_list_for(
            actor=actor_of(request), page=request.query_params.get("page") or 1
        )
        return Response(
            page_envelope(request, page, [_registration_data(r, request) for r in page.object_list])
        )

    @extend_schema(
        operation_id="signals_create",
        summary="Register that your organisation is involved with a person (201), or renew your "
        "own registration of that person (200); answers the matches",
        request=SignalCreateSerializer,
        responses={
            201: SignalCreatedSerializer,
            200: SignalCreatedSerializer,
            **INVALID,
            **FORBIDDEN,
            **NOT_FOUND,
            **TOO_MANY,
        },
    )
    def post(self, request):
        actor = actor_of(request)
        serializer = SignalCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        identifiers = Identifiers(
            bsn=data["bsn"],
            surname=data["surname"],
            given_names=data["given_names"],
            date_of_birth=data["birth_date"],
        )
        try:
            result = services.signal_register(
                actor=actor,
                context=data["context"],
                identifiers=identifiers,
                contact_function=data["contact_function"],
                contact_phone=data["contact_phone"],
            )
        except services.RateLimited as limited:
            raise exceptions.Throttled(wait=limited.retry_after, detail=limited.message) from None
        registration = result.registration
        body = {
            "id": registration.public_id,
            "renewed": result.renewed,
            "ends_on": registration.ends_on,
            "matches": [_other(m.other(m.side_of(actor.organisation_id))) for m in result.matches],
        }
        path = reverse("api-signal-detail", kwargs={"public_id": registration.public_id})
        return Response(
            SignalCreatedSerializer(body).data,
            status=status.HTTP_200_OK if result.renewed else status.HTTP_201_CREATED,
            headers={"Location": request.build_absolute_uri(path)},
        )


class SignalDetailView(APIView):
    @extend_schema(
        operation_id="signals_retrieve",
        summary="One of your organisation's registrations",
        responses={200: SignalRegistrationSerializer, **NOT_FOUND},
    )
    def get(self, request, public_id):
        registration = selectors.signal_registration_get_for(
            actor=actor_of(request), public_id=public_id
        )
        return Response(_registration_data(registration, request))

    @extend_schema(
        operation_id="signals_destroy",
        summary="Withdraw your registration: it stops matching at once and goes to the archive",
        responses={204: None, **NOT_FOUND},
    )
    def delete(self, request, public_id):
        actor = actor_of(request)
        registration = selectors.signal_registration_get_for(actor=actor, public_id=public_id)
        services.signal_registration_withdraw(actor=actor, registration=registration)
        return Response(status=status.HTTP_204_NO_CONTENT)
