"""Knowledge items: create and update (with history) and the search index."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from schakel.accounts.models import Membership
from schakel.accounts.permissions import ensure_can
from schakel.core.concurrency import StaleEdit

from .. import search
from ..models import (
    Audience,
    ExploitationForm,
    ItemAudience,
    ItemForm,
    ItemRevision,
    Kind,
    KnowledgeItem,
    LanguageLevel,
    LvbSuitability,
    SearchTerm,
    SearchVocabulary,
)
from ._common import MAX_LINKS, URL_PATTERN, _text, _too_long

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
# Field weights in the search index: a word in the title counts most.
WEIGHT_TITLE = 5
WEIGHT_KEYWORDS = 3
WEIGHT_FACETS = 2
WEIGHT_TEXT = 1


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
