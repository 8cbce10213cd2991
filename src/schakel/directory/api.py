"""REST API of the wegwijzer. Thin: the same selectors and services as the web pages.

Reading is public (directory data holds no personal data), so the GET endpoints need no token;
updating capacity and suggesting need a token of a membership with the permission.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from schakel.api.actor import actor_of
from schakel.api.components import ProblemSerializer

from . import matching, selectors, services
from .models import Acceptance, Form, Gender, Need, Offer, Scope, Setting
from .params import parse_criteria

PROBLEM = "application/problem+json"
ACCEPTANCE_HELP = (
    "How the offer deals with this problem: "
    + ", ".join(v or '""' for v in Acceptance.values)
    + ' ("" = not known).'
)
INVALID = {(400, PROBLEM): ProblemSerializer}
NOT_FOUND = {(404, PROBLEM): ProblemSerializer}
FORBIDDEN = {(403, PROBLEM): ProblemSerializer}


# -- serializers (they describe the dicts built below) ----------------------------------------


class DirectoryContactSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    phone = serializers.CharField(help_text="Exactly as printed in the sources; empty when none.")
    email = serializers.CharField()
    url = serializers.CharField()
    hours = serializers.CharField()
    available_24_7 = serializers.BooleanField()
    note = serializers.CharField(help_text="What happens when you contact them.")


class DirectoryProviderRefSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()


class DirectoryCapacitySerializer(serializers.Serializer):
    places = serializers.IntegerField(allow_null=True)
    free_places = serializers.IntegerField(allow_null=True)
    waiting_weeks = serializers.IntegerField(allow_null=True)
    updated_at = serializers.DateTimeField(allow_null=True)
    age_days = serializers.IntegerField(allow_null=True)
    stale = serializers.BooleanField(help_text="Older than SCHAKEL_DIRECTORY_STALE_DAYS.")


class DirectoryOfferSummarySerializer(serializers.Serializer):
    id = serializers.CharField(help_text="The offer's key.")
    url = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    provider = DirectoryProviderRefSerializer(allow_null=True)
    services = serializers.ListField(child=serializers.ChoiceField(Need.choices))
    forms = serializers.ListField(
        child=serializers.CharField(), help_text="Forms of exploitation: " + ", ".join(Form.values)
    )
    age_min = serializers.IntegerField(allow_null=True)
    age_max = serializers.IntegerField(allow_null=True)
    genders = serializers.ListField(child=serializers.ChoiceField(Gender.choices))
    lvb = serializers.CharField(help_text=ACCEPTANCE_HELP)
    iq_min = serializers.IntegerField(allow_null=True)
    iq_max = serializers.IntegerField(allow_null=True)
    ggz = serializers.CharField(help_text=ACCEPTANCE_HELP)
    addiction = serializers.CharField(help_text=ACCEPTANCE_HELP)
    with_children = serializers.BooleanField(allow_null=True)
    scope = serializers.ChoiceField(Scope.choices)
    municipalities = serializers.ListField(child=serializers.CharField())
    safety_regions = serializers.ListField(child=serializers.CharField())
    provinces = serializers.ListField(child=serializers.CharField())
    areas = serializers.ListField(child=serializers.CharField(), help_text="Names of the areas.")
    area_note = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()
    web = serializers.CharField()
    hours = serializers.CharField()
    available_24_7 = serializers.BooleanField()
    capacity = DirectoryCapacitySerializer()


class DirectoryOfferSerializer(DirectoryOfferSummarySerializer):
    description = serializers.CharField()
    target_note = serializers.CharField()
    perpetrators = serializers.BooleanField(allow_null=True)
    settings = serializers.ListField(child=serializers.ChoiceField(Setting.choices))
    languages = serializers.ListField(child=serializers.CharField())
    contra_indications = serializers.ListField(child=serializers.CharField())
    contact_note = serializers.CharField()
    sources = serializers.ListField(child=serializers.CharField())
    version = serializers.IntegerField()


class DirectoryMatchSerializer(serializers.Serializer):
    fit = serializers.ChoiceField(choices=[matching.FULL, matching.PARTIAL])
    reasons = serializers.ListField(
        child=serializers.CharField(), help_text="Why it does not fit (empty for a full fit)."
    )
    notes = serializers.ListField(
        child=serializers.CharField(), help_text="What is not known about this offer."
    )
    offer = DirectoryOfferSummarySerializer()


class DirectoryPlaceSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    safety_region = serializers.CharField()
    province = serializers.CharField()


class DirectorySearchSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    full = serializers.IntegerField(help_text="Number of full fits.")
    partial = serializers.IntegerField(help_text="Number of partial fits.")
    place = DirectoryPlaceSerializer(allow_null=True)
    results = DirectoryMatchSerializer(many=True)
    coordinators = DirectoryContactSerializer(many=True)
    escalation = DirectoryContactSerializer(
        many=True,
        help_text="The national route; given when nothing fits fully or the region has no "
        "care coordinator in the wegwijzer.",
    )


class DirectoryCoordinatorsSerializer(serializers.Serializer):
    place = DirectoryPlaceSerializer()
    coordinators = DirectoryContactSerializer(many=True)
    escalation = DirectoryContactSerializer(many=True)


class DirectoryCapacityWriteSerializer(serializers.Serializer):
    places = serializers.IntegerField(allow_null=True, min_value=0)
    free_places = serializers.IntegerField(allow_null=True, min_value=0)
    waiting_weeks = serializers.IntegerField(allow_null=True, min_value=0)
    version = serializers.IntegerField(
        min_value=1, help_text="The version you read; a stale version answers 409."
    )


class DirectorySuggestionWriteSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="correction or new")
    offer = serializers.CharField(required=False, allow_blank=True, help_text="Key of the offer.")
    subject = serializers.CharField()
    message = serializers.CharField()


class DirectorySuggestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    status = serializers.CharField()


# -- building the dicts -------------------------------------------------------------------------


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request else path


def offer_values(offer: Offer) -> dict:
    """The same keys as a row of `selectors.OFFER_VALUES`, plus the detail fields."""
    values = {name: getattr(offer, name) for name in selectors.OFFER_VALUES if "__" not in name}
    values["provider__key"] = offer.provider.key if offer.provider else None
    values["provider__name"] = offer.provider.name if offer.provider else None
    return values


def offer_summary(values: dict, names, request) -> dict:
    freshness = selectors.freshness_of(values["capacity_updated_at"])
    provider = (
        {"key": values["provider__key"], "name": values["provider__name"]}
        if values["provider__key"]
        else None
    )
    return {
        "id": values["key"],
        "url": _absolute(request, reverse("api-directory-offer", kwargs={"key": values["key"]})),
        "name": values["name"],
        "kind": values["kind"],
        "provider": provider,
        **{
            name: values[name]
            for name in (
                "services",
                "forms",
                "age_min",
                "age_max",
                "genders",
                "lvb",
                "iq_min",
                "iq_max",
                "ggz",
                "addiction",
                "with_children",
                "scope",
                "municipalities",
                "safety_regions",
                "provinces",
                "area_note",
                "phone",
                "email",
                "hours",
                "available_24_7",
            )
        },
        "areas": matching.area_names(values, names),
        "web": values["url"],
        "capacity": {
            "places": values["places"],
            "free_places": values["free_places"],
            "waiting_weeks": values["waiting_weeks"],
            "updated_at": values["capacity_updated_at"],
            "age_days": freshness.days,
            "stale": freshness.stale,
        },
    }


def offer_detail(offer: Offer, request) -> dict:
    data = offer_summary(offer_values(offer), selectors.Names(), request)
    for name in (
        "description",
        "target_note",
        "perpetrators",
        "settings",
        "languages",
        "contra_indications",
        "contact_note",
        "sources",
        "version",
    ):
        data[name] = getattr(offer, name)
    return data


def _contacts(contacts) -> list[dict]:
    return [contact.__dict__ for contact in contacts]


def _place(place: matching.Place | None) -> dict | None:
    if place is None:
        return None
    return {
        "code": place.code,
        "name": place.name,
        "safety_region": place.region_name,
        "province": place.province,
    }


# -- views -------------------------------------------------------------------------------------

SEARCH_PARAMETERS = [
    OpenApiParameter("gemeente", str, description="CBS code (GM0363) or 'landelijk'."),
    OpenApiParameter("landelijk", bool, description="Only offers for the whole country fit."),
    OpenApiParameter("age", int, description="Age in years (0-120)."),
    OpenApiParameter("gender", str, enum=Gender.values),
    OpenApiParameter(
        "forms",
        str,
        description="Forms of exploitation, comma-separated or repeated: " + ", ".join(Form.values),
    ),
    OpenApiParameter("lvb", bool),
    OpenApiParameter("iq", int, description="Measured IQ, when known (30-160)."),
    OpenApiParameter("ggz", bool, description="Mental health problems."),
    OpenApiParameter("addiction", bool),
    OpenApiParameter("children", bool, description="The victim has children with them."),
    OpenApiParameter("need", str, enum=Need.values),
    OpenApiParameter("q", str, description="Free text; tolerant of case, accents and typos."),
    OpenApiParameter("limit", int, description="At most this many results (default 100, max 500)."),
]


class OfferSearchView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="directory_offers_search",
        summary="Search the wegwijzer: full fits first, then partial fits with the reasons",
        parameters=SEARCH_PARAMETERS,
        responses={200: DirectorySearchSerializer, **INVALID},
    )
    def get(self, request):
        criteria = parse_criteria(request.query_params)
        limit = _limit(request.query_params.get("limit"))
        result = selectors.offer_search(criteria=criteria)
        names = selectors.Names()
        data = {
            "count": len(result.matches),
            "full": len(result.full),
            "partial": len(result.partial),
            "place": _place(result.place),
            "results": [
                {
                    "fit": m.fit,
                    "reasons": m.reasons,
                    "notes": m.notes,
                    "offer": offer_summary(m.offer, names, request),
                }
                for m in result.matches[:limit]
            ],
            "coordinators": _contacts(result.coordinators),
            "escalation": _contacts(result.escalation),
        }
        return Response(data)


def _limit(raw) -> int:
    if not raw:
        return 100
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if not 1 <= value <= 500:
        raise ValidationError({"limit": [_("Vul een getal van 1 tot en met 500 in.")]})
    return value


class OfferDetailView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="directory_offers_retrieve",
        summary="One offer, with its target group, contact and capacity",
        responses={200: DirectoryOfferSerializer, **NOT_FOUND},
    )
    def get(self, request, key):
        offer = selectors.offer_get(key=key)
        return Response(offer_detail(offer, request))


class OfferCapacityView(APIView):
    @extend_schema(
        operation_id="directory_offers_capacity_update",
        summary="Update places, free places and waiting time (send the version you read)",
        request=DirectoryCapacityWriteSerializer,
        responses={
            200: DirectoryOfferSerializer,
            **INVALID,
            **FORBIDDEN,
            **NOT_FOUND,
            (409, PROBLEM): ProblemSerializer,
        },
    )
    def post(self, request, key):
        actor = actor_of(request)
        offer = selectors.offer_get(key=key)
        if not services.can_update_capacity(actor, offer):  # before any validation
            raise PermissionDenied("directory.update_capacity")
        serializer = DirectoryCapacityWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        offer = services.offer_capacity_update(
            actor=actor,
            offer=offer,
            places=data["places"],
            free_places=data["free_places"],
            waiting_weeks=data["waiting_weeks"],
            expected_version=data["version"],
            source="api",
        )
        offer = selectors.offer_get(key=offer.key)
        return Response(offer_detail(offer, request))


class CoordinatorsView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="directory_coordinators",
        summary="Who to call in a municipality: regional care coordinators and the national route",
        parameters=[OpenApiParameter("gemeente", str, required=True, description="CBS code.")],
        responses={200: DirectoryCoordinatorsSerializer, **INVALID},
    )
    def get(self, request):
        code = (request.query_params.get("gemeente") or "").strip()
        if not code:
            raise ValidationError({"gemeente": [_("Vul een gemeentecode in, zoals GM0080.")]})
        place = selectors.place_for(code)
        coordinators = selectors.care_coordinators_for(municipality_code=place.code)
        return Response(
            {
                "place": _place(place),
                "coordinators": _contacts(coordinators),
                "escalation": _contacts(selectors.escalation_contacts()),
            }
        )


class SuggestionCreateView(APIView):
    @extend_schema(
        operation_id="directory_suggestions_create",
        summary="Suggest a correction of an offer or a new entry (reviewed by functional admins)",
        request=DirectorySuggestionWriteSerializer,
        responses={201: DirectorySuggestionSerializer, **INVALID, **FORBIDDEN},
    )
    def post(self, request):
        serializer = DirectorySuggestionWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        offer = None
        if data.get("offer"):
            try:
                offer = selectors.offer_get(key=data["offer"])
            except Http404:
                raise ValidationError({"offer": [_("Onbekend aanbod.")]}) from None
        suggestion = services.suggestion_submit(
            actor=actor_of(request),
            kind=data["kind"],
            offer=offer,
            subject=data["subject"],
            message=data["message"],
        )
        return Response(
            {"id": suggestion.pk, "kind": suggestion.kind, "status": suggestion.status},
            status=status.HTTP_201_CREATED,
        )
