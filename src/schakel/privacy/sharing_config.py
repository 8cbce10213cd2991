"""The rules for lawful sharing, loaded from the versioned data file `data/sharing.yaml`.

Purposes, data categories, legal bases, designations of organisations and the legal duties.
Validated against a JSON schema and for cross-references (a system check runs this at start-up).
"""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jsonschema
import yaml
from django.conf import settings
from django.utils.translation import get_language

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "sharing.yaml"

LEGAL_BASIS_KINDS = ("consent", "legal_duty", "agreement", "decision", "override", "own")

_TEXT = {
    "type": "object",
    "required": ["nl", "en"],
    "properties": {"nl": {"type": "string", "minLength": 1}, "en": {"type": "string"}},
    "additionalProperties": False,
}
_KEY = {"type": "string", "pattern": "^[a-z][a-z0-9_-]*$"}
_KEYS = {"type": "array", "items": _KEY}
SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "version",
        "decision_valid_days",
        "designations",
        "data_categories",
        "legal_bases",
        "legal_duties",
        "purposes",
        "understanding_checks",
    ],
    "properties": {
        "version": {"type": "integer", "minimum": 1},
        "decision_valid_days": {"type": "integer", "minimum": 1, "maximum": 366},
        "designations": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["key", "name", "implied_by_domains"],
                "properties": {"key": _KEY, "name": _TEXT, "implied_by_domains": _KEYS},
            },
        },
        "data_categories": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["key", "name", "special"],
                "properties": {"key": _KEY, "name": _TEXT, "special": {"type": "boolean"}},
            },
        },
        "legal_bases": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["key", "kind", "name", "articles"],
                "properties": {
                    "key": _KEY,
                    "kind": {"enum": list(LEGAL_BASIS_KINDS)},
                    "name": _TEXT,
                    "articles": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
        "legal_duties": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["basis", "sender_designations", "recipient_designations", "purposes"],
                "properties": {
                    "basis": _KEY,
                    "sender_designations": _KEYS,
                    "recipient_designations": _KEYS,
                    "purposes": _KEYS,
                },
            },
        },
        "purposes": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": [
                    "key",
                    "activity",
                    "name",
                    "data_categories",
                    "consent_self_from_age",
                    "consent_max_days",
                    "meldrecht",
                    "easy_read",
                ],
                "properties": {
                    "key": _KEY,
                    "activity": _KEY,
                    "name": _TEXT,
                    "data_categories": {**_KEYS, "minItems": 1},
                    "consent_self_from_age": {"type": "integer", "minimum": 0, "maximum": 21},
                    "consent_max_days": {"type": "integer", "minimum": 1, "maximum": 1826},
                    "meldrecht": {"type": "boolean"},
                    "easy_read": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["title", "points"],
                        "properties": {
                            "title": _TEXT,
                            "points": {"type": "array", "minItems": 1, "items": _TEXT},
                        },
                    },
                },
            },
        },
        "understanding_checks": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["key", "name"],
                "properties": {"key": _KEY, "name": _TEXT},
            },
        },
    },
}


class SharingConfigError(ValueError):
    pass


def _text(value: dict) -> str:
    return value.get((get_language() or "nl")[:2]) or value["nl"]


@dataclass(frozen=True)
class Named:
    key: str
    name: dict

    @property
    def label(self) -> str:
        return _text(self.name)


@dataclass(frozen=True)
class Designation(Named):
    implied_by_domains: tuple[str, ...]


@dataclass(frozen=True)
class DataCategory(Named):
    special: bool


@dataclass(frozen=True)
class LegalBasis(Named):
    kind: str
    articles: tuple[str, ...]

    @property
    def citation(self) -> str:
        return "; ".join(self.articles)


@dataclass(frozen=True)
class LegalDuty:
    basis: str
    sender_designations: frozenset[str]
    recipient_designations: frozenset[str]
    purposes: frozenset[str]


@dataclass(frozen=True)
class Purpose(Named):
    activity: str
    data_categories: tuple[str, ...]
    consent_self_from_age: int
    consent_max_days: int
    meldrecht: bool
    easy_read: dict

    @property
    def easy_title(self) -> str:
        return _text(self.easy_read["title"])

    @property
    def easy_points(self) -> list[str]:
        return [_text(point) for point in self.easy_read["points"]]


@dataclass(frozen=True)
class SharingConfig:
    version: int
    decision_valid_days: int
    designations: dict[str, Designation]
    data_categories: dict[str, DataCategory]
    legal_bases: dict[str, LegalBasis]
    legal_duties: tuple[LegalDuty, ...]
    purposes: dict[str, Purpose]
    understanding_checks: dict[str, Named]

    def purpose(self, key: str) -> Purpose:
        try:
            return self.purposes[key]
        except KeyError:
            raise SharingConfigError(f"unknown sharing purpose '{key}'") from None

    def basis(self, key: str) -> LegalBasis:
        try:
            return self.legal_bases[key]
        except KeyError:
            raise SharingConfigError(f"unknown legal basis '{key}'") from None

    def bases_of_kind(self, kind: str) -> list[LegalBasis]:
        return [basis for basis in self.legal_bases.values() if basis.kind == kind]

    def category_labels(self, keys) -> list[str]:
        return [self.data_categories[k].label if k in self.data_categories else k for k in keys]

    def designations_implied_by(self, domain: str) -> set[str]:
        return {d.key for d in self.designations.values() if domain in d.implied_by_domains}


def _keyed(path: Path, section: str, items: list, make) -> dict:
    result = {}
    for index, raw in enumerate(items):
        if raw["key"] in result:
            raise SharingConfigError(f"{path}: {section}/{index}/key: duplicate key '{raw['key']}'")
        result[raw["key"]] = make(raw)
    return result


def parse_sharing_config(path: Path, *, activities=None) -> SharingConfig:
    """Read and check the file. `activities`: the register's activity keys to check against."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise SharingConfigError(f"{path}: cannot read: {error}") from error
    errors = sorted(jsonschema.Draft202012Validator(SCHEMA).iter_errors(data), key=str)
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.absolute_path) or "(root)"
        raise SharingConfigError(f"{path}: {where}: {first.message}")
    designations = _keyed(
        path,
        "designations",
        data["designations"],
        lambda r: Designation(r["key"], r["name"], tuple(r["implied_by_domains"])),
    )
    categories = _keyed(
        path,
        "data_categories",
        data["data_categories"],
        lambda r: DataCategory(r["key"], r["name"], r["special"]),
    )
    bases = _keyed(
        path,
        "legal_bases",
        data["legal_bases"],
        lambda r: LegalBasis(r["key"], r["name"], r["kind"], tuple(r["articles"])),
    )
    purposes = _keyed(
        path,
        "purposes",
        data["purposes"],
        lambda r: Purpose(
            r["key"],
            r["name"],
            r["activity"],
            tuple(r["data_categories"]),
            r["consent_self_from_age"],
            r["consent_max_days"],
            r["meldrecht"],
            r["easy_read"],
        ),
    )
    checks = _keyed(
        path,
        "understanding_checks",
        data["understanding_checks"],
        lambda r: Named(r["key"], r["name"]),
    )
    for index, purpose in enumerate(purposes.values()):
        unknown = set(purpose.data_categories) - set(categories)
        if unknown:
            raise SharingConfigError(
                f"{path}: purposes/{index}/data_categories: unknown category '{sorted(unknown)[0]}'"
            )
        if activities is not None and purpose.activity not in activities:
            raise SharingConfigError(
                f"{path}: purposes/{index}/activity: '{purpose.activity}' is not in the register"
            )
    duties = []
    for index, raw in enumerate(data["legal_duties"]):
        where = f"{path}: legal_duties/{index}"
        if raw["basis"] not in bases or bases[raw["basis"]].kind != "legal_duty":
            raise SharingConfigError(f"{where}/basis: '{raw['basis']}' is no legal_duty basis")
        for field in ("sender_designations", "recipient_designations"):
            unknown = set(raw[field]) - set(designations)
            if unknown:
                raise SharingConfigError(
                    f"{where}/{field}: unknown designation '{sorted(unknown)[0]}'"
                )
        unknown = set(raw["purposes"]) - set(purposes)
        if unknown:
            raise SharingConfigError(f"{where}/purposes: unknown purpose '{sorted(unknown)[0]}'")
        duties.append(
            LegalDuty(
                raw["basis"],
                frozenset(raw["sender_designations"]),
                frozenset(raw["recipient_designations"]),
                frozenset(raw["purposes"]),
            )
        )
    for kind in LEGAL_BASIS_KINDS:
        if not any(basis.kind == kind for basis in bases.values()):
            raise SharingConfigError(f"{path}: legal_bases: no basis of kind '{kind}'")
    return SharingConfig(
        version=data["version"],
        decision_valid_days=data["decision_valid_days"],
        designations=designations,
        data_categories=categories,
        legal_bases=bases,
        legal_duties=tuple(duties),
        purposes=purposes,
        understanding_checks=checks,
    )


@lru_cache(maxsize=4)
def _load(path: str) -> SharingConfig:
    from .register import processing_register

    return parse_sharing_config(Path(path), activities=set(processing_register().activities))


def sharing_config() -> SharingConfig:
    return _load(str(getattr(settings, "SCHAKEL_SHARING_RULES", DEFAULT_PATH)))
