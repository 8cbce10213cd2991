"""The versioned data files of the knowledge capability, loaded and validated.

- `data/items.yaml`: the knowledge items from the source documents;
- `data/recommendations.yaml`: the themes, bottlenecks and recommendations of the report
  'Uitbuiting & LVB' (2023).

Both are checked against a JSON schema and against the choices in the code, so a typo in a data
file stops the loader with the entry and field named, before anything is written.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jsonschema
import yaml

from .models import Addressee, Audience, ExploitationForm, Kind, LanguageLevel, LvbSuitability

DATA_DIR = Path(__file__).resolve().parent / "data"
ITEMS_FILE = DATA_DIR / "items.yaml"
RECOMMENDATIONS_FILE = DATA_DIR / "recommendations.yaml"


# libyaml's safe loader when it is there (ten times faster), the pure-Python one otherwise.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DataFileError(ValueError):
    pass


def _enum(choices) -> dict:
    return {"enum": list(choices.values)}


LINK_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["url", "label"],
    "properties": {
        "url": {"type": "string", "pattern": "^https?://\\S+$", "maxLength": 500},
        "label": {"type": "string", "minLength": 1, "maxLength": 200},
    },
}

ITEMS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["version", "items"],
    "properties": {
        "version": {"type": "integer", "minimum": 1},
        "items": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": [
                    "slug",
                    "title",
                    "kind",
                    "publisher",
                    "year",
                    "description",
                    "audiences",
                    "forms",
                    "lvb",
                    "language_level",
                    "links",
                    "seeds",
                ],
                "properties": {
                    "slug": {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]{0,79}$"},
                    "title": {"type": "string", "minLength": 1, "maxLength": 300},
                    "kind": _enum(Kind),
                    "publisher": {"type": "string", "maxLength": 300},
                    "year": {"type": ["integer", "null"], "minimum": 1900, "maximum": 2100},
                    "description": {"type": "string", "minLength": 10, "maxLength": 3000},
                    "audiences": {"type": "array", "items": _enum(Audience), "uniqueItems": True},
                    "forms": {
                        "type": "array",
                        "items": _enum(ExploitationForm),
                        "uniqueItems": True,
                    },
                    "lvb": _enum(LvbSuitability),
                    "language_level": _enum(LanguageLevel),
                    "keywords": {"type": "string", "maxLength": 500},
                    "links": {"type": "array", "items": LINK_SCHEMA, "maxItems": 10},
                    "seeds": {
                        "type": "array",
                        "items": {"type": "string", "pattern": "^[0-9]{3}$"},
                        "minItems": 1,
                    },
                },
            },
        },
    },
}

_SECTION = {"type": "string", "pattern": "^[23]\\.[0-9]$"}
RECOMMENDATIONS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["version", "report", "themes", "points"],
    "properties": {
        "version": {"type": "integer", "minimum": 1},
        "report": {
            "type": "object",
            "additionalProperties": False,
            "required": ["title", "publisher", "year", "tracking_since"],
            "properties": {
                "title": {"type": "string", "minLength": 1},
                "publisher": {"type": "string"},
                "year": {"type": "integer"},
                "tracking_since": {"type": "string", "format": "date"},
            },
        },
        "themes": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["number", "title", "sections"],
                "properties": {
                    "number": {"type": "integer", "minimum": 1},
                    "title": {"type": "string", "minLength": 1, "maxLength": 200},
                    "sections": {"type": "array", "items": _SECTION, "minItems": 1},
                },
            },
        },
        "points": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["code", "kind", "section", "number_in_seed", "summary"],
                "properties": {
                    "code": {"type": "string", "pattern": "^[23]\\.[0-9][-.0-9A-Za-z]{1,16}$"},
                    "kind": {"enum": ["recommendation", "bottleneck"]},
                    "section": _SECTION,
                    "number_in_seed": {"type": ["string", "null"], "maxLength": 40},
                    "summary": {"type": "string", "minLength": 5},
                    "addressees": {"type": "array", "items": _enum(Addressee)},
                    "derived_addressees": {"type": "array", "items": _enum(Addressee)},
                    "responsibility": {"type": "string", "maxLength": 300},
                    "addressee_text": {"type": "string", "maxLength": 200},
                    "subtheme": {"type": "string", "maxLength": 200},
                    "note": {"type": "string"},
                },
            },
        },
    },
}


def entry_hash(entry: dict) -> str:
    """A stable fingerprint of one data entry: did the file change since it was loaded?"""
    text = json.dumps(entry, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _read(path: Path, schema: dict) -> dict:
    try:
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)  # noqa: S506
    except (OSError, yaml.YAMLError) as error:
        raise DataFileError(f"{path.name}: cannot read: {error}") from error
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.absolute_path) or "(top)"
        raise DataFileError(f"{path.name}: {where}: {first.message}")
    return document


@dataclass(frozen=True)
class ItemsFile:
    version: int
    items: tuple[dict, ...]


@dataclass(frozen=True)
class RecommendationsFile:
    version: int
    report: dict
    tracking_since: datetime.date
    themes: tuple[dict, ...]
    points: tuple[dict, ...]

    def theme_of(self, section: str) -> int:
        for theme in self.themes:
            if section in theme["sections"]:
                return theme["number"]
        raise DataFileError(f"recommendations.yaml: section {section} belongs to no theme")


def load_items_file(path: Path = ITEMS_FILE) -> ItemsFile:
    document = _read(path, ITEMS_SCHEMA)
    slugs = [item["slug"] for item in document["items"]]
    duplicates = sorted({s for s in slugs if slugs.count(s) > 1})
    if duplicates:
        raise DataFileError(f"{path.name}: duplicate slugs: {', '.join(duplicates)}")
    return ItemsFile(version=document["version"], items=tuple(document["items"]))


def load_recommendations_file(path: Path = RECOMMENDATIONS_FILE) -> RecommendationsFile:
    document = _read(path, RECOMMENDATIONS_SCHEMA)
    codes = [point["code"] for point in document["points"]]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise DataFileError(f"{path.name}: duplicate codes: {', '.join(duplicates)}")
    numbers = [theme["number"] for theme in document["themes"]]
    if len(set(numbers)) != len(numbers):
        raise DataFileError(f"{path.name}: theme numbers must be unique")
    sections = [s for theme in document["themes"] for s in theme["sections"]]
    if len(set(sections)) != len(sections):
        raise DataFileError(f"{path.name}: a section belongs to more than one theme")
    result = RecommendationsFile(
        version=document["version"],
        report=document["report"],
        tracking_since=datetime.date.fromisoformat(document["report"]["tracking_since"]),
        themes=tuple(document["themes"]),
        points=tuple(document["points"]),
    )
    for point in result.points:
        result.theme_of(point["section"])
        if point["kind"] == "bottleneck" and (
            point.get("addressees") or point.get("derived_addressees")
        ):
            raise DataFileError(f"{path.name}: bottleneck {point['code']} has addressees")
    return result


@lru_cache(maxsize=1)
def tracking_since() -> datetime.date:
    """From when the tracker counts: recommendations without updates are 'not started' since."""
    return load_recommendations_file().tracking_since
