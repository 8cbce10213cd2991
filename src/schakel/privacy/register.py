"""The register of processing activities, loaded from the versioned data file and validated."""

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import jsonschema
import yaml
from django.conf import settings
from django.utils.translation import get_language

_TEXT = {
    "type": "object",
    "required": ["nl", "en"],
    "properties": {"nl": {"type": "string", "minLength": 1}, "en": {"type": "string"}},
    "additionalProperties": False,
}
_RETENTION_CATEGORY = {
    "type": "object",
    "additionalProperties": False,
    "required": ["key", "name", "retention_days", "starts", "action"],
    "properties": {
        "key": {"type": "string", "pattern": "^[a-z][a-z0-9-]*$"},
        "name": _TEXT,
        "retention_days": {"type": "integer", "minimum": 1},
        "starts": _TEXT,
        "action": {"enum": ["delete", "anonymise"]},
    },
}
SCHEMA = {
    "type": "object",
    "required": ["version", "controller", "activities"],
    "additionalProperties": False,
    "properties": {
        "version": {"type": "integer", "minimum": 1},
        "controller": {"type": "string"},
        "data_categories": {"type": "array", "items": _RETENTION_CATEGORY},
        "activities": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": [
                    "key",
                    "name",
                    "purpose",
                    "legal_bases",
                    "data_categories",
                    "recipients",
                    "retention",
                    "retention_days",
                    "confidential",
                ],
                "properties": {
                    "key": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
                    "name": _TEXT,
                    "purpose": _TEXT,
                    "legal_bases": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                    "data_categories": {"type": "array", "items": {"type": "string"}},
                    "recipients": {"type": "array", "items": {"type": "string"}},
                    "retention": _TEXT,
                    "retention_days": {"type": "integer", "minimum": 1},
                    "confidential": {"type": "boolean"},
                },
            },
        },
    },
}


class RegisterError(ValueError):
    pass


@dataclass(frozen=True)
class Activity:
    key: str
    name: dict
    purpose: dict
    legal_bases: tuple[str, ...]
    data_categories: tuple[str, ...]
    recipients: tuple[str, ...]
    retention: dict
    retention_days: int
    confidential: bool

    def text(self, field: str) -> str:
        value = getattr(self, field)
        return value.get((get_language() or "nl")[:2]) or value["nl"]


@dataclass(frozen=True)
class RetentionCategory:
    """How long data of one category is kept, from when, and what happens after."""

    key: str
    name: dict
    retention_days: int
    starts: dict
    action: str  # "delete" or "anonymise"

    def text(self, field: str) -> str:
        value = getattr(self, field)
        return value.get((get_language() or "nl")[:2]) or value["nl"]


@dataclass(frozen=True)
class Register:
    version: int
    controller: str
    activities: dict[str, Activity]
    data_categories: dict[str, RetentionCategory] = field(default_factory=dict)

    def get(self, key: str) -> Activity:
        try:
            return self.activities[key]
        except KeyError:
            raise RegisterError(f"unknown processing activity '{key}'") from None


def parse_register(path: Path) -> Register:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise RegisterError(f"{path}: cannot read: {error}") from error
    errors = sorted(jsonschema.Draft202012Validator(SCHEMA).iter_errors(data), key=str)
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.absolute_path) or "(root)"
        raise RegisterError(f"{path}: {where}: {first.message}")
    activities: dict[str, Activity] = {}
    for index, raw in enumerate(data["activities"]):
        if raw["key"] in activities:
            raise RegisterError(f"{path}: activities/{index}/key: duplicate key '{raw['key']}'")
        activities[raw["key"]] = Activity(
            **{
                **raw,
                "legal_bases": tuple(raw["legal_bases"]),
                "data_categories": tuple(raw["data_categories"]),
                "recipients": tuple(raw["recipients"]),
            }
        )
    categories: dict[str, RetentionCategory] = {}
    for index, raw in enumerate(data.get("data_categories", [])):
        if raw["key"] in categories:
            raise RegisterError(
                f"{path}: data_categories/{index}/key: duplicate key '{raw['key']}'"
            )
        categories[raw["key"]] = RetentionCategory(**raw)
    return Register(data["version"], data["controller"], activities, categories)


@lru_cache(maxsize=4)
def _load(path: str) -> Register:
    return parse_register(Path(path))


def processing_register() -> Register:
    return _load(str(settings.SCHAKEL_PROCESSING_REGISTER))
