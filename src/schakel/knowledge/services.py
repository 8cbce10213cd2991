"""All writes of the knowledge capability: items (with history), the search index, anonymous usage
counts, recommendation status updates, round-table sessions and statements, and the seed loader.

No personal data of data subjects passes here, so nothing is written to the processing log. The
usage counts hold no user, session, organisation or address: only item, day, kind of visitor
(the domain of the organisation acted for, or "public") and event.
"""

import datetime
import re
from dataclasses import dataclass, field
from functools import partial

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from schakel.accounts.models import Membership
from schakel.accounts.permissions import ensure_can
from schakel.core.concurrency import StaleEdit
from schakel.core.validation import clean_date

from . import data, search
from .models import (
    FINAL_STATUSES,
    Audience,
    ExploitationForm,
    ItemAudience,
    ItemForm,
    ItemRevision,
    Kind,
    KnowledgeItem,
    LanguageLevel,
    LvbSuitability,
    OrganisationKind,
    Recommendation,
    RecommendationAddressee,
    RoundTableSession,
    SearchTerm,
    SearchVocabulary,
    Statement,
    Status,
    StatusUpdate,
    Theme,
    UsageCount,
    VisitorAudience,
)

STALE_MESSAGE = gettext_lazy(
    "Iemand anders heeft dit item gewijzigd nadat u het opende. Uw wijziging is niet opgeslagen."
)

ITEM_FIELDS = (
    "title",
    "kind",
    "publisher",
    "year",
    "description",
    "audiences",
    "forms",
    "lvb_suitability",
    "language_level",
    "links",
    "keywords",
    "is_published",
)
MAX_LINKS = 10
URL_PATTERN = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)
# Field weights in the search index: a word in the title counts most.
WEIGHT_TITLE = 5
WEIGHT_KEYWORDS = 3
WEIGHT_FACETS = 2
WEIGHT_TEXT = 1


def _too_long(limit: int) -> str:
    return _("Gebruik hier hoogstens %(limit)d tekens.") % {"limit": limit}


def _text(value) -> str:
    return str(value or "").strip()


# -- knowledge items -------------------------------------------------------------------------


def _clean_links(value, errors: dict) -> list[dict]:
    """Links as [{"url", "label"}]; accepts strings or dicts. Only http(s) addresses."""
    links = []
    for raw in value or []:
        if isinstance(raw, str):
            url, label = raw.strip(), ""
        elif isinstance(raw, dict):
            url, label = _text(raw.get("url")), _text(raw.get("label"))
        else:
            errors["links"] = _("Een link bestaat uit een adres en eventueel een naam.")
            return []
        if not url:
            continue
        if not URL_PATTERN.match(url) or len(url) > 500:
            errors["links"] = _(
                "'%(url)s' is geen geldig webadres. Begin met https:// of http://."
            ) % {"url": url[:80]}
            return []
        if len(label) > 200:
            errors["links"] = _too_long(200)
            return []
        links.append({"url": url, "label": label or url})
    if len(links) > MAX_LINKS:
        errors["links"] = _("Gebruik hoogstens %(limit)d links.") % {"limit": MAX_LINKS}
    return links


def _clean_codes(value, choices, errors: dict, name: str, *, required: bool) -> list[str]:
    codes = []
    for code in value or []:
        if code not in choices.values:
            errors[name] = _("Kies uit de mogelijkheden.")
            return []
        if code not in codes:
            codes.append(code)
    if required and not codes:
        errors[name] = _("Kies minstens één doelgroep.")
    return sorted(codes)


def _clean_year(value, errors: dict) -> int | None:
    if value in (None, ""):
        return None
    try:
        year = int(value)
    except (TypeError, ValueError):
        errors["year"] = _("Vul een jaartal in, bijvoorbeeld 2022.")
        return None
    latest = timezone.localdate().year + 1
    if not 1900 <= year <= latest:
        errors["year"] = _("Vul een jaartal in tussen 1900 en %(latest)d.") % {"latest": latest}
    return year


def _clean_item(values: dict, errors: dict) -> dict:
    """Check a complete set of item fields; messages go into `errors` by field name."""
    cleaned = {
        "title": _text(values.get("title")),
        "kind": values.get("kind") or "",
        "publisher": _text(values.get("publisher")),
        "year": _clean_year(values.get("year"), errors),
        "description": _text(values.get("description")),
        "audiences": _clean_codes(
            values.get("audiences"), Audience, errors, "audiences", required=True
        ),
        "forms": _clean_codes(
            values.get("forms"), ExploitationForm, errors, "forms", required=False
        ),
        "lvb_suitability": values.get("lvb_suitability") or "",
        "language_level": values.get("language_level") or LanguageLevel.UNKNOWN,
        "links": _clean_links(values.get("links"), errors),
        "keywords": _text(values.get("keywords")),
        "is_published": bool(values.get("is_published", True)),
    }
    if not cleaned["title"]:
        errors["title"] = _("Vul een titel in.")
    elif len(cleaned["title"]) > 300:
        errors["title"] = _too_long(300)
    if cleaned["kind"] not in Kind.values:
        errors["kind"] = _("Kies de soort.")
    if len(cleaned["publisher"]) > 300:
        errors["publisher"] = _too_long(300)
    if len(cleaned["description"]) < 10:
        errors["description"] = _("Beschrijf in een paar zinnen wat dit is en voor wie.")
    elif len(cleaned["description"]) > 3000:
        errors["description"] = _too_long(3000)
    if cleaned["lvb_suitability"] not in LvbSuitability.values:
        errors["lvb_suitability"] = _("Kies of dit item geschikt is bij een LVB.")
    if cleaned["language_level"] not in LanguageLevel.values:
        errors["language_level"] = _("Kies het taalniveau.")
    if len(cleaned["keywords"]) > 500:
        errors["keywords"] = _too_long(500)
    return cleaned


def _snapshot(item: KnowledgeItem, audiences: list[str], forms: list[str]) -> dict:
    return {
        "slug": item.slug,
        "title": item.title,
        "kind": item.kind,
        "publisher": item.publisher,
        "year": item.year,
        "description": item.description,
        "audiences": sorted(audiences),
        "forms": sorted(forms),
        "lvb_suitability": item.lvb_suitability,
        "language_level": item.language_level,
        "links": item.links,
        "keywords": item.keywords,
        "is_published": item.is_published,
    }


def _current_values(item: KnowledgeItem) -> dict:
    return _snapshot(
        item,
        list(item.audience_rows.values_list("audience", flat=True)),
        list(item.form_rows.values_list("form", flat=True)),
    )


def _unique_slug(title: str) -> str:
    base = (slugify(search.normalise(title)) or "item")[:70].strip("-") or "item"
    slug, n = base, 1
    while KnowledgeItem.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def item_reindex(*, item: KnowledgeItem, audiences=None, forms=None) -> int:
    """Rebuild the search terms of one item. Returns the number of terms stored."""
    if audiences is None:
        audiences = list(item.audience_rows.values_list("audience", flat=True))
    if forms is None:
        forms = list(item.form_rows.values_list("form", flat=True))
    facets = " ".join(
        [str(Kind(item.kind).label)]
        + [str(Audience(a).label) for a in audiences]
        + [str(ExploitationForm(f).label) for f in forms]
    )
    terms = search.index_terms(
        [
            (item.title, WEIGHT_TITLE),
            (f"{item.keywords} {item.publisher} {item.year or ''}", WEIGHT_KEYWORDS),
            (facets, WEIGHT_FACETS),
            (item.description, WEIGHT_TEXT),
        ]
    )
    SearchTerm.objects.filter(item=item).delete()
    SearchTerm.objects.bulk_create(
        [SearchTerm(item=item, term=term, weight=weight) for term, weight in terms.items()]
    )
    SearchVocabulary.objects.bulk_create(
        [SearchVocabulary(term=term, length=len(term)) for term in terms],
        ignore_conflicts=True,
    )
    return len(terms)


def _store_facets(item: KnowledgeItem, audiences: list[str], forms: list[str]) -> None:
    ItemAudience.objects.filter(item=item).delete()
    ItemForm.objects.filter(item=item).delete()
    ItemAudience.objects.bulk_create([ItemAudience(item=item, audience=a) for a in audiences])
    ItemForm.objects.bulk_create([ItemForm(item=item, form=f) for f in forms])


def _apply(item: KnowledgeItem, values: dict) -> None:
    for name in ITEM_FIELDS:
        if name not in ("audiences", "forms"):
            setattr(item, name, values[name])
    item.sort_title = search.normalise(values["title"])[:300]


def _revision(item, *, action, changed, actor, snapshot, note="") -> ItemRevision:
    return ItemRevision.objects.create(
        item=item,
        version=item.version,
        action=action,
        changed_fields=sorted(changed),
        snapshot=snapshot,
        changed_by=actor,
        note=note[:300],
    )


def item_create(*, actor: Membership, slug: str = "", **fields) -> KnowledgeItem:
    """Add an item to the knowledge base. Needs at least a title, kind, description, audience
    and LVB suitability. The first history entry holds the complete item."""
    ensure_can(actor, "knowledge.manage")
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"item_create() got unknown fields: {', '.join(sorted(unknown))}")
    errors: dict = {}
    values = _clean_item(fields, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        item = KnowledgeItem(slug=slug or _unique_slug(values["title"]))
        _apply(item, values)
        item.origin = KnowledgeItem.Origin.LOCAL
        item.save()
        _store_facets(item, values["audiences"], values["forms"])
        item_reindex(item=item, audiences=values["audiences"], forms=values["forms"])
        _revision(
            item,
            action=ItemRevision.Action.CREATED,
            changed=list(ITEM_FIELDS),
            actor=actor,
            snapshot=_snapshot(item, values["audiences"], values["forms"]),
        )
    return item


def item_update(
    *, actor: Membership, item: KnowledgeItem, expected_version: int, note: str = "", **fields
) -> KnowledgeItem:
    """Change some fields of an item, if nobody changed it since `expected_version`.

    Raises StaleEdit when the stored version differs; nothing changes then. Every change appends
    a revision with the fields that changed and the complete state after the change.
    Withdrawing (is_published=False) hides the item from the public but keeps it and its history.
    """
    ensure_can(actor, "knowledge.manage")
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"item_update() got unknown fields: {', '.join(sorted(unknown))}")
    try:
        expected = int(expected_version)
    except (TypeError, ValueError):
        raise ValidationError(
            {"version": _("De versie ontbreekt. Laad het item opnieuw.")}
        ) from None
    with transaction.atomic():
        current = KnowledgeItem.objects.select_for_update().get(pk=item.pk)
        if current.version != expected:
            raise StaleEdit(current_version=current.version, message=STALE_MESSAGE)
        before = _current_values(current)
        errors: dict = {}
        values = _clean_item(before | fields, errors)
        if errors:
            raise ValidationError(errors)
        changed = [name for name in ITEM_FIELDS if before[name] != values[name]]
        if not changed:
            return current
        _apply(current, values)
        current.version = expected + 1
        current.updated_at = timezone.now()
        current.save()
        if "audiences" in changed or "forms" in changed:
            _store_facets(current, values["audiences"], values["forms"])
        item_reindex(item=current, audiences=values["audiences"], forms=values["forms"])
        action = ItemRevision.Action.UPDATED
        if changed == ["is_published"]:
            action = (
                ItemRevision.Action.REPUBLISHED
                if values["is_published"]
                else ItemRevision.Action.WITHDRAWN
            )
        _revision(
            current,
            action=action,
            changed=changed,
            actor=actor,
            snapshot=_snapshot(current, values["audiences"], values["forms"]),
            note=_text(note),
        )
    return current


# -- anonymous usage counts ------------------------------------------------------------------


def visitor_audience(actor: Membership | None) -> str:
    """The coarse kind of visitor a count is kept under: never more than an org's domain."""
    if actor is None:
        return VisitorAudience.PUBLIC
    domain = actor.organisation.domain
    return domain if domain in VisitorAudience.values else VisitorAudience.OVERIG


def usage_record(
    *, actor: Membership | None, item: KnowledgeItem, event: str, day: datetime.date | None = None
) -> None:
    """Add one to the count of `event` for the item today, under the visitor's audience.

    Stores nothing about the visitor but that audience. Safe under concurrent requests: the
    row is incremented in the database, and a race to create it retries the increment.
    """
    if event not in UsageCount.Event.values:
        raise ValueError(f"unknown usage event '{event}'")
    key = {
        "item_id": item.pk,
        "day": day or timezone.localdate(),
        "audience": visitor_audience(actor),
        "event": event,
    }
    with transaction.atomic():
        if UsageCount.objects.filter(**key).update(count=F("count") + 1):
            return
        try:
            with transaction.atomic():
                UsageCount.objects.create(**key, count=1)
        except IntegrityError:
            UsageCount.objects.filter(**key).update(count=F("count") + 1)


# -- recommendations tracker -----------------------------------------------------------------


_as_date = partial(
    clean_date, required=True, missing=gettext_lazy("Vul de datum in."), example="2025-03-14"
)


def _clean_urls(value, errors: dict, name: str) -> list[str]:
    urls = []
    for raw in value or []:
        url = _text(raw)
        if not url:
            continue
        if not URL_PATTERN.match(url) or len(url) > 500:
            errors[name] = _(
                "'%(url)s' is geen geldig webadres. Begin met https:// of http://."
            ) % {"url": url[:80]}
            return []
        urls.append(url)
    if len(urls) > MAX_LINKS:
        errors[name] = _("Gebruik hoogstens %(limit)d links.") % {"limit": MAX_LINKS}
    return urls


def effective_history(recommendation: Recommendation) -> list[StatusUpdate]:
    """The status updates that count, oldest first: every update minus the corrected ones."""
    updates = list(recommendation.status_updates.order_by("reported_on", "pk"))
    corrected = {u.corrects_id for u in updates if u.corrects_id}
    return [u for u in updates if u.pk not in corrected]


def _refresh_current(recommendation: Recommendation, start: datetime.date | None = None) -> None:
    """Derive status, since when, and the last report date from the effective history."""
    start = start or data.tracking_since()
    history = effective_history(recommendation)
    if not history:
        status, since, last = Status.NOT_STARTED, start, None
    else:
        status, last = history[-1].status, history[-1].reported_on
        since = history[-1].reported_on
        for update in reversed(history):
            if update.status != status:
                break
            since = update.reported_on
        else:
            if status == Status.NOT_STARTED:
                since = start
    Recommendation.objects.filter(pk=recommendation.pk).update(
        status=status, status_since=since, last_report_on=last
    )
    recommendation.status, recommendation.status_since = status, since
    recommendation.last_report_on = last


def status_update_record(
    *,
    actor: Membership,
    recommendation: Recommendation,
    status: str,
    reported_on,
    reported_by: str,
    evidence: str = "",
    evidence_links=(),
    corrects: StatusUpdate | None = None,
) -> StatusUpdate:
    """Append a status report to a recommendation's history (or a correction of the last one).

    Rules: only recommendations (not bottlenecks) have a status; the date lies between the start
    of tracking and today and not before the previous report; "implemented" and "dropped" need
    evidence, and so does reopening one of them; repeating the current status is a progress
    report and needs evidence too; only the latest report can be corrected. History is never
    edited: a correction is a new entry that points at the one it replaces.
    """
    ensure_can(actor, "recommendations.manage")
    errors: dict = {}
    if recommendation.kind != Recommendation.PointKind.RECOMMENDATION:
        raise ValidationError(
            {"recommendation": _("Alleen een aanbeveling heeft een status, een knelpunt niet.")}
        )
    if status not in Status.values:
        errors["status"] = _("Kies een status.")
    day = _as_date(reported_on, errors, "reported_on")
    reporter = _text(reported_by)
    if not reporter:
        errors["reported_by"] = _("Vul in wie dit meldt, bijvoorbeeld 'Ministerie van VWS'.")
    elif len(reporter) > 200:
        errors["reported_by"] = _too_long(200)
    evidence = _text(evidence)
    if len(evidence) > 5000:
        errors["evidence"] = _too_long(5000)
    links = _clean_urls(evidence_links, errors, "evidence_links")
    with transaction.atomic():
        current = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        history = effective_history(current)
        previous = history
        if corrects is not None:
            if corrects.recommendation_id != current.pk:
                errors["corrects"] = _("Een verbetering moet over dezelfde aanbeveling gaan.")
            elif not history or history[-1].pk != corrects.pk:
                errors["corrects"] = _("Alleen de laatste melding kan worden verbeterd.")
            else:
                previous = history[:-1]
        last = previous[-1] if previous else None
        current_status = last.status if last else Status.NOT_STARTED
        if day is not None and "reported_on" not in errors:
            start = data.tracking_since()
            if day > timezone.localdate():
                errors["reported_on"] = _("De datum ligt in de toekomst.")
            elif day < start:
                errors["reported_on"] = _(
                    "De datum ligt voor het begin van de monitor (%(d)s)."
                ) % {"d": start.strftime("%d-%m-%Y")}
            elif last is not None and day < last.reported_on:
                errors["reported_on"] = _(
                    "De datum ligt voor de vorige melding (%(d)s). Meldingen volgen elkaar op."
                ) % {"d": last.reported_on.strftime("%d-%m-%Y")}
        if "status" not in errors and "evidence" not in errors:
            if status in FINAL_STATUSES and not evidence:
                errors["evidence"] = _(
                    "Beschrijf waaruit blijkt dat de aanbeveling is uitgevoerd, "
                    "of waarom ze is vervallen."
                )
            elif current_status in FINAL_STATUSES and status != current_status and not evidence:
                errors["evidence"] = _("Leg uit waarom de aanbeveling weer openstaat.")
            elif status == current_status and not evidence and corrects is None:
                errors["evidence"] = _(
                    "De status blijft gelijk. Beschrijf dan wat er is gebeurd, of kies een "
                    "andere status."
                )
        if errors:
            raise ValidationError(errors)
        update = StatusUpdate.objects.create(
            recommendation=current,
            status=status,
            reported_on=day,
            reported_by=reporter,
            evidence=evidence,
            evidence_links=links,
            corrects=corrects,
            recorded_by=actor,
        )
        _refresh_current(current)
    recommendation.refresh_from_db()
    return update


# -- round-table input -----------------------------------------------------------------------

_IDENTIFYING = [
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),  # e-mail address
    re.compile(r"(?<![\d-])(?:\+31|0)[\d\s-]{8,}\d"),  # phone number
    re.compile(r"(?<!\d)\d{9}(?!\d)"),  # BSN-like number
    re.compile(r"\b(?:dhr|mevr|mw|mr|mevrouw|meneer|de heer)\.?\s+[A-Z][a-z]", re.IGNORECASE),
]


def _clean_statement(values: dict, errors: dict) -> dict:
    text = _text(values.get("text"))
    if not text:
        errors["text"] = _("Vul de uitspraak in.")
    elif len(text) > 2000:
        errors["text"] = _too_long(2000)
    elif any(pattern.search(text) for pattern in _IDENTIFYING):
        errors["text"] = _(
            "Een uitspraak mag niet naar een persoon te herleiden zijn: haal namen, "
            "e-mailadressen, telefoonnummers en andere nummers weg."
        )
    if values.get("kind") not in Statement.StatementKind.values:
        errors["kind"] = _("Kies de soort uitspraak.")
    if values.get("organisation_kind") not in OrganisationKind.values:
        errors["organisation_kind"] = _("Kies de soort organisatie.")
    themes = list(values.get("themes") or [])
    if any(not isinstance(t, Theme) for t in themes):
        raise TypeError("themes must be Theme instances")
    supports = list(values.get("supports") or [])
    if any(not isinstance(r, Recommendation) for r in supports):
        raise TypeError("supports must be Recommendation instances")
    return {
        "text": text,
        "kind": values.get("kind"),
        "organisation_kind": values.get("organisation_kind"),
        "themes": themes,
        "supports": supports,
    }


def session_create(
    *, actor: Membership, title: str, held_on, location: str = "", description: str = ""
) -> RoundTableSession:
    """Record a round-table session to collect statements under."""
    ensure_can(actor, "recommendations.manage")
    errors: dict = {}
    title = _text(title)
    if not title:
        errors["title"] = _("Vul de naam van de sessie in.")
    elif len(title) > 200:
        errors["title"] = _too_long(200)
    day = _as_date(held_on, errors, "held_on")
    location = _text(location)
    if len(location) > 200:
        errors["location"] = _too_long(200)
    if errors:
        raise ValidationError(errors)
    return RoundTableSession.objects.create(
        title=title,
        held_on=day,
        location=location,
        description=_text(description),
        created_by=actor,
    )


def statement_create(*, actor: Membership, session: RoundTableSession, **values) -> Statement:
    """Record a statement from a session: what was said and by which kind of organisation.

    Never a person's name: text that looks like a name after a title, an e-mail address or a
    phone number is refused.
    """
    ensure_can(actor, "recommendations.manage")
    errors: dict = {}
    cleaned = _clean_statement(values, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        statement = Statement.objects.create(
            session=session,
            text=cleaned["text"],
            kind=cleaned["kind"],
            organisation_kind=cleaned["organisation_kind"],
            recorded_by=actor,
        )
        statement.themes.set(cleaned["themes"])
        statement.supports.set(cleaned["supports"])
    return statement


def statement_update(*, actor: Membership, statement: Statement, **values) -> Statement:
    """Change a statement's text, kinds, themes or the points it supports."""
    ensure_can(actor, "recommendations.manage")
    current = {
        "text": statement.text,
        "kind": statement.kind,
        "organisation_kind": statement.organisation_kind,
        "themes": list(statement.themes.all()),
        "supports": list(statement.supports.all()),
    }
    errors: dict = {}
    cleaned = _clean_statement(current | values, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        statement.text = cleaned["text"]
        statement.kind = cleaned["kind"]
        statement.organisation_kind = cleaned["organisation_kind"]
        statement.save(update_fields=["text", "kind", "organisation_kind"])
        statement.themes.set(cleaned["themes"])
        statement.supports.set(cleaned["supports"])
    return statement


def statement_delete(*, actor: Membership, statement: Statement) -> None:
    """Remove a statement that was recorded by mistake."""
    ensure_can(actor, "recommendations.manage")
    with transaction.atomic():
        statement.themes.clear()
        statement.supports.clear()
        statement.delete()


# -- loading the data files ------------------------------------------------------------------


@dataclass
class LoadResult:
    items_created: int = 0
    items_updated: int = 0
    items_unchanged: int = 0
    items_kept_local: list[str] = field(default_factory=list)
    themes: int = 0
    points_created: int = 0
    points_updated: int = 0
    points_unchanged: int = 0


def _item_values(entry: dict) -> dict:
    return {
        "title": entry["title"],
        "kind": entry["kind"],
        "publisher": entry["publisher"],
        "year": entry["year"],
        "description": " ".join(entry["description"].split()),
        "audiences": entry["audiences"],
        "forms": entry["forms"],
        "lvb_suitability": entry["lvb"],
        "language_level": entry["language_level"],
        "links": entry["links"],
        "keywords": entry.get("keywords", ""),
        "is_published": True,
    }


def _load_item(entry: dict, result: LoadResult) -> None:
    fingerprint = data.entry_hash(entry)
    errors: dict = {}
    values = _clean_item(_item_values(entry), errors)
    if errors:
        raise data.DataFileError(f"items.yaml: {entry['slug']}: {errors}")
    item = KnowledgeItem.objects.filter(slug=entry["slug"]).first()
    if item is None:
        item = KnowledgeItem(slug=entry["slug"], origin=KnowledgeItem.Origin.SEED)
        _apply(item, values)
        item.seed_hash = fingerprint
        item.save()
        _store_facets(item, values["audiences"], values["forms"])
        item_reindex(item=item, audiences=values["audiences"], forms=values["forms"])
        _revision(
            item,
            action=ItemRevision.Action.CREATED,
            changed=list(ITEM_FIELDS),
            actor=None,
            snapshot=_snapshot(item, values["audiences"], values["forms"]),
            note="items.yaml",
        )
        result.items_created += 1
        return
    if item.seed_hash == fingerprint:
        result.items_unchanged += 1
        return
    latest = item.revisions.order_by("-version").first()
    if latest is not None and latest.changed_by_id is not None:
        # A functional admin changed the item in Schakel: their edit wins over the file.
        result.items_kept_local.append(item.slug)
        return
    before = _current_values(item)
    _apply(item, values)
    item.seed_hash = fingerprint
    item.version += 1
    item.updated_at = timezone.now()
    item.save()
    _store_facets(item, values["audiences"], values["forms"])
    item_reindex(item=item, audiences=values["audiences"], forms=values["forms"])
    _revision(
        item,
        action=ItemRevision.Action.LOADED,
        changed=[n for n in ITEM_FIELDS if before[n] != values[n]],
        actor=None,
        snapshot=_snapshot(item, values["audiences"], values["forms"]),
        note="items.yaml",
    )
    result.items_updated += 1


def _load_points(recs: data.RecommendationsFile, result: LoadResult) -> None:
    themes = {}
    for entry in recs.themes:
        theme, _created = Theme.objects.update_or_create(
            number=entry["number"],
            defaults={"title": entry["title"], "sections": entry["sections"]},
        )
        themes[theme.number] = theme
    result.themes = len(themes)
    existing = {point.code: point for point in Recommendation.objects.all()}
    for position, entry in enumerate(recs.points, start=1):
        fingerprint = data.entry_hash(entry)
        values = {
            "kind": entry["kind"],
            "theme": themes[recs.theme_of(entry["section"])],
            "chapter": int(entry["section"][0]),
            "section": entry["section"],
            "number_in_seed": entry["number_in_seed"] or "",
            "subtheme": entry.get("subtheme", ""),
            "summary": entry["summary"],
            "responsibility": entry.get("responsibility", ""),
            "addressee_text": entry.get("addressee_text", ""),
            "note": entry.get("note", ""),
            "position": position,
        }
        point = existing.get(entry["code"])
        if point is not None and point.seed_hash == fingerprint and point.position == position:
            result.points_unchanged += 1
            continue
        created = point is None
        if created:
            point = Recommendation(code=entry["code"], status_since=recs.tracking_since)
            result.points_created += 1
        else:
            result.points_updated += 1
        for name, value in values.items():
            setattr(point, name, value)
        point.seed_hash = fingerprint
        point.save()
        RecommendationAddressee.objects.filter(recommendation=point).delete()
        rows = [
            RecommendationAddressee(recommendation=point, addressee=a, derived=False)
            for a in entry.get("addressees", [])
        ] + [
            RecommendationAddressee(recommendation=point, addressee=a, derived=True)
            for a in entry.get("derived_addressees", [])
            if a not in entry.get("addressees", [])
        ]
        RecommendationAddressee.objects.bulk_create(rows)
        if not created and point.kind == Recommendation.PointKind.RECOMMENDATION:
            _refresh_current(point, start=recs.tracking_since)


def knowledge_load(*, reindex: bool = False) -> LoadResult:
    """Load the items and the recommendations from the data files; safe to run again.

    Both files are validated before anything is written, and everything is written in one
    transaction. Items changed by a functional admin in Schakel keep the admin's version.
    Status updates and round-table input are never touched. `reindex` rebuilds the search
    index (and its vocabulary) of every item.
    """
    items = data.load_items_file()
    recs = data.load_recommendations_file()
    result = LoadResult()
    with transaction.atomic():
        for entry in items.items:
            _load_item(entry, result)
        _load_points(recs, result)
        if reindex:
            SearchVocabulary.objects.all().delete()
            for item in KnowledgeItem.objects.all():
                item_reindex(item=item)
    return result


__all__ = [
    "LoadResult",
    "StaleEdit",
    "item_create",
    "item_reindex",
    "item_update",
    "knowledge_load",
    "session_create",
    "statement_create",
    "statement_delete",
    "statement_update",
    "status_update_record",
    "usage_record",
    "visitor_audience",
]
