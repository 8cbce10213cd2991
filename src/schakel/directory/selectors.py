"""Reads for the directory. Wegwijzer data is public: no actor is needed to read it, except for
the parts that name staff (change history) or hold a suggester's e-mail (suggestions)."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.accounts.models import Membership
from schakel.accounts.permissions import can

from . import matching, records, text
from .models import DirectoryChange, Municipality, Need, Offer, Provider, Scope, Suggestion

# The national route when nothing fits or a region has no care coordinator in the wegwijzer.
ESCALATION_KEYS = ["comensha_zorgcoordinatie", "zorgcoordinatoren"]


def stale_days() -> int:
    return getattr(settings, "SCHAKEL_DIRECTORY_STALE_DAYS", 30)


def municipality_choices() -> list[tuple[str, str]]:
    return list(Municipality.objects.filter(is_active=True).values_list("code", "name"))


# -- contacts: the public API other apps use ---------------------------------------------------


@dataclass(frozen=True)
class Contact:
    key: str  # the id from ../shared/domain/domain-directory.yaml, e.g. "koraal", "csg_0800"
    name: str
    phone: str  # exactly as printed in the sources; "" when they give none
    email: str
    url: str
    hours: str  # opening hours / availability text, "" when unknown
    available_24_7: bool
    note: str  # what happens when you contact them (own words)


def _contact(obj: Provider | Offer) -> Contact:
    return Contact(
        key=obj.key,
        name=obj.name,
        phone=obj.phone,
        email=obj.email,
        url=obj.url,
        hours=obj.hours,
        available_24_7=obj.available_24_7,
        note=obj.contact_note or obj.description,
    )


def contacts_by_key(*, keys: list[str]) -> dict[str, Contact]:
    """Contact details of offers and providers by key; unknown or inactive keys are absent."""
    found: dict[str, Contact] = {}
    for offer in Offer.objects.filter(key__in=keys, is_active=True):
        found[offer.key] = _contact(offer)
    missing = [k for k in keys if k not in found]
    if missing:
        for provider in Provider.objects.filter(key__in=missing, is_active=True):
            found[provider.key] = _contact(provider)
    return {key: found[key] for key in keys if key in found}


def care_coordinators_for(*, municipality_code: str) -> list[Contact]:
    """The regional care coordinator(s) for a municipality: offers that give care coordination
    and name this municipality, its safety region or its province. Empty when the wegwijzer has
    none (the sources give no list per region): show `escalation_contacts()` then."""
    municipality = (
        Municipality.objects.select_related("safety_region").filter(code=municipality_code).first()
    )
    if municipality is None:
        return []
    found = []
    for row in _offer_rows():
        if row["scope"] != Scope.REGIONAL or Need.COORDINATION not in row["services"]:
            continue
        if (
            municipality.code in row["municipalities"]
            or municipality.safety_region.code in row["safety_regions"]
            or municipality.province in row["provinces"]
        ):
            found.append(
                Contact(
                    key=row["key"],
                    name=row["name"],
                    phone=row["phone"],
                    email=row["email"],
                    url=row["url"],
                    hours=row["hours"],
                    available_24_7=row["available_24_7"],
                    note=row["contact_note"] or row["description"],
                )
            )
    return sorted(found, key=lambda c: c.name.casefold())


def escalation_contacts() -> list[Contact]:
    """The national route: CoMensha's coordination of care and shelter (the back-up of the
    network of care coordinators), and the network itself."""
    return list(contacts_by_key(keys=ESCALATION_KEYS).values())


# -- single entries ---------------------------------------------------------------------------


def offer_get(*, key: str, include_inactive: bool = False) -> Offer:
    queryset = Offer.objects.select_related("provider", "provider__organisation")
    if not include_inactive:
        queryset = queryset.filter(is_active=True)
    offer = queryset.filter(key=key).first()
    if offer is None:
        raise Http404
    return offer


def provider_get(*, key: str, include_inactive: bool = False) -> Provider:
    queryset = Provider.objects.select_related("organisation")
    if not include_inactive:
        queryset = queryset.filter(is_active=True)
    provider = queryset.filter(key=key).first()
    if provider is None:
        raise Http404
    return provider


def provider_list(*, q: str = "") -> list[Provider]:
    providers = Provider.objects.filter(is_active=True)
    words = text.query_words(q)
    if not words:
        return list(providers)
    candidates = providers.filter(text.candidate_filter(words))
    scored = [(text.score(words, p.search_text, text.normalise(p.name)), p) for p in candidates]
    return [p for s, p in sorted(scored, key=lambda sp: -sp[0].score) if s.score > 0]


def provider_offers(*, provider: Provider) -> list[Offer]:
    return list(provider.offers.filter(is_active=True))


@dataclass(frozen=True)
class Freshness:
    updated_at: object  # datetime | None
    days: int | None
    stale: bool
    known: bool


def capacity_freshness(offer: Offer) -> Freshness:
    return freshness_of(offer.capacity_updated_at)


def freshness_of(updated) -> Freshness:
    if updated is None:
        return Freshness(None, None, False, False)
    days = (timezone.now() - updated).days
    return Freshness(updated, days, timezone.now() - updated > timedelta(days=stale_days()), True)


def offer_history(*, actor: Membership | None, offer: Offer) -> list[DirectoryChange]:
    """The change history of an offer: for functional admins and for the provider's own admins."""
    from .services import can_update_capacity

    if not (can(actor, "directory.manage") or can_update_capacity(actor, offer)):
        raise Http404
    return list(DirectoryChange.objects.filter(entity="offer", key=offer.key).select_related())


def provider_history(*, actor: Membership | None, provider: Provider) -> list[DirectoryChange]:
    if not can(actor, "directory.manage"):
        raise Http404
    return list(DirectoryChange.objects.filter(entity="provider", key=provider.key))


def offers_for_capacity(*, actor: Membership | None) -> list[Offer]:
    """Offers whose capacity this actor keeps up to date (own organisation; all for admins)."""
    queryset = Offer.objects.filter(is_active=True).select_related("provider")
    if can(actor, "directory.manage"):
        return [
            o for o in queryset if set(o.services) & matching.CAPACITY_NEEDS or o.places is not None
        ]
    if not can(actor, "directory.update_capacity"):
        return []
    return list(queryset.filter(provider__organisation_id=actor.organisation_id))


def stale_offers(*, actor: Membership | None) -> list[Offer]:
    """Offers with a capacity older than the freshness limit (for the admin overview)."""
    if not can(actor, "directory.manage"):
        raise Http404
    limit = timezone.now() - timedelta(days=stale_days())
    return list(
        Offer.objects.filter(is_active=True, capacity_updated_at__lt=limit).select_related(
            "provider"
        )
    )


def suggestion_list_for(*, actor: Membership | None, status: str | None = None) -> list[Suggestion]:
    if not can(actor, "directory.manage"):
        raise Http404
    queryset = Suggestion.objects.select_related("offer", "suggested_by__organisation")
    if status:
        queryset = queryset.filter(status=status)
    return list(queryset)


def suggestion_get_for(*, actor: Membership | None, pk: int) -> Suggestion:
    if not can(actor, "directory.manage"):
        raise Http404
    suggestion = Suggestion.objects.select_related("offer").filter(pk=pk).first()
    if suggestion is None:
        raise Http404
    return suggestion


# -- search -----------------------------------------------------------------------------------

OFFER_VALUES = (
    "pk",
    "key",
    "name",
    "kind",
    "provider__key",
    "provider__name",
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
    "url",
    "hours",
    "available_24_7",
    "places",
    "free_places",
    "waiting_weeks",
    "capacity_updated_at",
    "search_text",
    "contact_note",
    "description",
)


class Names:
    """Names of municipalities and safety regions for the reasons text (read once per search)."""

    def __init__(self):
        self._geo = None

    def _load(self):
        if self._geo is None:
            self._geo = records.Geography()
        return self._geo

    def municipality(self, code: str) -> str:
        entry = self._load().municipalities.get(code)
        return entry[0] if entry else code

    def region(self, code: str) -> str:
        return self._load().regions.get(code, code)


@dataclass
class SearchResult:
    criteria: matching.Criteria
    place: matching.Place | None
    matches: list[matching.Match] = field(default_factory=list)
    coordinators: list[Contact] = field(default_factory=list)
    escalation: list[Contact] = field(default_factory=list)

    @property
    def full(self) -> list[matching.Match]:
        return [m for m in self.matches if m.fit == matching.FULL]

    @property
    def partial(self) -> list[matching.Match]:
        return [m for m in self.matches if m.fit == matching.PARTIAL]


def place_for(code: str | None) -> matching.Place | None:
    if not code:
        return None
    municipality = (
        Municipality.objects.select_related("safety_region")
        .filter(code=code, is_active=True)
        .first()
    )
    if municipality is None:
        raise ValidationError(
            {"gemeente": [_("Onbekende gemeentecode: %(code)s") % {"code": code}]}
        )
    return matching.Place(
        code=municipality.code,
        name=municipality.name,
        region_code=municipality.safety_region.code,
        region_name=municipality.safety_region.name,
        province=municipality.province,
    )


# The active offers as plain values, kept per process and read again as soon as any provider or
# offer changed (a save moves `updated_at`; a deletion changes the count). Searching evaluates
# every offer, so this saves reading and decoding the whole table on every search.
_snapshot: dict = {"stamp": None, "rows": [], "vocabulary": text.Vocabulary(set())}


def _offer_rows() -> list[dict]:
    offers = Offer.objects.aggregate(n=Count("pk"), last=Max("updated_at"))
    providers = Provider.objects.aggregate(n=Count("pk"), last=Max("updated_at"))
    stamp = (offers["n"], offers["last"], providers["n"], providers["last"])
    if _snapshot["stamp"] != stamp:
        rows = list(Offer.objects.filter(is_active=True).values(*OFFER_VALUES))
        vocabulary = set()
        for row in rows:
            row["name_text"] = text.normalise(row["name"])
            row["words"] = frozenset(row["search_text"].split())
            vocabulary |= row["words"]
        _snapshot.update(stamp=stamp, rows=rows, vocabulary=text.Vocabulary(vocabulary))
    return _snapshot["rows"]


def offer_search(*, criteria: matching.Criteria) -> SearchResult:
    """Every active offer (that matches the free text, when given), ranked: full fits first,
    then partial fits with the fewest reasons. Nothing is silently left out."""
    place = place_for(criteria.municipality)
    words = text.query_words(criteria.q)
    names = Names()
    texts = matching.Texts()
    now = timezone.now()
    limit = stale_days()
    matches = []
    rows = _offer_rows()
    vocabulary = _snapshot["vocabulary"]
    for values in rows:
        text_score = None
        if words:
            if not text.could_match(words, values["search_text"]):
                continue
            text_score = text.score(
                words,
                values["search_text"],
                values["name_text"],
                text_words=values["words"],
                vocabulary=vocabulary,
            )
            if text_score.score <= 0:
                continue
        match = matching.evaluate(
            values, criteria, place=place, names=names, now=now, stale_days=limit, texts=texts
        )
        if text_score is not None:
            match.score += text_score.score
        matches.append(match)
    matches.sort(key=matching.rank_key)
    result = SearchResult(criteria=criteria, place=place, matches=matches)
    if place is not None:
        result.coordinators = care_coordinators_for(municipality_code=place.code)
    if not result.full or (place is not None and not result.coordinators):
        result.escalation = escalation_contacts()
    return result


# -- export -----------------------------------------------------------------------------------


def directory_export() -> tuple[list[dict], list[dict]]:
    """Every provider and offer (also inactive ones) as records of the data format."""
    providers = [
        records.record_of(p, records.PROVIDER_SPECS) for p in Provider.objects.order_by("key")
    ]
    offers = [
        records.record_of(o, records.OFFER_SPECS)
        for o in Offer.objects.select_related("provider").order_by("key")
    ]
    return providers, offers
