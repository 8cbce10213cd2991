"""Writes for the directory.

Reference data (municipalities, safety regions) is loaded from the CSV files in directory/data/.
The wegwijzer itself (providers, offers, capacity, suggestions) is changed only through the
functions below; each one checks the permission, validates (raising a ValidationError that names
the fields), writes in one transaction and appends to the change history (`DirectoryChange`).
Directory data is public and holds no data about persons, so nothing here writes the processing
log; the suggester's e-mail address is the one piece of personal data and is erased at review.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from schakel.accounts.models import Membership, Organisation
from schakel.accounts.permissions import can, ensure_can
from schakel.core.concurrency import StaleEdit

from . import records as rec
from .models import DirectoryChange, Municipality, Offer, Provider, SafetyRegion, Suggestion
from .text import normalise

STALE_MESSAGE = gettext_lazy(
    "Iemand anders heeft dit aanbod gewijzigd nadat u het opende. "
    "Uw wijziging is niet opgeslagen. Open het opnieuw en probeer het nog eens."
)

DATA_DIR = Path(__file__).resolve().parent / "data"
SEED_FILE = DATA_DIR / "wegwijzer.yaml"


class ReferenceDataError(ValueError):
    pass


@dataclass(frozen=True)
class ReferenceLoadResult:
    regions: int
    municipalities: int
    deactivated: int


def _rows(path: Path, required: list[str]) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise ReferenceDataError(f"{path.name}: missing column(s) {', '.join(missing)}")
        rows = []
        for line, row in enumerate(reader, start=2):
            for column in required:
                if not (row.get(column) or "").strip():
                    raise ReferenceDataError(f"{path.name} line {line}: {column} is empty")
            rows.append(row)
        return rows


def reference_data_load(*, data_dir: Path = DATA_DIR) -> ReferenceLoadResult:
    """Load safety regions and municipalities; all or nothing, idempotent."""
    region_rows = _rows(data_dir / "veiligheidsregios.csv", ["code", "naam"])
    municipality_rows = _rows(
        data_dir / "gemeenten.csv",
        ["gemeentecode", "gemeentenaam", "provincie", "veiligheidsregio_code"],
    )
    province_of = {r["veiligheidsregio_code"]: r["provincie"] for r in municipality_rows}
    with transaction.atomic():
        regions = {}
        for row in region_rows:
            region, _created = SafetyRegion.objects.update_or_create(
                code=row["code"],
                defaults={"name": row["naam"], "province": province_of.get(row["code"], "")},
            )
            regions[region.code] = region
        codes = set()
        for line, row in enumerate(municipality_rows, start=2):
            region = regions.get(row["veiligheidsregio_code"])
            if region is None:
                raise ReferenceDataError(
                    f"gemeenten.csv line {line}: unknown veiligheidsregio_code "
                    f"{row['veiligheidsregio_code']}"
                )
            Municipality.objects.update_or_create(
                code=row["gemeentecode"],
                defaults={
                    "name": row["gemeentenaam"],
                    "province": row["provincie"],
                    "safety_region": region,
                    "is_active": True,
                },
            )
            codes.add(row["gemeentecode"])
        deactivated = (
            Municipality.objects.exclude(code__in=codes)
            .filter(is_active=True)
            .update(is_active=False)
        )
    return ReferenceLoadResult(len(regions), len(codes), deactivated)


# -- shared helpers --------------------------------------------------------------------------


def _actor_label(actor: Membership | None, source: str) -> str:
    if actor is None:
        return source
    return f"{actor.user} ({actor.organisation})"


def _history(*, entity, key, action, changes, actor, source) -> None:
    DirectoryChange.objects.create(
        entity=entity,
        key=key,
        action=action,
        changes=changes,
        actor=actor,
        actor_label=_actor_label(actor, source),
        source=source,
    )


def _jsonable(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _apply(instance, values: dict) -> dict:
    """Set `values` on `instance`; return {field: [old, new]} for what really changed."""
    changes = {}
    for name, new in values.items():
        old = getattr(instance, name)
        if isinstance(old, tuple):
            old = list(old)
        if old != new:
            changes[name] = [_jsonable(old), _jsonable(new)]
            setattr(instance, name, new)
    return changes


def provider_search_text(provider: Provider) -> str:
    parts = [provider.name, provider.kind, provider.description, provider.area_note]
    return normalise(" ".join(parts))


def offer_search_text(offer: Offer, provider_name: str = "") -> str:
    parts = [
        offer.name,
        provider_name,
        offer.kind,
        offer.description,
        offer.target_note,
        offer.area_note,
    ]
    return normalise(" ".join(parts))


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError({name: [message] for name, message in errors.items()})


def _provider_values(values: dict) -> dict:
    return {k: v for k, v in values.items() if k != "key"}


def _offer_values(values: dict, providers: dict[str, Provider]) -> dict:
    out = {k: v for k, v in values.items() if k not in ("key", "provider")}
    if "provider" in values:
        out["provider"] = providers.get(values["provider"]) if values["provider"] else None
    return out


def _save_provider(provider: Provider, values: dict) -> dict:
    changes = _apply(provider, values)
    provider.search_text = provider_search_text(provider)
    return changes


def _save_offer(offer: Offer, values: dict) -> dict:
    provider = values.get("provider", offer.provider)
    changes = _apply(offer, {k: v for k, v in values.items() if k != "provider"})
    if provider != offer.provider:
        changes["provider"] = [
            offer.provider.key if offer.provider else "",
            provider.key if provider else "",
        ]
        offer.provider = provider
    offer.search_text = offer_search_text(offer, provider.name if provider else "")
    return changes


# -- import and the seed file ----------------------------------------------------------------


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_local: int = 0  # seed load: entries edited in Schakel are left alone
    deactivated: int = 0

    def __str__(self) -> str:
        return (
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.kept_local} kept (edited in Schakel), {self.deactivated} deactivated"
        )


def _validate(records: list[rec.Record]) -> tuple[list[tuple], list[rec.RecordError]]:
    geography = rec.Geography()
    errors: list[rec.RecordError] = []
    cleaned = []
    seen: dict[str, int] = {}
    provider_keys = set()
    for record in records:
        if record.kind == "provider":
            values, field_errors = rec.clean_provider(record.values)
        else:
            values, field_errors = rec.clean_offer(record.values, geography)
        key = values.get("key", "") or str(record.values.get("key", ""))
        for name, message in field_errors.items():
            line = record.field_lines.get(name, record.line)
            errors.append(rec.RecordError(line, record.kind, key, name, message))
        if key and "key" not in field_errors:
            if key in seen:
                errors.append(
                    rec.RecordError(
                        record.field_lines.get("key", record.line),
                        record.kind,
                        key,
                        "key",
                        _("sleutel komt al voor op regel %(line)s") % {"line": seen[key]},
                    )
                )
            seen[key] = record.line
        if record.kind == "provider":
            provider_keys.add(key)
        cleaned.append((record, values))
    # offers point at providers of the file or of the database; keys are unique across both kinds
    known_providers = provider_keys | set(Provider.objects.values_list("key", flat=True))
    offer_keys_db = set(Offer.objects.values_list("key", flat=True))
    provider_keys_db = set(Provider.objects.values_list("key", flat=True))
    for record, values in cleaned:
        key = values.get("key")
        if not key:
            continue
        other = provider_keys_db if record.kind == "offer" else offer_keys_db
        if key in other:
            errors.append(
                rec.RecordError(
                    record.field_lines.get("key", record.line),
                    record.kind,
                    key,
                    "key",
                    _("deze sleutel is al in gebruik door een ander soort record"),
                )
            )
        provider_key = values.get("provider") if record.kind == "offer" else None
        if provider_key and provider_key not in known_providers:
            errors.append(
                rec.RecordError(
                    record.field_lines.get("provider", record.line),
                    "offer",
                    key,
                    "provider",
                    _("onbekende aanbieder '%(key)s'") % {"key": provider_key},
                )
            )
    errors.sort(key=lambda e: (e.line, e.field))
    return cleaned, errors


def directory_import(
    *,
    actor: Membership | None,
    records: list[rec.Record],
    source: str = "import",
    deactivate_missing: bool = False,
    dry_run: bool = False,
    seed: bool = False,
) -> ImportResult:
    """Create or update providers and offers from `records`; all or nothing.

    `actor` None is the system (a management command run by an operator). With `seed`, entries
    someone edited in Schakel (`from_seed` False) are left as they are, and the entries that
    are written stay marked as seed data. `deactivate_missing` turns off every active entry
    that is not in the file (a full import of the whole directory).
    """
    if actor is not None:
        ensure_can(actor, "directory.manage")
    cleaned, errors = _validate(records)
    if errors:
        raise rec.ImportFailed(errors)
    result = ImportResult()
    now = timezone.now()
    with transaction.atomic():
        providers = {p.key: p for p in Provider.objects.select_for_update()}
        offers = {
            o.key: o
            for o in Offer.objects.select_for_update(of=("self",)).select_related("provider")
        }
        for kind in ("provider", "offer"):
            for record, values in cleaned:
                if record.kind != kind:
                    continue
                _import_one(kind, values, providers, offers, result, actor, source, seed, now)
        if deactivate_missing:
            keys = {values["key"] for _r, values in cleaned}
            for entity, table in (("offer", offers), ("provider", providers)):
                for key, obj in table.items():
                    if key not in keys and obj.is_active:
                        obj.is_active = False
                        obj.version += 1
                        obj.save()
                        _history(
                            entity=entity,
                            key=key,
                            action=DirectoryChange.Action.DEACTIVATED,
                            changes={"is_active": [True, False]},
                            actor=actor,
                            source=source,
                        )
                        result.deactivated += 1
        if dry_run:
            transaction.set_rollback(True)
    return result


def _import_one(kind, values, providers, offers, result, actor, source, seed, now) -> None:
    key = values["key"]
    table = providers if kind == "provider" else offers
    existing = table.get(key)
    if existing is not None and seed and not existing.from_seed:
        result.kept_local += 1
        return
    model = Provider if kind == "provider" else Offer
    obj = existing or model(key=key)
    if kind == "provider":
        changes = _save_provider(obj, _provider_values(values))
    else:
        data = _offer_values(values, providers)
        capacity = {k: data.pop(k) for k in rec.CAPACITY_FIELDS if k in data}
        changes = _save_offer(obj, data)
        if capacity:
            capacity.setdefault("capacity_updated_at", now)
            capacity_changes = _apply(obj, capacity)
            if capacity_changes:
                obj.capacity_updated_by = actor
                obj.capacity_updated_label = actor.organisation.name if actor else source
                changes.update(capacity_changes)
    if existing is not None and not changes:
        result.unchanged += 1
        return
    obj.from_seed = seed
    if existing is not None:
        obj.version += 1
    obj.save()
    table[key] = obj
    _history(
        entity=kind,
        key=key,
        action=DirectoryChange.Action.UPDATED if existing else DirectoryChange.Action.CREATED,
        changes=changes,
        actor=actor,
        source=source,
    )
    if existing is None:
        result.created += 1
    else:
        result.updated += 1


def directory_seed_load(*, path: Path = SEED_FILE) -> ImportResult:
    """Load the project's own wegwijzer data file (idempotent; keeps edits made in Schakel)."""
    records = rec.read_yaml(path.read_text(encoding="utf-8"))
    return directory_import(actor=None, records=records, source="seed", seed=True)


# -- editing by functional admins --------------------------------------------------------------


def _check_version(obj, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != obj.version:
        raise StaleEdit(current_version=obj.version, message=STALE_MESSAGE)


def offer_create(*, actor: Membership, source: str = "web", **fields) -> Offer:
    ensure_can(actor, "directory.manage")
    cleaned, errors = _validate([rec.Record("offer", 0, fields)])
    if errors:
        _raise({e.field: e.message for e in errors})
    values = cleaned[0][1]
    with transaction.atomic():
        providers = {p.key: p for p in Provider.objects.all()}
        offer = Offer(key=values["key"], from_seed=False)
        changes = _save_offer(offer, _offer_values(values, providers))
        offer.save()
        _history(
            entity="offer",
            key=offer.key,
            action=DirectoryChange.Action.CREATED,
            changes=changes,
            actor=actor,
            source=source,
        )
    return offer


def offer_update(
    *, actor: Membership, offer: Offer, expected_version: int | None, source: str = "web", **fields
) -> Offer:
    """Change the description, criteria, area or contact of an offer (not its key)."""
    ensure_can(actor, "directory.manage")
    fields = {**rec.record_of(offer, rec.OFFER_SPECS), **fields}
    fields = {k: v for k, v in fields.items() if k not in rec.CAPACITY_FIELDS}
    fields["key"] = offer.key
    geography = rec.Geography()
    values, errors = rec.clean_offer(fields, geography)
    if values.get("provider") and not Provider.objects.filter(key=values["provider"]).exists():
        errors["provider"] = _("onbekende aanbieder '%(key)s'") % {"key": values["provider"]}
    _raise(errors)
    with transaction.atomic():
        locked = (
            Offer.objects.select_for_update(of=("self",))
            .select_related("provider")
            .get(pk=offer.pk)
        )
        _check_version(locked, expected_version)
        providers = {p.key: p for p in Provider.objects.all()}
        changes = _save_offer(locked, _offer_values(values, providers))
        if not changes:
            return locked
        locked.version += 1
        locked.from_seed = False
        locked.save()
        action = DirectoryChange.Action.UPDATED
        if "is_active" in changes:
            active = changes["is_active"][1]
            action = (
                DirectoryChange.Action.ACTIVATED if active else DirectoryChange.Action.DEACTIVATED
            )
        _history(
            entity="offer",
            key=locked.key,
            action=action,
            changes=changes,
            actor=actor,
            source=source,
        )
    return locked


def provider_create(*, actor: Membership, source: str = "web", **fields) -> Provider:
    ensure_can(actor, "directory.manage")
    organisation = fields.pop("organisation", None)
    cleaned, errors = _validate([rec.Record("provider", 0, fields)])
    if errors:
        _raise({e.field: e.message for e in errors})
    values = cleaned[0][1]
    with transaction.atomic():
        provider = Provider(key=values["key"], from_seed=False, organisation=organisation)
        changes = _save_provider(provider, _provider_values(values))
        if organisation is not None:
            changes["organisation"] = [None, organisation.name]
        provider.save()
        _history(
            entity="provider",
            key=provider.key,
            action=DirectoryChange.Action.CREATED,
            changes=changes,
            actor=actor,
            source=source,
        )
    return provider


_UNSET = object()


def provider_update(
    *,
    actor: Membership,
    provider: Provider,
    expected_version: int | None,
    organisation: Organisation | None | object = _UNSET,
    source: str = "web",
    **fields,
) -> Provider:
    """Change a provider; `organisation` links it to the Schakel organisation whose admins may
    then update the capacity of its offers."""
    ensure_can(actor, "directory.manage")
    fields = {**rec.record_of(provider, rec.PROVIDER_SPECS), **fields, "key": provider.key}
    values, errors = rec.clean_provider(fields)
    _raise(errors)
    with transaction.atomic():
        locked = Provider.objects.select_for_update().get(pk=provider.pk)
        _check_version(locked, expected_version)
        changes = _save_provider(locked, _provider_values(values))
        if organisation is not _UNSET and organisation != locked.organisation:
            changes["organisation"] = [
                locked.organisation.name if locked.organisation else None,
                organisation.name if organisation else None,
            ]
            locked.organisation = organisation
        if not changes:
            return locked
        locked.version += 1
        locked.from_seed = False
        locked.save()
        _history(
            entity="provider",
            key=locked.key,
            action=DirectoryChange.Action.UPDATED,
            changes=changes,
            actor=actor,
            source=source,
        )
        if "name" in changes:
            for offer in locked.offers.all():
                offer.search_text = offer_search_text(offer, locked.name)
                offer.save(update_fields=["search_text"])
    return locked


# -- capacity --------------------------------------------------------------------------------


def can_update_capacity(actor: Membership | None, offer: Offer) -> bool:
    """Functional admins for every offer; org admins for the offers of their own organisation."""
    if can(actor, "directory.manage"):
        return True
    if not can(actor, "directory.update_capacity"):
        return False
    provider = offer.provider
    return provider is not None and provider.organisation_id == actor.organisation_id


def offer_capacity_update(
    *,
    actor: Membership,
    offer: Offer,
    places: int | None,
    free_places: int | None,
    waiting_weeks: int | None,
    expected_version: int | None,
    source: str = "web",
) -> Offer:
    """Record how many places an offer has, how many are free and the waiting time in weeks.

    Also when nothing changed: confirming that the numbers still hold makes them fresh again.
    """
    if not can_update_capacity(actor, offer):
        raise PermissionDenied("directory.update_capacity")
    values, errors = rec._clean(
        {name: rec.OFFER_SPECS[name] for name in ("places", "free_places", "waiting_weeks")},
        {"places": places, "free_places": free_places, "waiting_weeks": waiting_weeks},
    )
    if (
        not errors
        and values["places"] is not None
        and values["free_places"] is not None
        and values["free_places"] > values["places"]
    ):
        errors["free_places"] = _("Er kunnen niet meer vrije plaatsen zijn dan plaatsen.")
    _raise(errors)
    now = timezone.now()
    with transaction.atomic():
        locked = Offer.objects.select_for_update().get(pk=offer.pk)
        _check_version(locked, expected_version)
        changes = _apply(locked, values)
        changes["capacity_updated_at"] = [_jsonable(locked.capacity_updated_at), now.isoformat()]
        locked.capacity_updated_at = now
        locked.capacity_updated_by = actor
        locked.capacity_updated_label = actor.organisation.name
        locked.version += 1
        locked.save()
        _history(
            entity="offer",
            key=locked.key,
            action=DirectoryChange.Action.CAPACITY,
            changes=changes,
            actor=actor,
            source=source,
        )
    return locked


# -- suggestions -----------------------------------------------------------------------------


def suggestion_submit(
    *,
    actor: Membership | None,
    kind: str,
    subject: str,
    message: str,
    email: str = "",
    offer: Offer | None = None,
) -> Suggestion:
    """Anyone may suggest a correction or a new entry: signed in (`actor`) or the public (None).

    The spam guard of the public form is checked by the form before this is called.
    """
    if actor is not None:
        ensure_can(actor, "directory.suggest")
    errors = {}
    subject, message, email = (
        (subject or "").strip(),
        (message or "").strip(),
        (email or "").strip(),
    )
    if kind not in Suggestion.Kind.values:
        errors["kind"] = _("Kies correctie of nieuw aanbod.")
    if kind == Suggestion.Kind.CORRECTION and offer is None:
        errors["offer"] = _("Kies het aanbod waar de correctie over gaat.")
    if not subject:
        errors["subject"] = _("Vul een onderwerp in.")
    elif len(subject) > 300:
        errors["subject"] = _("Het onderwerp is te lang (ten hoogste 300 tekens).")
    if len(message) < 10:
        errors["message"] = _("Beschrijf uw voorstel in ten minste 10 tekens.")
    elif len(message) > 5000:
        errors["message"] = _("Uw bericht is te lang (ten hoogste 5000 tekens).")
    if email:
        try:
            rec.validate_email(email)
        except ValidationError:
            errors["email"] = _("Vul een geldig e-mailadres in, of laat het veld leeg.")
    _raise(errors)
    with transaction.atomic():
        suggestion = Suggestion.objects.create(
            kind=kind,
            offer=offer,
            subject=subject,
            message=message,
            email=email,
            suggested_by=actor,
        )
    from .tasks import notify_new_suggestion

    transaction.on_commit(lambda: notify_new_suggestion(suggestion.pk))
    return suggestion


def suggestion_review(
    *, actor: Membership, suggestion: Suggestion, decision: str, note: str = ""
) -> Suggestion:
    """Accept or reject a suggestion. The suggester's e-mail address is erased now."""
    ensure_can(actor, "directory.manage")
    if decision not in (Suggestion.Status.ACCEPTED, Suggestion.Status.REJECTED):
        raise ValidationError({"decision": [_("Kies overnemen of afwijzen.")]})
    if len(note) > 2000:
        raise ValidationError({"note": [_("De toelichting is te lang (ten hoogste 2000 tekens).")]})
    with transaction.atomic():
        locked = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
        if locked.status != Suggestion.Status.OPEN:
            raise ValidationError({"decision": [_("Deze suggestie is al beoordeeld.")]})
        locked.status = decision
        locked.review_note = note.strip()
        locked.reviewed_by = actor
        locked.reviewed_at = timezone.now()
        locked.email = ""
        locked.save()
    return locked
