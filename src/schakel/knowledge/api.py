"""REST API of the knowledge base and the recommendations tracker. Thin: the same services and
selectors as the web pages.

Reading items and recommendations is public (no token needed); writing needs a token of a
functional admin ("knowledge.manage" for items, "recommendations.manage" for status updates);
the usage figures need "knowledge.view_usage". Errors are application/problem+json.
"""

import datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from schakel.accounts.permissions import can, ensure_can
from schakel.api.actor import actor_of
from schakel.api.components import ProblemSerializer

from . import selectors, services
from .models import (
    Addressee,
    Audience,
    ExploitationForm,
    ItemRevision,
    Kind,
    LanguageLevel,
    LvbSuitability,
    Recommendation,
    Status,
    VisitorAudience,
)

PROBLEM = "application/problem+json"
NOT_FOUND = {(404, PROBLEM): ProblemSerializer}
INVALID = {(400, PROBLEM): ProblemSerializer}
FORBIDDEN = {(403, PROBLEM): ProblemSerializer}


class PublicReadOrActor(BasePermission):
    """Anyone may read; writing needs an authenticated actor (the service checks the role)."""

    message = gettext_lazy("Log in en kies de organisatie waarvoor u werkt.")

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return bool(request.user and actor_of(request) is not None)


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request else path


# -- serializers -----------------------------------------------------------------------------


class LinkSerializer(serializers.Serializer):
    url = serializers.CharField()
    label = serializers.CharField()


class ItemSummarySerializer(serializers.Serializer):
    id = serializers.SlugField(source="slug", read_only=True)
    url = serializers.SerializerMethodField()
    title = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=Kind.choices, read_only=True)
    publisher = serializers.CharField(read_only=True)
    year = serializers.IntegerField(read_only=True, allow_null=True)
    description = serializers.CharField(read_only=True)
    audiences = serializers.SerializerMethodField()
    forms = serializers.SerializerMethodField()
    lvb_suitability = serializers.ChoiceField(choices=LvbSuitability.choices, read_only=True)
    language_level = serializers.ChoiceField(choices=LanguageLevel.choices, read_only=True)
    links = LinkSerializer(many=True, read_only=True)
    is_published = serializers.BooleanField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    def get_url(self, item) -> str:
        path = reverse("api-knowledge-item-detail", kwargs={"slug": item.slug})
        return _absolute(self.context.get("request"), path)

    def get_audiences(self, item) -> list[str]:
        return [row.audience for row in item.audience_rows.all()]

    def get_forms(self, item) -> list[str]:
        return [row.form for row in item.form_rows.all()]


class RelatedItemSerializer(serializers.Serializer):
    id = serializers.SlugField(source="slug")
    title = serializers.CharField()
    kind = serializers.CharField()


class ItemDetailSerializer(ItemSummarySerializer):
    web_url = serializers.SerializerMethodField()
    related = serializers.SerializerMethodField()

    def get_web_url(self, item) -> str:
        return _absolute(self.context.get("request"), reverse("knowledge:item", args=[item.slug]))

    @extend_schema_field(RelatedItemSerializer(many=True))
    def get_related(self, item) -> list[dict]:
        return RelatedItemSerializer(selectors.item_related(item=item), many=True).data


class QuerySerializer(serializers.Serializer):
    words = serializers.ListField(child=serializers.CharField())
    corrected = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    unknown = serializers.ListField(child=serializers.CharField())


class ItemPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    query = QuerySerializer(allow_null=True)
    results = ItemSummarySerializer(many=True)


class ItemWriteSerializer(serializers.Serializer):
    """Only types are checked here; the rules live in the service."""

    title = serializers.CharField(allow_blank=True)
    kind = serializers.ChoiceField(choices=Kind.choices)
    publisher = serializers.CharField(required=False, allow_blank=True, default="")
    year = serializers.IntegerField(required=False, allow_null=True, default=None)
    description = serializers.CharField(allow_blank=True)
    audiences = serializers.ListField(child=serializers.ChoiceField(choices=Audience.choices))
    forms = serializers.ListField(
        child=serializers.ChoiceField(choices=ExploitationForm.choices),
        required=False,
        default=list,
    )
    lvb_suitability = serializers.ChoiceField(choices=LvbSuitability.choices)
    language_level = serializers.ChoiceField(
        choices=LanguageLevel.choices, required=False, default=LanguageLevel.UNKNOWN
    )
    links = LinkSerializer(many=True, required=False, default=list)
    keywords = serializers.CharField(required=False, allow_blank=True, default="")
    is_published = serializers.BooleanField(required=False, default=True)


class ItemPatchSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=Kind.choices, required=False)
    publisher = serializers.CharField(required=False, allow_blank=True)
    year = serializers.IntegerField(required=False, allow_null=True)
    description = serializers.CharField(required=False, allow_blank=True)
    audiences = serializers.ListField(
        child=serializers.ChoiceField(choices=Audience.choices), required=False
    )
    forms = serializers.ListField(
        child=serializers.ChoiceField(choices=ExploitationForm.choices), required=False
    )
    lvb_suitability = serializers.ChoiceField(choices=LvbSuitability.choices, required=False)
    language_level = serializers.ChoiceField(choices=LanguageLevel.choices, required=False)
    links = LinkSerializer(many=True, required=False)
    keywords = serializers.CharField(required=False, allow_blank=True)
    is_published = serializers.BooleanField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    version = serializers.IntegerField(
        min_value=1, help_text="The version you read; a stale version answers 409."
    )


class RevisionSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    action = serializers.ChoiceField(choices=ItemRevision.Action.choices)
    changed_fields = serializers.ListField(child=serializers.CharField())
    snapshot = serializers.DictField()
    note = serializers.CharField()
    changed_at = serializers.DateTimeField()
    changed_by_organisation = serializers.SerializerMethodField()
    changed_by_role = serializers.SerializerMethodField()

    def get_changed_by_organisation(self, revision) -> str | None:
        return revision.changed_by.organisation.name if revision.changed_by else None

    def get_changed_by_role(self, revision) -> str | None:
        return revision.changed_by.role if revision.changed_by else None


class AddresseeSerializer(serializers.Serializer):
    code = serializers.ChoiceField(source="addressee", choices=Addressee.choices)
    label = serializers.CharField(source="get_addressee_display")
    derived = serializers.BooleanField(help_text="True: not named by the report, derived.")


class ThemeSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField()


class RecommendationSerializer(serializers.Serializer):
    code = serializers.CharField()
    url = serializers.SerializerMethodField()
    kind = serializers.ChoiceField(choices=Recommendation.PointKind.choices)
    theme = ThemeSerializer()
    section = serializers.CharField()
    number_in_seed = serializers.CharField()
    subtheme = serializers.CharField()
    summary = serializers.CharField()
    addressees = AddresseeSerializer(source="addressee_rows.all", many=True)
    addressee_text = serializers.CharField()
    responsibility = serializers.CharField()
    status = serializers.SerializerMethodField()
    status_since = serializers.SerializerMethodField()
    last_report_on = serializers.DateField(allow_null=True)
    stalled = serializers.SerializerMethodField()

    def get_url(self, point) -> str:
        path = reverse("api-recommendation-detail", kwargs={"code": point.code})
        return _absolute(self.context.get("request"), path)

    def get_status(self, point) -> str | None:
        return point.status if point.is_recommendation else None

    def get_status_since(self, point) -> datetime.date | None:
        return point.status_since if point.is_recommendation else None

    def get_stalled(self, point) -> bool | None:
        return selectors.is_stalled(point) if point.is_recommendation else None


class StatusUpdateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Status.choices)
    reported_on = serializers.DateField()
    reported_by = serializers.CharField()
    evidence = serializers.CharField()
    evidence_links = serializers.ListField(child=serializers.CharField())
    corrects = serializers.IntegerField(source="corrects_id", allow_null=True)
    effective = serializers.SerializerMethodField(
        help_text="False when a later update corrected this one."
    )
    recorded_at = serializers.DateTimeField()

    def get_effective(self, update) -> bool:
        return getattr(update, "is_effective", True)


class StatusUpdateWriteSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices)
    reported_on = serializers.DateField()
    reported_by = serializers.CharField(allow_blank=True)
    evidence = serializers.CharField(required=False, allow_blank=True, default="")
    evidence_links = serializers.ListField(
        child=serializers.CharField(), required=False, default=list
    )
    corrects = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The id of the latest update, when this one corrects it.",
    )


class UsageItemSerializer(serializers.Serializer):
    id = serializers.SlugField()
    title = serializers.CharField()
    view = serializers.IntegerField()
    download = serializers.IntegerField()
    by_audience = serializers.DictField(child=serializers.IntegerField())


class UsagePeriodSerializer(serializers.Serializer):
    period = serializers.DateField()
    total = serializers.IntegerField()
    by_audience = serializers.DictField(child=serializers.IntegerField())


class UsageSerializer(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    grouping = serializers.ChoiceField(choices=["day", "week", "month"])
    totals = serializers.DictField(child=serializers.IntegerField())
    items = UsageItemSerializer(many=True)
    periods = UsagePeriodSerializer(many=True)
    unused = serializers.ListField(child=serializers.SlugField())


# -- knowledge items -------------------------------------------------------------------------

ITEM_FILTERS = [
    OpenApiParameter("q", str, description="Search words (Dutch; accents and case ignored)."),
    OpenApiParameter("audience", str, enum=Audience.values, description="Target audience."),
    OpenApiParameter("kind", str, enum=Kind.values),
    OpenApiParameter(
        "form", str, enum=ExploitationForm.values, description="Form of exploitation."
    ),
    OpenApiParameter("lvb", str, enum=LvbSuitability.values, description="LVB suitability."),
    OpenApiParameter("page", int, description="Page number, from 1."),
    OpenApiParameter("page_size", int, description="Items per page, 1-100 (default 20)."),
    OpenApiParameter(
        "include_withdrawn", bool, description="Also withdrawn items (needs knowledge.manage)."
    ),
]


def _choice_param(request, name: str, choices) -> str:
    value = request.query_params.get(name, "")
    if value and value not in choices.values:
        raise ValidationError({name: _("Onbekende waarde '%(value)s'.") % {"value": value[:40]}})
    return value


class ItemListView(APIView):
    permission_classes = [PublicReadOrActor]

    @extend_schema(
        operation_id="knowledge_items_list",
        summary="Search and filter the knowledge base (public)",
        parameters=ITEM_FILTERS,
        responses={200: ItemPageSerializer, **INVALID, **NOT_FOUND},
    )
    def get(self, request):
        actor = actor_of(request)
        try:
            per_page = int(request.query_params.get("page_size") or selectors.PAGE_SIZE)
        except ValueError:
            raise ValidationError({"page_size": _("Vul een getal in.")}) from None
        page = selectors.item_search(
            actor=actor,
            query=request.query_params.get("q", ""),
            audience=_choice_param(request, "audience", Audience),
            kind=_choice_param(request, "kind", Kind),
            form=_choice_param(request, "form", ExploitationForm),
            lvb=_choice_param(request, "lvb", LvbSuitability),
            page=request.query_params.get("page") or 1,
            per_page=per_page,
            include_withdrawn=request.query_params.get("include_withdrawn") in ("1", "true"),
            strict=True,
        )
        url = request.build_absolute_uri()
        plan = page.plan
        data = {
            "count": page.total,
            "page": page.number,
            "pages": page.num_pages,
            "next": replace_query_param(url, "page", page.number + 1) if page.has_next else None,
            "previous": replace_query_param(url, "page", page.number - 1)
            if page.has_previous
            else None,
            "query": {"words": plan.words, "corrected": plan.corrected, "unknown": plan.unknown}
            if plan
            else None,
            "results": ItemSummarySerializer(
                page.items, many=True, context={"request": request}
            ).data,
        }
        return Response(data)

    @extend_schema(
        operation_id="knowledge_items_create",
        summary="Add an item (functional admins)",
        request=ItemWriteSerializer,
        responses={201: ItemDetailSerializer, **INVALID, **FORBIDDEN},
    )
    def post(self, request):
        actor = actor_of(request)
        ensure_can(actor, "knowledge.manage")
        serializer = ItemWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = services.item_create(actor=actor, **serializer.validated_data)
        item = selectors.item_get(actor=actor, slug=item.slug)
        body = ItemDetailSerializer(item, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": body["url"]})


class ItemDetailView(APIView):
    permission_classes = [PublicReadOrActor]

    @extend_schema(
        operation_id="knowledge_items_retrieve",
        summary="One item, with related items (public)",
        responses={200: ItemDetailSerializer, **NOT_FOUND},
    )
    def get(self, request, slug):
        item = selectors.item_get(actor=actor_of(request), slug=slug)
        return Response(ItemDetailSerializer(item, context={"request": request}).data)

    @extend_schema(
        operation_id="knowledge_items_partial_update",
        summary="Change an item; send the version you read (functional admins)",
        request=ItemPatchSerializer,
        responses={
            200: ItemDetailSerializer,
            **INVALID,
            **FORBIDDEN,
            **NOT_FOUND,
            (409, PROBLEM): ProblemSerializer,
        },
    )
    def patch(self, request, slug):
        actor = actor_of(request)
        ensure_can(actor, "knowledge.manage")
        item = selectors.item_get(actor=actor, slug=slug)
        serializer = ItemPatchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        version = fields.pop("version")
        note = fields.pop("note", "")
        if "links" in fields:
            fields["links"] = [dict(link) for link in fields["links"]]
        services.item_update(actor=actor, item=item, expected_version=version, note=note, **fields)
        item = selectors.item_get(actor=actor, slug=slug)
        return Response(ItemDetailSerializer(item, context={"request": request}).data)


class ItemHistoryView(APIView):
    @extend_schema(
        operation_id="knowledge_items_history",
        summary="The history of an item, newest first (functional admins)",
        responses={200: RevisionSerializer(many=True), **NOT_FOUND},
    )
    def get(self, request, slug):
        actor = actor_of(request)
        if not can(actor, "knowledge.manage"):
            raise Http404
        item = selectors.item_get(actor=actor, slug=slug)
        revisions = selectors.item_history_for(actor=actor, item=item)
        return Response(RevisionSerializer(revisions, many=True).data)


class UsageView(APIView):
    @extend_schema(
        operation_id="knowledge_usage",
        summary="Use of knowledge: anonymous counts per item, audience and period",
        parameters=[
            OpenApiParameter("date_from", datetime.date, description="Default: 90 days ago."),
            OpenApiParameter("date_to", datetime.date, description="Default: today."),
            OpenApiParameter("grouping", str, enum=["day", "week", "month"]),
            OpenApiParameter("audience", str, enum=VisitorAudience.values),
            OpenApiParameter("kind", str, enum=Kind.values),
        ],
        responses={200: UsageSerializer, **INVALID, **NOT_FOUND},
    )
    def get(self, request):
        actor = actor_of(request)
        if not can(actor, "knowledge.view_usage"):
            raise Http404
        params = request.query_params
        errors = {}
        dates = {}
        for name in ("date_from", "date_to"):
            value = params.get(name)
            try:
                dates[name] = datetime.date.fromisoformat(value) if value else None
            except ValueError:
                errors[name] = _("Vul een datum in als JJJJ-MM-DD.")
        grouping = params.get("grouping") or "week"
        if grouping not in selectors.GROUPINGS:
            errors["grouping"] = _("Kies day, week of month.")
        if errors:
            raise ValidationError(errors)
        date_to = dates["date_to"] or timezone.localdate()
        date_from = dates["date_from"] or date_to - datetime.timedelta(days=89)
        if date_from > date_to:
            raise ValidationError({"date_from": _("De begindatum ligt na de einddatum.")})
        summary = selectors.usage_summary_for(
            actor=actor,
            date_from=date_from,
            date_to=date_to,
            grouping=grouping,
            audience=_choice_param(request, "audience", VisitorAudience),
            kind=_choice_param(request, "kind", Kind),
            limit=1000,
        )
        data = {
            "date_from": summary.date_from,
            "date_to": summary.date_to,
            "grouping": summary.grouping,
            "totals": summary.totals,
            "items": [
                {
                    "id": row["item"].slug,
                    "title": row["item"].title,
                    "view": row["view"],
                    "download": row["download"],
                    "by_audience": dict(zip(summary.audiences, row["cells"], strict=True)),
                }
                for row in summary.by_item
            ],
            "periods": [
                {
                    "period": row["period"],
                    "total": row["total"],
                    "by_audience": dict(zip(summary.audiences, row["cells"], strict=True)),
                }
                for row in summary.by_period
            ],
            "unused": [item.slug for item in summary.unused],
        }
        return Response(UsageSerializer(data).data)


# -- recommendations -------------------------------------------------------------------------


class RecommendationListView(APIView):
    permission_classes = [PublicReadOrActor]

    @extend_schema(
        operation_id="recommendations_list",
        summary="Recommendations (and bottlenecks) of the report, with their status (public)",
        parameters=[
            OpenApiParameter(
                "kind",
                str,
                enum=["recommendation", "bottleneck", "all"],
                description="Default: recommendation.",
            ),
            OpenApiParameter("theme", int, description="Theme number, 1-9."),
            OpenApiParameter("addressee", str, enum=Addressee.values),
            OpenApiParameter("status", str, enum=Status.values),
            OpenApiParameter("stalled", bool, description="Only what has not moved for a year."),
            OpenApiParameter("q", str, description="Words in the summary or the number."),
        ],
        responses={200: RecommendationSerializer(many=True), **INVALID},
    )
    def get(self, request):
        params = request.query_params
        kind = params.get("kind") or "recommendation"
        if kind not in ("recommendation", "bottleneck", "all"):
            raise ValidationError({"kind": _("Kies recommendation, bottleneck of all.")})
        theme = params.get("theme") or None
        if theme is not None and not theme.isdigit():
            raise ValidationError({"theme": _("Vul het nummer van een thema in.")})
        points = selectors.recommendation_list(
            kind="" if kind == "all" else kind,
            theme=theme,
            addressee=_choice_param(request, "addressee", Addressee),
            status=_choice_param(request, "status", Status),
            stalled=params.get("stalled") in ("1", "true"),
            query=params.get("q", ""),
        )
        return Response(
            RecommendationSerializer(points, many=True, context={"request": request}).data
        )


class RecommendationDetailView(APIView):
    permission_classes = [PublicReadOrActor]

    @extend_schema(
        operation_id="recommendations_retrieve",
        summary="One recommendation or bottleneck (public)",
        responses={200: RecommendationSerializer, **NOT_FOUND},
    )
    def get(self, request, code):
        point = selectors.recommendation_get(code=code)
        return Response(RecommendationSerializer(point, context={"request": request}).data)


class StatusUpdateListView(APIView):
    permission_classes = [PublicReadOrActor]

    @extend_schema(
        operation_id="recommendations_status_updates_list",
        summary="The status history of a recommendation, newest first (public)",
        responses={200: StatusUpdateSerializer(many=True), **NOT_FOUND},
    )
    def get(self, request, code):
        point = selectors.recommendation_get(code=code)
        history = selectors.recommendation_history(recommendation=point)
        return Response(StatusUpdateSerializer(history, many=True).data)

    @extend_schema(
        operation_id="recommendations_status_updates_create",
        summary="Report progress, or correct the latest report (functional admins)",
        request=StatusUpdateWriteSerializer,
        responses={201: StatusUpdateSerializer, **INVALID, **FORBIDDEN, **NOT_FOUND},
    )
    def post(self, request, code):
        actor = actor_of(request)
        ensure_can(actor, "recommendations.manage")
        point = selectors.recommendation_get(code=code)
        serializer = StatusUpdateWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        corrects_pk = data.pop("corrects")
        corrects = None
        if corrects_pk is not None:
            corrects = selectors.status_update_get(recommendation=point, pk=corrects_pk)
            if corrects is None:
                raise ValidationError(
                    {"corrects": _("Kies de laatste melding van deze aanbeveling.")}
                )
        update = services.status_update_record(
            actor=actor, recommendation=point, corrects=corrects, **data
        )
        update.is_effective = True
        return Response(StatusUpdateSerializer(update).data, status=status.HTTP_201_CREATED)
