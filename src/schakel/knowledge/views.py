"""Web pages of the knowledge base, the use of knowledge, the recommendations tracker and the
round-table input. Thin: services write, selectors read, these views translate HTTP.

The knowledge base and the recommendations tracker are public (read-only); editing, usage
figures and round-table input need a permission (404 for those without one, 403 for those who
can see a page but not change it).
"""

import csv
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from schakel.accounts.permissions import can
from schakel.core.forms import apply_errors, submit

from . import selectors, services
from .forms import (
    ItemForm,
    RecommendationFilterForm,
    SearchForm,
    SessionForm,
    StatementForm,
    StatusUpdateForm,
    UsageFilterForm,
)
from .models import (
    Audience,
    ExploitationForm,
    Kind,
    LanguageLevel,
    LvbSuitability,
    UsageCount,
    VisitorAudience,
)

BOT_AGENTS = re.compile(r"bot|crawl|spider|slurp|preview|monitor", re.IGNORECASE)
COUNTED_KEY = "knowledge_counted"


FORM_NAMES = {"forms": "exploitation_forms"}  # the services' field names -> the forms'


def _apply_errors(form, error: ValidationError) -> None:
    apply_errors(form, error, FORM_NAMES)


def _query_without_page(request) -> str:
    params = [(k, v) for k, v in request.GET.lists() if k != "pagina" for v in v]
    return urlencode([(k, v) for k, v in params if v])


def _require_manage(actor) -> None:
    if not can(actor, "knowledge.manage"):
        raise Http404


# -- knowledge base --------------------------------------------------------------------------


@require_GET
def index(request):
    """Search and browse the knowledge base."""
    actor = request.actor
    form = SearchForm(request.GET or None)
    filters = (
        form.filters()
        if request.GET
        else dict.fromkeys(("q", "audience", "kind", "form", "lvb"), "")
    )
    page = selectors.item_search(
        actor=actor,
        query=filters["q"],
        audience=filters["audience"],
        kind=filters["kind"],
        form=filters["form"],
        lvb=filters["lvb"],
        page=request.GET.get("pagina"),
    )
    labels = {
        "audience": dict(Audience.choices),
        "kind": dict(Kind.choices),
        "form": dict(ExploitationForm.choices),
        "lvb": dict(LvbSuitability.choices),
    }
    active = [
        str(labels[name][filters[name]])
        for name in ("audience", "kind", "form", "lvb")
        if filters[name] in labels[name]
    ]
    context = {
        "form": form,
        "page": page,
        "query": filters["q"],
        "active_filters": active,
        "searched": bool(request.GET),
        "page_query": _query_without_page(request),
        "can_manage": can(actor, "knowledge.manage"),
        "can_view_usage": can(actor, "knowledge.view_usage"),
        "can_roundtable": can(actor, "recommendations.manage"),
    }
    return render(request, "knowledge/index.html", context)


def _count_once(request, item, event: str) -> None:
    """Count a view or a link opening, without anything about the visitor but its audience.

    Not counted: withdrawn items, the people who manage the knowledge base, and robots. A
    session that already exists remembers what it counted today, so reloading does not count
    twice (no session is created for this).
    """
    if not item.is_published or can(request.actor, "knowledge.manage"):
        return
    if BOT_AGENTS.search(request.headers.get("User-Agent", "")):
        return
    session = request.session
    if session.session_key:
        today = timezone.localdate().isoformat()
        seen = session.get(COUNTED_KEY) or {}
        if seen.get("day") != today:
            seen = {"day": today, "items": []}
        marker = f"{event}:{item.pk}"
        if marker in seen["items"]:
            return
        seen["items"] = [*seen["items"], marker][-200:]
        session[COUNTED_KEY] = seen
    services.usage_record(actor=request.actor, item=item, event=event)


@require_GET
def item_detail(request, slug):
    actor = request.actor
    item = selectors.item_get(actor=actor, slug=slug)
    _count_once(request, item, UsageCount.Event.VIEW)
    context = {
        "item": item,
        "related": selectors.item_related(item=item),
        "can_manage": can(actor, "knowledge.manage"),
    }
    return render(request, "knowledge/item_detail.html", context)


@require_GET
def item_link(request, slug, number):
    """Open (or download) one of the item's links: count it, then send the browser there."""
    item = selectors.item_get(actor=request.actor, slug=slug)
    if not 1 <= number <= len(item.links):
        raise Http404
    _count_once(request, item, UsageCount.Event.DOWNLOAD)
    return HttpResponseRedirect(item.links[number - 1]["url"])


@login_required
@require_http_methods(["GET", "POST"])
def item_create(request):
    actor = request.actor
    _require_manage(actor)
    form = ItemForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_create(actor=actor, **form.service_values())
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Het item staat in de kennisbank."))
            return redirect("knowledge:item", slug=item.slug)
    status = 400 if form.errors else 200
    return render(request, "knowledge/item_form.html", {"form": form, "item": None}, status=status)


def _initial(item) -> dict:
    return {
        "title": item.title,
        "kind": item.kind,
        "publisher": item.publisher,
        "year": item.year,
        "description": item.description,
        "audiences": [row.audience for row in item.audience_rows.all()],
        "exploitation_forms": [row.form for row in item.form_rows.all()],
        "lvb_suitability": item.lvb_suitability,
        "language_level": item.language_level,
        "links": ItemForm.links_as_text(item.links),
        "keywords": item.keywords,
        "is_published": item.is_published,
        "version": item.version,
    }


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request, slug):
    actor = request.actor
    _require_manage(actor)
    item = selectors.item_get(actor=actor, slug=slug)
    status = 200
    if request.method == "POST":
        form = ItemForm(request.POST, editing=True)
        if form.is_valid():
            outcome = submit(
                form,
                services.item_update,
                aliases=FORM_NAMES,
                actor=actor,
                item=item,
                expected_version=form.cleaned_data["version"],
                note=form.cleaned_data.get("note", ""),
                **form.service_values(),
            )
            if outcome.ok:
                messages.success(request, _("De wijzigingen zijn opgeslagen."))
                return redirect("knowledge:item", slug=item.slug)
            if outcome.conflict:
                item = selectors.item_get(actor=actor, slug=slug)
            status = outcome.status
        else:
            status = 400
    else:
        form = ItemForm(initial=_initial(item), editing=True)
    context = {"form": form, "item": item, "conflict": status == 409}
    return render(request, "knowledge/item_form.html", context, status=status)


def _snapshot_rows(snapshot: dict, names: dict) -> list[tuple[str, str]]:
    """The stored state of a revision as (label, readable value) pairs."""
    display = {
        "kind": lambda v: Kind(v).label if v in Kind.values else v,
        "audiences": lambda v: ", ".join(str(Audience(a).label) for a in v if a in Audience.values),
        "forms": lambda v: ", ".join(
            str(ExploitationForm(f).label) for f in v if f in ExploitationForm.values
        ),
        "lvb_suitability": lambda v: LvbSuitability(v).label if v in LvbSuitability.values else v,
        "language_level": lambda v: LanguageLevel(v).label if v in LanguageLevel.values else v,
        "links": lambda v: " · ".join(link["url"] for link in v),
        "is_published": lambda v: _("ja") if v else _("nee"),
    }
    rows = []
    for name in services.ITEM_FIELDS:
        value = snapshot.get(name)
        shown = display[name](value) if name in display and value is not None else value
        rows.append((str(names.get(name, name)), "" if shown is None else str(shown)))
    return rows


@login_required
@require_GET
def item_history(request, slug):
    actor = request.actor
    _require_manage(actor)
    item = selectors.item_get(actor=actor, slug=slug)
    revisions = selectors.item_history_for(actor=actor, item=item)
    names = {name: field.label for name, field in ItemForm.base_fields.items()}
    names["forms"] = names["exploitation_forms"]
    for revision in revisions:
        revision.changed_labels = [str(names.get(n, n)) for n in revision.changed_fields]
        revision.snapshot_rows = _snapshot_rows(revision.snapshot, names)
    return render(request, "knowledge/item_history.html", {"item": item, "revisions": revisions})


# -- use of knowledge ------------------------------------------------------------------------


@login_required
@require_GET
def usage(request):
    actor = request.actor
    if not can(actor, "knowledge.view_usage"):
        raise Http404
    form = UsageFilterForm(request.GET or None)
    filters = form.filters()
    summary = selectors.usage_summary_for(actor=actor, **filters)
    context = {
        "form": form,
        "summary": summary,
        "audience_labels": [VisitorAudience(a).label for a in summary.audiences],
        "export_query": urlencode(
            {
                "date_from": filters["date_from"].isoformat(),
                "date_to": filters["date_to"].isoformat(),
            }
        ),
    }
    return render(request, "knowledge/usage.html", context)


def _cell(value) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return response


@login_required
@require_GET
def usage_csv(request):
    actor = request.actor
    if not can(actor, "knowledge.view_usage"):
        raise Http404
    filters = UsageFilterForm(request.GET or None).filters()
    rows = selectors.usage_rows_for(
        actor=actor, date_from=filters["date_from"], date_to=filters["date_to"]
    )
    return _csv_response(
        f"kennisbank-gebruik-{filters['date_from']}-{filters['date_to']}.csv",
        ["dag", "item", "titel", "soort_item", "gebruikers", "gebeurtenis", "aantal"],
        (
            (
                r.day.isoformat(),
                r.item.slug,
                r.item.title,
                r.item.kind,
                r.audience,
                r.event,
                r.count,
            )
            for r in rows
        ),
    )


# -- recommendations tracker -----------------------------------------------------------------


@require_GET
def recommendation_list(request):
    form = RecommendationFilterForm(request.GET or None)
    filters = form.filters()
    points = list(selectors.recommendation_list(**filters))
    today = timezone.localdate()
    for point in points:
        point.stalled = selectors.is_stalled(point, today)
    context = {
        "form": form,
        "points": points,
        "filters": filters,
        "export_query": _query_without_page(request),
        "can_manage": can(request.actor, "recommendations.manage"),
    }
    return render(request, "knowledge/recommendation_list.html", context)


def _recommendation_context(request, point, form=None) -> dict:
    history = selectors.recommendation_history(recommendation=point)
    can_manage = can(request.actor, "recommendations.manage") and point.is_recommendation
    latest = selectors.latest_effective_update(point)
    if can_manage and form is None:
        initial = {"reported_by": ""}
        if request.GET.get("verbeter") and latest is not None:
            initial.update(
                {
                    "corrects": latest.pk,
                    "status": latest.status,
                    "reported_on": latest.reported_on,
                    "reported_by": latest.reported_by,
                }
            )
        form = StatusUpdateForm(initial=initial, latest=latest)
    return {
        "point": point,
        "history": history,
        "stalled": selectors.is_stalled(point),
        "form": form if can_manage else None,
        "can_manage": can_manage,
        "latest": latest,
    }


@require_GET
def recommendation_detail(request, code):
    point = selectors.recommendation_get(code=code)
    return render(
        request, "knowledge/recommendation_detail.html", _recommendation_context(request, point)
    )


@login_required
@require_POST
def status_update_add(request, code):
    actor = request.actor
    point = selectors.recommendation_get(code=code)
    if not can(actor, "recommendations.manage"):
        raise PermissionDenied("recommendations.manage")
    latest = selectors.latest_effective_update(point)
    form = StatusUpdateForm(request.POST, latest=latest)
    if form.is_valid():
        corrects_pk = form.cleaned_data.get("corrects")
        corrects = latest if latest is not None and corrects_pk == latest.pk else None
        try:
            services.status_update_record(
                actor=actor, recommendation=point, corrects=corrects, **form.service_values()
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("De status is bijgewerkt."))
            url = reverse("knowledge:recommendation", kwargs={"code": point.code})
            return redirect(f"{url}#geschiedenis")
    context = _recommendation_context(request, point, form=form)
    return render(request, "knowledge/recommendation_detail.html", context, status=400)


@require_GET
def recommendation_dashboard(request):
    context = {"dashboard": selectors.recommendation_dashboard()}
    return render(request, "knowledge/recommendation_dashboard.html", context)


@require_GET
def recommendation_csv(request):
    filters = RecommendationFilterForm(request.GET or None).filters()
    if not request.GET.get("kind"):
        filters["kind"] = ""  # the export holds everything unless asked otherwise
    points = selectors.recommendation_list(**filters)
    today = timezone.localdate()

    def rows():
        for p in points:
            explicit = [r.addressee for r in p.addressee_rows.all() if not r.derived]
            derived = [r.addressee for r in p.addressee_rows.all() if r.derived]
            yield (
                p.code,
                p.get_kind_display(),
                p.theme.number,
                p.theme.title,
                p.section,
                p.number_in_seed,
                p.summary,
                "|".join(explicit),
                "|".join(derived),
                p.addressee_text,
                p.status if p.is_recommendation else "",
                p.status_since.isoformat() if p.is_recommendation else "",
                p.last_report_on.isoformat() if p.last_report_on else "",
                ("ja" if selectors.is_stalled(p, today) else "nee") if p.is_recommendation else "",
            )

    return _csv_response(
        f"aanbevelingen-{today.isoformat()}.csv",
        [
            "nummer",
            "soort",
            "thema_nummer",
            "thema",
            "paragraaf",
            "nummer_in_rapport",
            "samenvatting",
            "geadresseerden",
            "geadresseerden_afgeleid",
            "geadresseerde_in_tekst",
            "status",
            "status_sinds",
            "laatste_melding",
            "staat_een_jaar_stil",
        ],
        rows(),
    )


# -- round-table input -----------------------------------------------------------------------


def _require_roundtable(actor) -> None:
    if not can(actor, "recommendations.manage"):
        raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def session_list(request):
    actor = request.actor
    _require_roundtable(actor)
    form = SessionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(actor=actor, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("De sessie is aangemaakt. Voeg nu de uitspraken toe."))
            return redirect("knowledge:session", pk=session.pk)
    context = {"sessions": selectors.sessions_for(actor=actor), "form": form}
    return render(
        request, "knowledge/session_list.html", context, status=400 if form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_detail(request, pk):
    actor = request.actor
    session = selectors.session_get_for(actor=actor, pk=pk)
    form = StatementForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.statement_create(actor=actor, session=session, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("De uitspraak is toegevoegd."))
            url = reverse("knowledge:session", kwargs={"pk": session.pk})
            return redirect(f"{url}#uitspraken")
    context = {
        "session": session,
        "statements": selectors.session_statements_for(actor=actor, session=session),
        "form": form,
    }
    return render(
        request, "knowledge/session_detail.html", context, status=400 if form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def statement_edit(request, pk):
    actor = request.actor
    statement = selectors.statement_get_for(actor=actor, pk=pk)
    if request.method == "POST":
        form = StatementForm(request.POST)
        if form.is_valid():
            try:
                services.statement_update(actor=actor, statement=statement, **form.cleaned_data)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("De uitspraak is opgeslagen."))
                url = reverse("knowledge:session", kwargs={"pk": statement.session_id})
                return redirect(f"{url}#uitspraak-{statement.pk}")
    else:
        form = StatementForm(
            initial={
                "text": statement.text,
                "kind": statement.kind,
                "organisation_kind": statement.organisation_kind,
                "themes": list(statement.themes.all()),
                "supports": ", ".join(p.code for p in statement.supports.all()),
            }
        )
    return render(
        request,
        "knowledge/statement_form.html",
        {"form": form, "statement": statement},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def statement_delete(request, pk):
    actor = request.actor
    statement = selectors.statement_get_for(actor=actor, pk=pk)
    session_pk = statement.session_id
    services.statement_delete(actor=actor, statement=statement)
    messages.success(request, _("De uitspraak is verwijderd."))
    return redirect("knowledge:session", pk=session_pk)


@login_required
@require_GET
def theme_list(request):
    themes = selectors.theme_overview_for(actor=request.actor)
    return render(request, "knowledge/theme_list.html", {"themes": themes})


@login_required
@require_GET
def theme_report(request, number):
    actor = request.actor
    if not can(actor, "recommendations.manage"):
        raise Http404
    theme = selectors.theme_get(number=number)
    report = selectors.theme_report_for(actor=actor, theme=theme)
    return render(request, "knowledge/theme_report.html", report)
