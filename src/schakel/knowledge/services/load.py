"""Loading the shipped data files: items, themes and recommendations."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from .. import data
from ..models import (
    ItemRevision,
    KnowledgeItem,
    Recommendation,
    RecommendationAddressee,
    SearchVocabulary,
    Theme,
)
from .items import (
    ITEM_FIELDS,
    _apply,
    _clean_item,
    _current_values,
    _revision,
    _snapshot,
    _store_facets,
    item_reindex,
)
from .recommendations import _refresh_current


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
