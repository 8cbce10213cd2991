"""All reads of the knowledge capability.

Knowledge items and the recommendations tracker are public; withdrawn items, item history,
usage figures and round-table input need a permission. Something the actor may not see answers
Http404, so nothing can be probed.
"""

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    Sum,
)
from django.db.models.functions import TruncMonth, TruncWeek
from django.http import Http404
from django.utils import timezone

from schakel.accounts.models import Membership
from schakel.accounts.permissions import can

from . import data, search
from .models import (
    FINAL_STATUSES,
    Addressee,
    ItemAudience,
    ItemForm,
    ItemRevision,
    KnowledgeItem,
    Recommendation,
    RecommendationAddressee,
    RoundTableSession,
    SearchTerm,
    Statement,
    Status,
    StatusUpdate,
    Theme,
    UsageCount,
    VisitorAudience,
)
from .services import effective_history

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# Up to this many matches, titles are fetched by id; above it, one scan of the visible items.
TITLE_LOOKUP_LIMIT = 900  # below SQLite's 999 parameters per statement
STALLED_DAYS = 365


# -- knowledge items -------------------------------------------------------------------------


def _with_facets(queryset):
    return queryset.prefetch_related(
        Prefetch("audience_rows", queryset=ItemAudience.objects.order_by("audience")),
        Prefetch("form_rows", queryset=ItemForm.objects.order_by("form")),
    )


def _visible_items(actor: Membership | None, include_withdrawn: bool = False):
    items = KnowledgeItem.objects.all()
    if not (include_withdrawn and can(actor, "knowledge.manage")):
        items = items.filter(is_published=True)
    return items


@dataclass
class SearchPage:
    """One page of search results, with what the query was understood as."""

    items: list
    total: int
    number: int
    per_page: int
    plan: search.QueryPlan | None = None
    scores: dict = field(default_factory=dict)

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.total else 0


def _page_number(page, num_pages: int, strict: bool) -> int:
    try:
        number = int(page or 1)
    except (TypeError, ValueError):
        if strict:
            raise Http404 from None
        return 1
    if number < 1 or number > num_pages:
        if strict:
            raise Http404
        return min(max(number, 1), num_pages)
    return number


def item_search(
    *,
    actor: Membership | None,
    query: str = "",
    audience: str = "",
    kind: str = "",
    form: str = "",
    lvb: str = "",
    page=1,
    per_page: int = PAGE_SIZE,
    include_withdrawn: bool = False,
    strict: bool = False,
) -> SearchPage:
    """Search and filter the knowledge base; best matches first, otherwise by title.

    Every word of the query must match (as a prefix of a stored term, after normalising and
    stemming); a word that matches nothing is replaced by stored terms within a typo or two.
    Filters: target audience, kind, form of exploitation and LVB suitability (exact codes;
    unknown codes give no results). `strict` raises Http404 for a page that does not exist.
    """
    per_page = max(1, min(int(per_page), MAX_PAGE_SIZE))
    items = _visible_items(actor, include_withdrawn)
    if audience:
        items = items.filter(
            Exists(ItemAudience.objects.filter(item=OuterRef("pk"), audience=audience))
        )
    if form:
        items = items.filter(Exists(ItemForm.objects.filter(item=OuterRef("pk"), form=form)))
    if kind:
        items = items.filter(kind=kind)
    if lvb:
        items = items.filter(lvb_suitability=lvb)

    plan = search.plan_query(query) if query and query.strip() else None
    if plan is None or not plan.words:
        total = items.count()
        number = _page_number(page, max(1, math.ceil(total / per_page)), strict)
        start = (number - 1) * per_page
        rows = list(_with_facets(items.order_by("sort_title", "pk"))[start : start + per_page])
        return SearchPage(items=rows, total=total, number=number, per_page=per_page, plan=plan)
    if not plan.searchable:
        _page_number(page, 1, strict)
        return SearchPage(items=[], total=0, number=1, per_page=per_page, plan=plan)

    # One aggregate per query word, answered from the covering (term, item, weight) index;
    # every word must match, so the item sets are intersected here, not in a HAVING clause.
    # Longer words tend to be rarer: they go first, and once few items are left, the next
    # words are only looked up for those items.
    matches: dict[int, int] | None = None
    for word in sorted(plan.words, key=len, reverse=True):
        terms = SearchTerm.objects.filter(_any_prefix(plan.alternatives[word]))
        if matches is not None and len(matches) <= TITLE_LOOKUP_LIMIT:
            terms = terms.filter(item_id__in=list(matches))
        per_item = dict(
            _raw_rows(
                terms.values("item_id")
                .annotate(score=Sum("weight"))
                .values_list("item_id", "score")
            )
        )
        if matches is None:
            matches = per_item
        else:
            matches = {pk: score + per_item[pk] for pk, score in matches.items() if pk in per_item}
        if not matches:
            break
    matches = matches or {}
    # The visible items (published, filters) with their titles, for the tie-break on title.
    lookup = items.filter(pk__in=list(matches)) if len(matches) <= TITLE_LOOKUP_LIMIT else items
    titles = dict(_raw_rows(lookup.order_by().values_list("pk", "sort_title")))
    ranked = sorted(
        ((pk, score) for pk, score in matches.items() if pk in titles),
        key=lambda row: (-row[1], titles[row[0]], row[0]),
    )
    total = len(ranked)
    number = _page_number(page, max(1, math.ceil(total / per_page)), strict)
    start = (number - 1) * per_page
    window = ranked[start : start + per_page]
    by_pk = _with_facets(KnowledgeItem.objects.all()).in_bulk([pk for pk, _score in window])
    rows = [by_pk[pk] for pk, _score in window]
    return SearchPage(
        items=rows,
        total=total,
        number=number,
        per_page=per_page,
        plan=plan,
        scores=dict(window),
    )


def _raw_rows(queryset) -> list[tuple]:
    """The rows of a values_list query as the database returns them.

    Skips Django's per-row converters, which cost more than the query itself when a common
    word matches thousands of items (the columns here are plain integers and text).
    """
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # e.g. "pk in []": nothing to ask the database
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _any_prefix(terms: list[str]) -> Q:
    q = search.prefix_q(terms[0])
    for term in terms[1:]:
        q |= search.prefix_q(term)
    return q


def item_get(*, actor: Membership | None, slug: str) -> KnowledgeItem:
    """An item by its slug. Withdrawn items only for those who manage the knowledge base."""
    item = _with_facets(_visible_items(actor, include_withdrawn=True)).filter(slug=slug).first()
    if item is None:
        raise Http404
    return item


def item_related(*, item: KnowledgeItem, limit: int = 5) -> list[KnowledgeItem]:
    """Published items most like `item`: shared forms of exploitation weigh most, then shared
    words in the title, then shared audiences and the same kind."""
    forms = [row.form for row in item.form_rows.all()]
    audiences = [row.audience for row in item.audience_rows.all()]
    scores: dict[int, int] = defaultdict(int)
    shared = [
        (3, ItemForm.objects.filter(form__in=forms)),
        (1, ItemAudience.objects.filter(audience__in=audiences)),
    ]
    title_terms = [
        term
        for term in {search.stem(w) for w in search.words(item.title)}
        if len(term) >= 4 and term not in search.STOPWORDS
    ]
    if title_terms:
        shared.append((2, SearchTerm.objects.filter(term__in=title_terms, weight__gte=3)))
    for factor, rows in shared:
        counted = rows.exclude(item_id=item.pk).values("item_id").annotate(n=Count("id"))
        for pk, n in _raw_rows(counted.values_list("item_id", "n")):
            scores[pk] += factor * n
    if not scores:
        return []
    best = sorted(scores.items(), key=lambda kv: -kv[1])[: limit * 6]
    candidates = _with_facets(
        KnowledgeItem.objects.filter(pk__in=[pk for pk, _s in best], is_published=True)
    )
    ranked = sorted(
        candidates,
        key=lambda other: (
            -(scores[other.pk] + (1 if other.kind == item.kind else 0)),
            other.sort_title,
        ),
    )
    return ranked[:limit]


def item_history_for(*, actor: Membership | None, item: KnowledgeItem) -> list[ItemRevision]:
    """The revisions of an item, newest first. Only for those who manage the knowledge base."""
    if not can(actor, "knowledge.manage"):
        raise Http404
    return list(
        item.revisions.select_related("changed_by__organisation", "changed_by__user").order_by(
            "-version"
        )
    )


# -- usage -----------------------------------------------------------------------------------

GROUPINGS = {"day": None, "week": TruncWeek, "month": TruncMonth}


@dataclass
class UsageSummary:
    date_from: datetime.date
    date_to: datetime.date
    grouping: str
    audiences: list[str]
    totals: dict  # {"view": n, "download": n}
    by_item: list[dict]  # item, per audience {view, download}, total
    by_period: list[dict]  # period, per audience views+downloads, total
    unused: list[KnowledgeItem]


def _ensure_usage(actor: Membership | None) -> None:
    if not can(actor, "knowledge.view_usage"):
        raise Http404


def usage_summary_for(
    *,
    actor: Membership | None,
    date_from: datetime.date,
    date_to: datetime.date,
    grouping: str = "week",
    audience: str = "",
    kind: str = "",
    limit: int = 50,
) -> UsageSummary:
    """What reaches the field: use per item and per visitor audience, and over time."""
    _ensure_usage(actor)
    if grouping not in GROUPINGS:
        grouping = "week"
    rows = UsageCount.objects.filter(day__gte=date_from, day__lte=date_to)
    if audience:
        rows = rows.filter(audience=audience)
    if kind:
        rows = rows.filter(item__kind=kind)
    totals = dict.fromkeys(UsageCount.Event.values, 0)
    for event, n in rows.values("event").annotate(n=Sum("count")).values_list("event", "n"):
        totals[event] = n
    audiences = [audience] if audience else list(VisitorAudience.values)

    per_item: dict[int, dict] = {}
    for item_id, aud, event, n in (
        rows.values("item_id", "audience", "event")
        .annotate(n=Sum("count"))
        .values_list("item_id", "audience", "event", "n")
    ):
        entry = per_item.setdefault(
            item_id, {"by_audience": defaultdict(int), "view": 0, "download": 0}
        )
        entry["by_audience"][aud] += n
        entry[event] += n
    top = sorted(per_item.items(), key=lambda kv: -(kv[1]["view"] + kv[1]["download"]))[:limit]
    items = KnowledgeItem.objects.in_bulk([pk for pk, _e in top])
    by_item = [
        {
            "item": items[pk],
            "cells": [entry["by_audience"].get(a, 0) for a in audiences],
            "view": entry["view"],
            "download": entry["download"],
            "total": entry["view"] + entry["download"],
        }
        for pk, entry in top
        if pk in items
    ]

    trunc = GROUPINGS[grouping]
    if trunc is None:
        periods = rows.values("day", "audience").annotate(n=Sum("count"))
        series = [(r["day"], r["audience"], r["n"]) for r in periods]
    else:
        periods = (
            rows.annotate(period=trunc("day")).values("period", "audience").annotate(n=Sum("count"))
        )
        series = [(r["period"], r["audience"], r["n"]) for r in periods]
    by_period_map: dict = defaultdict(lambda: defaultdict(int))
    for period, aud, n in series:
        if isinstance(period, datetime.datetime):
            period = period.date()
        by_period_map[period][aud] += n
    by_period = [
        {
            "period": period,
            "cells": [by_period_map[period].get(a, 0) for a in audiences],
            "total": sum(by_period_map[period].values()),
        }
        for period in sorted(by_period_map)
    ]
    used = set(per_item)
    unused_qs = KnowledgeItem.objects.filter(is_published=True).exclude(pk__in=used)
    if kind:
        unused_qs = unused_qs.filter(kind=kind)
    return UsageSummary(
        date_from=date_from,
        date_to=date_to,
        grouping=grouping,
        audiences=audiences,
        totals=totals,
        by_item=by_item,
        by_period=by_period,
        unused=list(unused_qs.order_by("sort_title")[:200]),
    )


def usage_rows_for(*, actor: Membership | None, date_from: datetime.date, date_to: datetime.date):
    """Every count in the period, for the CSV export: day, item, audience, event, count."""
    _ensure_usage(actor)
    return (
        UsageCount.objects.filter(day__gte=date_from, day__lte=date_to)
        .select_related("item")
        .order_by("day", "item__sort_title", "audience", "event")
    )


# -- recommendations tracker -----------------------------------------------------------------


def stalled_before(today: datetime.date | None = None) -> datetime.date:
    """A recommendation whose status has not changed since this date or earlier has stalled."""
    return (today or timezone.localdate()) - datetime.timedelta(days=STALLED_DAYS)


def _stalled_q(today=None) -> Q:
    return Q(
        kind=Recommendation.PointKind.RECOMMENDATION, status_since__lte=stalled_before(today)
    ) & ~Q(status__in=FINAL_STATUSES)


def _with_addressees(queryset):
    return queryset.select_related("theme").prefetch_related(
        Prefetch(
            "addressee_rows",
            queryset=RecommendationAddressee.objects.order_by("derived", "addressee"),
        )
    )


def recommendation_list(
    *,
    kind: str = Recommendation.PointKind.RECOMMENDATION,
    theme: int | str | None = None,
    addressee: str = "",
    status: str = "",
    stalled: bool = False,
    query: str = "",
    today: datetime.date | None = None,
):
    """Bottlenecks and recommendations in report order, filtered. Public."""
    points = Recommendation.objects.all()
    if kind in Recommendation.PointKind.values:
        points = points.filter(kind=kind)
    if theme not in (None, ""):
        try:
            points = points.filter(theme__number=int(theme))
        except (TypeError, ValueError):
            return Recommendation.objects.none()
    if addressee:
        points = points.filter(
            Exists(
                RecommendationAddressee.objects.filter(
                    recommendation=OuterRef("pk"), addressee=addressee
                )
            )
        )
    if status:
        points = points.filter(status=status)
    if stalled:
        points = points.filter(_stalled_q(today))
    if query and query.strip():
        for word in search.words(query)[:6]:
            points = points.filter(Q(summary__icontains=word) | Q(code__icontains=word))
    return _with_addressees(points.order_by("position"))


def recommendation_get(*, code: str) -> Recommendation:
    point = _with_addressees(Recommendation.objects.filter(code=code)).first()
    if point is None:
        raise Http404
    return point


def recommendation_history(*, recommendation: Recommendation) -> list[StatusUpdate]:
    """All status updates, newest first; each with `corrected_by` and `is_effective`."""
    updates = list(
        recommendation.status_updates.select_related("corrects").order_by("-reported_on", "-pk")
    )
    by_pk = {u.pk: u for u in updates}
    for update in updates:
        update.corrected_by = []
    for update in updates:
        target = by_pk.get(update.corrects_id)
        if target is not None:
            target.corrected_by.append(update)
    effective = {u.pk for u in effective_history(recommendation)}
    for update in updates:
        update.is_effective = update.pk in effective
    return updates


def status_update_get(*, recommendation: Recommendation, pk) -> StatusUpdate | None:
    """A status update of this recommendation by id, or None (to point a correction at it)."""
    try:
        return recommendation.status_updates.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def latest_effective_update(recommendation: Recommendation) -> StatusUpdate | None:
    history = effective_history(recommendation)
    return history[-1] if history else None


def is_stalled(point: Recommendation, today: datetime.date | None = None) -> bool:
    return (
        point.kind == Recommendation.PointKind.RECOMMENDATION
        and point.status not in FINAL_STATUSES
        and point.status_since <= stalled_before(today)
    )


@dataclass
class DashboardRow:
    key: str
    label: str
    counts: list[int]
    total: int
    stalled: int
    derived: int = 0

    @property
    def done(self) -> int:
        return self.counts[3]  # implemented

    @property
    def moving(self) -> int:
        return self.counts[1] + self.counts[2]


def recommendation_dashboard(*, today: datetime.date | None = None) -> dict:
    """Progress by theme and by addressee, and the recommendations that have not moved for a
    year (status unchanged for 365 days or more, and not implemented or dropped)."""
    statuses = list(Status.values)
    recs = Recommendation.objects.filter(kind=Recommendation.PointKind.RECOMMENDATION)
    stalled_q = _stalled_q(today)
    status_counts = {
        f"s_{s}": Count("points", filter=Q(points__kind="recommendation", points__status=s))
        for s in statuses
    }
    themes = []
    for theme in Theme.objects.annotate(
        **status_counts,
        n_stalled=Count(
            "points",
            filter=Q(points__kind="recommendation")
            & Q(points__status_since__lte=stalled_before(today))
            & ~Q(points__status__in=FINAL_STATUSES),
        ),
    ).order_by("number"):
        counts = [getattr(theme, f"s_{s}") for s in statuses]
        themes.append(
            DashboardRow(
                key=str(theme.number),
                label=str(theme),
                counts=counts,
                total=sum(counts),
                stalled=theme.n_stalled,
            )
        )
    by_addressee = []
    stalled_ids = set(recs.filter(stalled_q).values_list("pk", flat=True))
    rows = RecommendationAddressee.objects.filter(
        recommendation__kind="recommendation"
    ).values_list("addressee", "derived", "recommendation_id", "recommendation__status")
    grouped: dict[str, dict] = {}
    for addressee, derived, rec_id, status in rows:
        entry = grouped.setdefault(
            addressee, {"counts": dict.fromkeys(statuses, 0), "stalled": 0, "derived": 0}
        )
        entry["counts"][status] += 1
        entry["stalled"] += rec_id in stalled_ids
        entry["derived"] += derived
    for code, label in Addressee.choices:
        if code in grouped:
            entry = grouped[code]
            counts = [entry["counts"][s] for s in statuses]
            by_addressee.append(
                DashboardRow(
                    key=code,
                    label=str(label),
                    counts=counts,
                    total=sum(counts),
                    stalled=entry["stalled"],
                    derived=entry["derived"],
                )
            )
    without = recs.filter(addressee_rows__isnull=True)
    no_counts = dict.fromkeys(statuses, 0)
    for status in without.values_list("status", flat=True):
        no_counts[status] += 1
    totals = dict.fromkeys(statuses, 0)
    for status, n in recs.values("status").annotate(n=Count("id")).values_list("status", "n"):
        totals[status] = n
    return {
        "statuses": [(s, Status(s).label) for s in statuses],
        "themes": themes,
        "addressees": by_addressee,
        "without_addressee": DashboardRow(
            key="",
            label="",
            counts=[no_counts[s] for s in statuses],
            total=sum(no_counts.values()),
            stalled=without.filter(stalled_q).count(),
        ),
        "totals": [totals[s] for s in statuses],
        "status_totals": [(s, Status(s).label, totals[s]) for s in statuses],
        "total": sum(totals.values()),
        "stalled": list(
            _with_addressees(recs.filter(stalled_q).order_by("status_since", "position"))
        ),
        "stalled_before": stalled_before(today),
        "tracking_since": data.tracking_since(),
        "bottlenecks": Recommendation.objects.filter(kind="bottleneck").count(),
    }


def themes() -> list[Theme]:
    return list(Theme.objects.order_by("number"))


# -- round-table input -----------------------------------------------------------------------


def _ensure_roundtable(actor: Membership | None) -> None:
    if not can(actor, "recommendations.manage"):
        raise Http404


def sessions_for(*, actor: Membership | None) -> list[RoundTableSession]:
    _ensure_roundtable(actor)
    return list(RoundTableSession.objects.annotate(n_statements=Count("statements")))


def session_get_for(*, actor: Membership | None, pk) -> RoundTableSession:
    _ensure_roundtable(actor)
    try:
        session = RoundTableSession.objects.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        session = None
    if session is None:
        raise Http404
    return session


def _statements(queryset):
    return queryset.select_related("session").prefetch_related("themes", "supports")


def session_statements_for(*, actor: Membership | None, session: RoundTableSession):
    _ensure_roundtable(actor)
    return list(_statements(session.statements.order_by("pk")))


def statement_get_for(*, actor: Membership | None, pk) -> Statement:
    _ensure_roundtable(actor)
    try:
        statement = _statements(Statement.objects.filter(pk=int(pk))).first()
    except (TypeError, ValueError):
        statement = None
    if statement is None:
        raise Http404
    return statement


def theme_get(*, number) -> Theme:
    try:
        theme = Theme.objects.filter(number=int(number)).first()
    except (TypeError, ValueError):
        theme = None
    if theme is None:
        raise Http404
    return theme


def theme_overview_for(*, actor: Membership | None) -> list[Theme]:
    """Themes with the number of statements tagged with each (for the report index)."""
    _ensure_roundtable(actor)
    return list(
        Theme.objects.annotate(
            n_statements=Count("statements", distinct=True),
            n_points=Count("points", distinct=True),
        ).order_by("number")
    )


def theme_report_for(*, actor: Membership | None, theme: Theme) -> dict:
    """The report of one theme: its bottlenecks and recommendations with the statements that
    support each, and the theme's statements by kind (with those that support nothing yet)."""
    _ensure_roundtable(actor)
    statements = list(_statements(theme.statements.order_by("session__held_on", "pk")))
    supported: dict[int, list[Statement]] = defaultdict(list)
    linked = set()
    for statement in statements:
        for point in statement.supports.all():
            supported[point.pk].append(statement)
            linked.add(statement.pk)
    points = list(_with_addressees(theme.points.order_by("position")))
    # Statements tagged with another theme can still support a point of this theme.
    for statement in _statements(
        Statement.objects.filter(supports__theme=theme).exclude(themes=theme).distinct()
    ):
        for point in statement.supports.all():
            if point.theme_id == theme.pk:
                supported[point.pk].append(statement)
    for point in points:
        point.supporting = supported.get(point.pk, [])
    by_kind = []
    for kind, label in Statement.StatementKind.choices:
        group = [s for s in statements if s.kind == kind]
        by_kind.append({"kind": kind, "label": label, "statements": group})
    return {
        "theme": theme,
        "bottlenecks": [p for p in points if p.kind == Recommendation.PointKind.BOTTLENECK],
        "recommendations": [p for p in points if p.kind == Recommendation.PointKind.RECOMMENDATION],
        "statements": statements,
        "by_kind": by_kind,
        "unlinked": [s for s in statements if s.pk not in linked],
        "sessions": sorted({s.session for s in statements}, key=lambda s: (s.held_on, s.pk)),
    }
