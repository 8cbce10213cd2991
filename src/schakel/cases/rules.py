"""The rules and texts of the case capability, from the versioned data file `data/case_rules.yaml`.

Validated against a JSON schema and for consistency (a Django system check runs this at start-up,
so a broken file stops the application instead of a case page). Texts come in Dutch and English;
`text(value)` picks the active language.
"""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jsonschema
import yaml
from django.utils.translation import get_language

from schakel.core.dates import add_months  # noqa: F401 - part of this module's interface

RULES_FILE = Path(__file__).resolve().parent / "data" / "case_rules.yaml"

_TEXT = {
    "type": "object",
    "required": ["nl", "en"],
    "additionalProperties": False,
    "properties": {
        "nl": {"type": "string", "minLength": 1},
        "en": {"type": "string", "minLength": 1},
    },
}
_KEY = {"type": "string", "pattern": "^[a-z0-9_]+$"}
_LABELLED = {
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "additionalProperties": False,
        "required": ["key", "label"],
        "properties": {"key": _KEY, "label": _TEXT},
    },
}
SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "version",
        "transition",
        "handover_checklist",
        "aftercare",
        "reflection",
        "non_punishment",
        "lvb_guidance",
        "easy_read",
    ],
    "properties": {
        "version": {"type": "integer", "minimum": 1},
        "transition": {
            "type": "object",
            "additionalProperties": False,
            "required": ["stages", "checklist"],
            "properties": {
                "stages": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["key", "at_months", "due_at_months"],
                        "properties": {
                            "key": {"type": "string", "pattern": "^[0-9a-z]+$"},
                            "at_months": {"type": "integer", "minimum": 0, "maximum": 216},
                            "due_at_months": {"type": "integer", "minimum": 0, "maximum": 216},
                        },
                    },
                },
                "checklist": _LABELLED,
            },
        },
        "handover_checklist": _LABELLED,
        "aftercare": {
            "type": "object",
            "additionalProperties": False,
            "required": ["follow_up_months", "domains"],
            "properties": {
                "follow_up_months": {
                    "type": "array",
                    "minItems": 1,
                    "items": {"type": "integer", "minimum": 1, "maximum": 60},
                },
                "domains": _LABELLED,
            },
        },
        "reflection": {
            "type": "object",
            "additionalProperties": False,
            "required": ["max_months", "reminder_days_before"],
            "properties": {
                "max_months": {"type": "integer", "minimum": 1, "maximum": 12},
                "reminder_days_before": {"type": "integer", "minimum": 1, "maximum": 60},
            },
        },
        "non_punishment": {
            "type": "object",
            "additionalProperties": False,
            "required": ["title", "text"],
            "properties": {"title": _TEXT, "text": _TEXT},
        },
        "lvb_guidance": {
            "type": "object",
            "additionalProperties": False,
            "required": ["title", "tips"],
            "properties": {
                "title": _TEXT,
                "tips": {"type": "array", "minItems": 1, "items": _TEXT},
            },
        },
        "easy_read": {
            "type": "object",
            "additionalProperties": False,
            "required": ["intro", "emergency"],
            "properties": {"intro": _TEXT, "emergency": _TEXT},
        },
    },
}

# The warm-handover checklist is also a set of model fields: the file must name exactly these.
HANDOVER_KEYS = ("talked_with_person", "history_read", "appointments_moved")


class RulesError(ValueError):
    pass


def text(value: dict) -> str:
    """The text in the active language (Dutch when the language has none)."""
    return value.get((get_language() or "nl")[:2]) or value["nl"]


@dataclass(frozen=True)
class Labelled:
    key: str
    _label: dict

    @property
    def label(self) -> str:
        return text(self._label)


@dataclass(frozen=True)
class Stage:
    key: str
    at_months: int
    due_at_months: int


@dataclass(frozen=True)
class CaseRules:
    version: int
    stages: tuple[Stage, ...]
    transition_checklist: tuple[Labelled, ...]
    handover_checklist: tuple[Labelled, ...]
    follow_up_months: tuple[int, ...]
    aftercare_domains: tuple[Labelled, ...]
    reflection_max_months: int
    reflection_reminder_days: int
    raw: dict

    def aftercare_domain_keys(self) -> list[str]:
        return [d.key for d in self.aftercare_domains]

    def transition_keys(self) -> list[str]:
        return [item.key for item in self.transition_checklist]

    def stage(self, key: str) -> Stage | None:
        return next((s for s in self.stages if s.key == key), None)

    @property
    def non_punishment_title(self) -> str:
        return text(self.raw["non_punishment"]["title"])

    @property
    def non_punishment_text(self) -> str:
        return text(self.raw["non_punishment"]["text"])

    @property
    def lvb_title(self) -> str:
        return text(self.raw["lvb_guidance"]["title"])

    @property
    def lvb_tips(self) -> list[str]:
        return [text(tip) for tip in self.raw["lvb_guidance"]["tips"]]

    @property
    def easy_read_intro(self) -> str:
        return text(self.raw["easy_read"]["intro"])

    @property
    def easy_read_emergency(self) -> str:
        return text(self.raw["easy_read"]["emergency"])


def _labelled(items) -> tuple[Labelled, ...]:
    return tuple(Labelled(item["key"], item["label"]) for item in items)


def _unique(path: Path, section: str, keys: list) -> None:
    if len(set(keys)) != len(keys):
        raise RulesError(f"{path.name}: {section} has a key twice")


def parse_rules(path: Path) -> CaseRules:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise RulesError(f"{path.name}: cannot read: {error}") from error
    try:
        jsonschema.validate(data, SCHEMA)
    except jsonschema.ValidationError as error:
        where = "/".join(str(p) for p in error.absolute_path) or "(top)"
        raise RulesError(f"{path.name}: {where}: {error.message}") from error
    stages = tuple(Stage(**s) for s in data["transition"]["stages"])
    _unique(path, "transition.stages", [s.key for s in stages])
    for stage in stages:
        if stage.due_at_months < stage.at_months:
            raise RulesError(f"{path.name}: stage {stage.key} is due before it starts")
    handover = _labelled(data["handover_checklist"])
    if tuple(item.key for item in handover) != HANDOVER_KEYS:
        raise RulesError(
            f"{path.name}: handover_checklist must have the keys {', '.join(HANDOVER_KEYS)}"
        )
    domains = _labelled(data["aftercare"]["domains"])
    checklist = _labelled(data["transition"]["checklist"])
    _unique(path, "aftercare.domains", [d.key for d in domains])
    _unique(path, "transition.checklist", [c.key for c in checklist])
    months = data["aftercare"]["follow_up_months"]
    if sorted(set(months)) != months:
        raise RulesError(f"{path.name}: aftercare.follow_up_months must be increasing")
    return CaseRules(
        version=data["version"],
        stages=stages,
        transition_checklist=checklist,
        handover_checklist=handover,
        follow_up_months=tuple(months),
        aftercare_domains=domains,
        reflection_max_months=data["reflection"]["max_months"],
        reflection_reminder_days=data["reflection"]["reminder_days_before"],
        raw=data,
    )


@lru_cache(maxsize=4)
def _load(path: str) -> CaseRules:
    return parse_rules(Path(path))


def case_rules() -> CaseRules:
    return _load(str(RULES_FILE))


# -- dates ------------------------------------------------------------------------------------
