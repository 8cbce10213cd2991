"""Instruments are data: versioned YAML files, checked against a JSON Schema and then by rules
that a schema cannot express (unique ids, known references, ascending thresholds, …).

Every problem is reported as an `InstrumentProblem` naming the file, the path inside it and the
rule that was broken, so `manage.py check_instruments` can list all of them at once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from django.utils.translation import gettext as _

DATA_DIR = Path(__file__).resolve().parent / "data"
INSTRUMENTS_DIR = DATA_DIR / "instruments"

AUDIENCES = ("professional", "teacher", "parent", "young_person")
ITEM_TYPES = ("yes_no_unknown", "scale", "single", "multiple", "text")
YES, NO, UNKNOWN = "yes", "no", "unknown"
YES_NO_UNKNOWN = (YES, NO, UNKNOWN)
LEVELS = ("none", "low", "elevated", "high")  # ascending concern; "urgent" = a red flag
SCALE_KINDS = ("form", "lvb", "other")
FORMS = ("sexual", "criminal", "labour", "organ_removal")
SECTIONS = ("urgent", "consult", "steps", "report", "lvb", "support", "info")
STEP_PLANS = ("meldcode", "parent", "young_person", "none")
TEXT_MAX_LENGTH = 2000
SPECIAL_CONTACTS = ("zorgcoordinator",)  # the care coordinator of the chosen municipality

_ID = {"type": "string", "pattern": "^[a-z][a-z0-9_]*$", "maxLength": 60}
_TEXT = {"type": "string", "minLength": 1}
_CONTACT_KEY = {
    "type": "string",
    "pattern": "^[a-z0-9_]+(\\|[a-z0-9_]+)*$",
    "description": "a wegwijzer key; 'a|b' means: a, or b when a is not in the wegwijzer",
}
_SCORE = {
    "type": "object",
    "propertyNames": _ID,
    "additionalProperties": {"type": "number", "minimum": 0, "maximum": 100},
}
_CONDITION = {"type": "object", "minProperties": 1}  # its grammar is checked in Python

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Schakel screening instrument",
    "type": "object",
    "additionalProperties": False,
    "required": [
        "id",
        "version",
        "title",
        "description",
        "audience",
        "language_level",
        "kind",
        "status",
        "owner",
        "disclaimer",
        "storage",
        "step_plan",
        "areas",
    ],
    "properties": {
        "id": {"type": "string", "pattern": "^[a-z][a-z0-9-]*$", "maxLength": 60},
        "version": {"type": "integer", "minimum": 1},
        "title": _TEXT,
        "description": _TEXT,
        "intro": {"type": "string"},
        "audience": {
            "type": "array",
            "minItems": 1,
            "uniqueItems": True,
            "items": {"enum": list(AUDIENCES)},
        },
        "language_level": {"enum": ["A1", "A2", "B1", "B2", "C1"]},
        "kind": {"enum": ["scored", "guide"]},
        "status": {"enum": ["indicative", "validated"]},
        "owner": _TEXT,
        "licence": {"type": "string"},
        "disclaimer": _TEXT,
        "storage": {"enum": ["allowed", "never"]},
        "step_plan": {"enum": list(STEP_PLANS)},
        "result_intro": {"type": "string"},
        "scales": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "label", "kind", "thresholds"],
                "properties": {
                    "id": _ID,
                    "label": _TEXT,
                    "kind": {"enum": list(SCALE_KINDS)},
                    "form": {"enum": list(FORMS)},
                    "thresholds": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["low", "elevated", "high"],
                        "properties": {
                            level: {"type": "number", "exclusiveMinimum": 0} for level in LEVELS[1:]
                        },
                    },
                    "level_labels": {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": dict.fromkeys(LEVELS, _TEXT),
                    },
                },
            },
        },
        "areas": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "title", "items"],
                "properties": {
                    "id": _ID,
                    "title": _TEXT,
                    "intro": {"type": "string"},
                    "tips": {"type": "array", "items": _TEXT},
                    "items": {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["id", "text", "type"],
                            "properties": {
                                "id": _ID,
                                "text": _TEXT,
                                "help": {"type": "string"},
                                "type": {"enum": list(ITEM_TYPES)},
                                "required": {"type": "boolean"},
                                "protective": {"type": "boolean"},
                                "score": _SCORE,
                                "max_length": {
                                    "type": "integer",
                                    "minimum": 1,
                                    "maximum": TEXT_MAX_LENGTH,
                                },
                                "scale": {
                                    "type": "object",
                                    "additionalProperties": False,
                                    "required": ["min", "max", "labels"],
                                    "properties": {
                                        "min": {"type": "integer", "minimum": 0},
                                        "max": {"type": "integer", "maximum": 10},
                                        "labels": {
                                            "type": "array",
                                            "minItems": 2,
                                            "items": {
                                                "type": "object",
                                                "additionalProperties": False,
                                                "required": ["value", "label"],
                                                "properties": {
                                                    "value": {"type": "integer"},
                                                    "label": _TEXT,
                                                },
                                            },
                                        },
                                    },
                                },
                                "options": {
                                    "type": "array",
                                    "minItems": 2,
                                    "items": {
                                        "type": "object",
                                        "additionalProperties": False,
                                        "required": ["value", "label"],
                                        "properties": {
                                            "value": _ID,
                                            "label": _TEXT,
                                            "score": _SCORE,
                                        },
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
        "red_flags": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "when", "title", "text"],
                "properties": {
                    "id": _ID,
                    "when": _CONDITION,
                    "title": _TEXT,
                    "text": _TEXT,
                    "contacts": {"type": "array", "items": _CONTACT_KEY},
                    "call_112": {"type": "boolean"},
                    "raises": {"type": "array", "items": _ID, "uniqueItems": True},
                },
            },
        },
        "advice_blocks": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "section", "title", "text"],
                "properties": {
                    "id": _ID,
                    "section": {"enum": list(SECTIONS)},
                    "title": _TEXT,
                    "text": _TEXT,
                    "contacts": {"type": "array", "items": _CONTACT_KEY},
                },
            },
        },
        "advice_rules": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "when", "blocks"],
                "properties": {
                    "id": _ID,
                    "when": _CONDITION,
                    "blocks": {"type": "array", "minItems": 1, "items": _ID},
                },
            },
        },
        "contacts": {"type": "array", "items": _CONTACT_KEY},
    },
}


# -- problems ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class InstrumentProblem:
    file: str
    path: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.path}: [{self.rule}] {self.message}"


class InstrumentError(ValueError):
    """One or more problems in an instrument file. `problems` lists every one of them."""

    def __init__(self, problems: list[InstrumentProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def _path(parts: Iterable) -> str:
    text = "/".join(str(p) for p in parts)
    return text or "(root)"


# -- the parsed instrument -----------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    score: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Item:
    id: str
    area_id: str
    text: str
    type: str
    help: str = ""
    required: bool = True
    protective: bool = False
    score: Mapping[str, float] = field(default_factory=dict)
    options: tuple[Option, ...] = ()
    scale_min: int = 0
    scale_max: int = 0
    scale_labels: Mapping[int, str] = field(default_factory=dict)
    max_length: int = TEXT_MAX_LENGTH

    @property
    def scored(self) -> bool:
        if self.type == "text":
            return False
        if self.options:
            return any(option.score for option in self.options)
        return bool(self.score)

    def choices(self) -> list[tuple[str, str]]:
        """(value, label) pairs as a form shows them; values are strings."""
        if self.type == "yes_no_unknown":
            return [(YES, _("Ja")), (NO, _("Nee")), (UNKNOWN, _("Weet ik niet"))]
        if self.type == "scale":
            return [
                (str(v), self.scale_labels.get(v, str(v)))
                for v in range(self.scale_min, self.scale_max + 1)
            ]
        return [(option.value, option.label) for option in self.options]

    def label_for(self, value) -> str:
        """A readable answer: the label of a choice, the labels of several, or the text."""
        if value is None:
            return ""
        if self.type == "text":
            return str(value)
        if self.type == "multiple":
            labels = dict(self.choices())
            return ", ".join(labels.get(v, v) for v in value)
        return dict(self.choices()).get(str(value), str(value))

    def points(self, value) -> dict[str, float]:
        """Points per scale for one (valid) answer. Free text is never scored."""
        if value is None or self.type == "text":
            return {}
        if self.type == "yes_no_unknown":
            return dict(self.score) if value == YES else {}
        if self.type == "scale":
            steps = int(value) - self.scale_min
            return {scale: weight * steps for scale, weight in self.score.items() if steps}
        chosen = [value] if self.type == "single" else list(value)
        total: dict[str, float] = {}
        for option in self.options:
            if option.value in chosen:
                for scale, weight in option.score.items():
                    total[scale] = total.get(scale, 0) + weight
        return total


@dataclass(frozen=True)
class Area:
    id: str
    title: str
    items: tuple[Item, ...]
    intro: str = ""
    tips: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scale:
    id: str
    label: str
    kind: str
    thresholds: Mapping[str, float]
    form: str = ""
    level_labels: Mapping[str, str] = field(default_factory=dict)

    def level_for(self, score: float) -> str:
        level = "none"
        for candidate in LEVELS[1:]:
            if score >= self.thresholds[candidate]:
                level = candidate
        return level


@dataclass(frozen=True)
class RedFlag:
    id: str
    when: Mapping
    title: str
    text: str
    contacts: tuple[str, ...] = ()
    call_112: bool = False
    raises: tuple[str, ...] = ()


@dataclass(frozen=True)
class AdviceBlock:
    id: str
    section: str
    title: str
    text: str
    contacts: tuple[str, ...] = ()


@dataclass(frozen=True)
class AdviceRule:
    id: str
    when: Mapping
    blocks: tuple[str, ...]


@dataclass(frozen=True)
class Instrument:
    id: str
    version: int
    title: str
    description: str
    audience: tuple[str, ...]
    language_level: str
    kind: str
    status: str
    owner: str
    disclaimer: str
    storage: str
    step_plan: str
    areas: tuple[Area, ...]
    scales: tuple[Scale, ...] = ()
    red_flags: tuple[RedFlag, ...] = ()
    advice_blocks: Mapping[str, AdviceBlock] = field(default_factory=dict)
    advice_rules: tuple[AdviceRule, ...] = ()
    contacts: tuple[str, ...] = ()
    intro: str = ""
    result_intro: str = ""
    licence: str = ""
    definition: Mapping = field(default_factory=dict, compare=False, repr=False)
    checksum: str = ""

    @cached_property
    def items(self) -> dict[str, Item]:
        return {item.id: item for area in self.areas for item in area.items}

    @cached_property
    def scale_map(self) -> dict[str, Scale]:
        return {scale.id: scale for scale in self.scales}

    @property
    def storable(self) -> bool:
        return self.storage == "allowed"

    @property
    def scored(self) -> bool:
        return self.kind == "scored"


def checksum_of(definition: Mapping) -> str:
    canonical = json.dumps(definition, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# -- semantic rules (what the schema cannot say) ----------------------------------------------


class _Checker:
    def __init__(self, file: str, data: dict):
        self.file = file
        self.data = data
        self.problems: list[InstrumentProblem] = []
        self.items: dict[str, dict] = {}
        self.scales: dict[str, dict] = {}
        self.areas: set[str] = set()
        self.red_flags: set[str] = set()

    def add(self, path, rule: str, message: str) -> None:
        self.problems.append(InstrumentProblem(self.file, _path(path), rule, message))

    def run(self) -> list[InstrumentProblem]:
        data = self.data
        scored = data["kind"] == "scored"
        scales = data.get("scales", [])
        if scored and not scales:
            self.add(
                ["scales"], "scored-needs-scales", "a scored instrument needs at least one scale"
            )
        if not scored and scales:
            self.add(["scales"], "guide-has-no-scales", "a guide is never scored: remove 'scales'")
        if data["storage"] == "never" and data["step_plan"] == "meldcode":
            self.add(
                ["step_plan"],
                "never-stored-is-not-for-professionals",
                "an instrument that is never stored should not carry the meldcode step plan",
            )
        for i, scale in enumerate(scales):
            self._scale(["scales", i], scale)
        for i, area in enumerate(data["areas"]):
            self._area(["areas", i], area, scored)
        self._red_flags(scored)
        self._advice()
        for i, key in enumerate(data.get("contacts", [])):
            self._contact(["contacts", i], key)
        return self.problems

    def _unique(self, path, kind: str, seen: set | dict, value: str) -> bool:
        if value in seen:
            self.add(path, "unique-id", f"{kind} id '{value}' is used twice")
            return False
        return True

    def _scale(self, path, scale: dict) -> None:
        if self._unique([*path, "id"], "scale", self.scales, scale["id"]):
            self.scales[scale["id"]] = scale
        if scale["kind"] == "form" and "form" not in scale:
            self.add(path, "form-scale-names-form", "a scale of kind 'form' needs 'form'")
        if scale["kind"] != "form" and "form" in scale:
            self.add([*path, "form"], "form-only-on-form-scale", "only a 'form' scale has 'form'")
        values = [scale["thresholds"][level] for level in LEVELS[1:]]
        if values != sorted(values) or len(set(values)) != len(values):
            self.add(
                [*path, "thresholds"],
                "thresholds-ascending",
                f"thresholds must rise: low < elevated < high (got {values})",
            )

    def _score(self, path, score: dict) -> None:
        for name in score:
            if name not in self.scales:
                self.add([*path, name], "known-scale", f"unknown scale '{name}'")

    def _area(self, path, area: dict, scored: bool) -> None:
        if self._unique([*path, "id"], "area", self.areas, area["id"]):
            self.areas.add(area["id"])
        for j, item in enumerate(area["items"]):
            self._item([*path, "items", j], item, scored)

    def _item(self, path, item: dict, scored: bool) -> None:  # noqa: C901 - to be split
        kind = item["type"]
        if self._unique([*path, "id"], "item", self.items, item["id"]):
            self.items[item["id"]] = item
        has_options = "options" in item
        if kind in ("single", "multiple") and not has_options:
            self.add(path, "choice-needs-options", f"a '{kind}' item needs 'options'")
        if kind not in ("single", "multiple") and has_options:
            self.add(
                [*path, "options"], "options-only-for-choices", f"a '{kind}' item has no options"
            )
        if kind == "scale" and "scale" not in item:
            self.add(path, "scale-needs-range", "a 'scale' item needs 'scale' (min, max, labels)")
        if kind != "scale" and "scale" in item:
            self.add([*path, "scale"], "range-only-for-scale", f"a '{kind}' item has no 'scale'")
        if kind != "text" and "max_length" in item:
            self.add([*path, "max_length"], "max-length-only-for-text", "only text has max_length")
        if kind == "text" and "score" in item:
            self.add([*path, "score"], "text-never-scored", "free text is never scored")
        if item.get("protective"):
            if kind != "yes_no_unknown":
                self.add(
                    [*path, "protective"],
                    "protective-is-yes-no",
                    "a protective factor is a yes / no / don't know question",
                )
            if "score" in item:
                self.add(
                    [*path, "score"],
                    "protective-not-scored",
                    "a protective factor is shown beside the result, never added to a score",
                )
        if not scored and ("score" in item or any("score" in o for o in item.get("options", []))):
            self.add([*path, "score"], "guide-never-scored", "a guide has no scores")
        if "score" in item:
            if kind in ("single", "multiple"):
                self.add([*path, "score"], "choice-scores-per-option", "score each option instead")
            self._score([*path, "score"], item["score"])
        values: set[str] = set()
        for k, option in enumerate(item.get("options", [])):
            if option["value"] in values:
                self.add([*path, "options", k, "value"], "unique-option", "option value used twice")
            values.add(option["value"])
            if "score" in option:
                self._score([*path, "options", k, "score"], option["score"])
        if "scale" in item:
            rng = item["scale"]
            if rng["min"] >= rng["max"]:
                self.add([*path, "scale"], "scale-range", "min must be below max")
            for k, label in enumerate(rng["labels"]):
                if not rng["min"] <= label["value"] <= rng["max"]:
                    self.add(
                        [*path, "scale", "labels", k, "value"],
                        "scale-label-in-range",
                        f"{label['value']} is outside {rng['min']}..{rng['max']}",
                    )

    def _red_flags(self, scored: bool) -> None:
        for i, flag in enumerate(self.data.get("red_flags", [])):
            path = ["red_flags", i]
            if self._unique([*path, "id"], "red flag", self.red_flags, flag["id"]):
                self.red_flags.add(flag["id"])
            self._condition([*path, "when"], flag["when"], allow_result=False)
            for k, name in enumerate(flag.get("raises", [])):
                if name not in self.scales:
                    self.add([*path, "raises", k], "known-scale", f"unknown scale '{name}'")
            for k, key in enumerate(flag.get("contacts", [])):
                self._contact([*path, "contacts", k], key)

    def _advice(self) -> None:
        blocks: set[str] = set()
        for i, block in enumerate(self.data.get("advice_blocks", [])):
            path = ["advice_blocks", i]
            if self._unique([*path, "id"], "advice block", blocks, block["id"]):
                blocks.add(block["id"])
            for k, key in enumerate(block.get("contacts", [])):
                self._contact([*path, "contacts", k], key)
        rules: set[str] = set()
        for i, rule in enumerate(self.data.get("advice_rules", [])):
            path = ["advice_rules", i]
            if self._unique([*path, "id"], "advice rule", rules, rule["id"]):
                rules.add(rule["id"])
            self._condition([*path, "when"], rule["when"], allow_result=True)
            for k, block in enumerate(rule["blocks"]):
                if block not in blocks:
                    self.add([*path, "blocks", k], "known-block", f"unknown advice block '{block}'")

    def _contact(self, path, key: str) -> None:
        if key == "112":
            self.add(path, "no-112-contact", "112 is always shown; use call_112 on a red flag")

    # The condition grammar. Leaves look at one answer, a scale, an area or the context.
    def _condition(self, path, cond, *, allow_result: bool) -> None:  # noqa: C901
        if not isinstance(cond, dict) or len(cond) == 0:
            self.add(path, "condition-shape", "a condition is a non-empty mapping")
            return
        keys = set(cond)
        if keys <= {"all"} or keys <= {"any"}:
            (name,) = keys
            parts = cond[name]
            if not isinstance(parts, list) or not parts:
                self.add([*path, name], "condition-shape", f"'{name}' takes a non-empty list")
                return
            for i, part in enumerate(parts):
                self._condition([*path, name, i], part, allow_result=allow_result)
            return
        if keys == {"not"}:
            self._condition([*path, "not"], cond["not"], allow_result=allow_result)
            return
        if keys == {"always"}:
            if cond["always"] is not True:
                self.add([*path, "always"], "condition-shape", "'always' must be true")
            return
        if "item" in keys:
            self._item_condition(path, cond)
            return
        if not allow_result:
            self.add(
                path,
                "red-flag-looks-at-answers",
                "a red flag looks only at answers ('item', 'all', 'any', 'not')",
            )
            return
        if keys == {"scale", "level_at_least"}:
            if cond["scale"] not in self.scales:
                self.add([*path, "scale"], "known-scale", f"unknown scale '{cond['scale']}'")
            if cond["level_at_least"] not in LEVELS:
                self.add([*path, "level_at_least"], "known-level", f"use one of {list(LEVELS)}")
            return
        if keys == {"outcome_at_least"}:
            if cond["outcome_at_least"] not in (*LEVELS, "urgent"):
                self.add([*path, "outcome_at_least"], "known-level", "unknown level")
            return
        if keys == {"area", "score_at_least"}:
            if cond["area"] not in self.areas:
                self.add([*path, "area"], "known-area", f"unknown area '{cond['area']}'")
            if not _is_number(cond["score_at_least"]):
                self.add([*path, "score_at_least"], "value-type", "a number is needed")
            return
        if keys == {"red_flag"}:
            if cond["red_flag"] != "any" and cond["red_flag"] not in self.red_flags:
                self.add([*path, "red_flag"], "known-red-flag", "unknown red flag")
            return
        if keys == {"lvb_indication"}:
            if not isinstance(cond["lvb_indication"], bool):
                self.add([*path, "lvb_indication"], "value-type", "true or false")
            return
        self.add(path, "condition-shape", f"unknown condition with keys {sorted(keys)}")

    def _item_condition(self, path, cond) -> None:
        item = self.items.get(cond["item"])
        tests = set(cond) - {"item"}
        if len(tests) != 1 or not tests <= {"equals", "in", "includes", "at_least", "answered"}:
            self.add(
                path,
                "condition-shape",
                "an item condition has one of: equals, in, includes, at_least, answered",
            )
            return
        if item is None:
            self.add([*path, "item"], "known-item", f"unknown item '{cond['item']}'")
            return
        (test,) = tests
        value = cond[test]
        kind = item["type"]
        allowed = _allowed_values(item)
        if test == "answered":
            if not isinstance(value, bool):
                self.add([*path, test], "value-type", "true or false")
        elif kind == "text":
            self.add([*path, "item"], "text-never-scored", "free text never triggers anything")
        elif test == "equals":
            if value not in allowed:
                self.add([*path, test], "known-value", f"'{value}' is not an answer of this item")
        elif test == "in":
            if not isinstance(value, list) or not value:
                self.add([*path, test], "value-type", "a non-empty list is needed")
            else:
                for k, v in enumerate(value):
                    if v not in allowed:
                        self.add([*path, test, k], "known-value", f"'{v}' is not an answer")
        elif test == "includes":
            if kind != "multiple":
                self.add([*path, test], "includes-for-multiple", "only for a 'multiple' item")
            elif value not in allowed:
                self.add([*path, test], "known-value", f"'{value}' is not an option")
        elif test == "at_least":
            if kind != "scale":
                self.add([*path, test], "at-least-for-scale", "only for a 'scale' item")
            elif not _is_number(value):
                self.add([*path, test], "value-type", "a number is needed")


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _allowed_values(item: dict) -> list:
    if item["type"] == "yes_no_unknown":
        return list(YES_NO_UNKNOWN)
    if item["type"] == "scale" and "scale" in item:
        return list(range(item["scale"]["min"], item["scale"]["max"] + 1))
    return [option["value"] for option in item.get("options", [])]


# -- parse ---------------------------------------------------------------------------------


def problems_in(data, file: str) -> list[InstrumentProblem]:
    """Every problem of one instrument definition: schema first, then the semantic rules."""
    validator = jsonschema.Draft202012Validator(SCHEMA)
    errors = sorted(validator.iter_errors(data), key=lambda e: (list(e.absolute_path), e.message))
    problems = [
        InstrumentProblem(file, _path(error.absolute_path), str(error.validator), error.message)
        for error in errors
    ]
    if problems:
        return problems  # the semantic rules assume a well-formed file
    return _Checker(file, data).run()


def build(data: Mapping, checksum: str = "") -> Instrument:
    """An Instrument from a definition that `problems_in` found no problems with."""
    areas = []
    for area in data["areas"]:
        items = []
        for raw in area["items"]:
            scale = raw.get("scale") or {}
            items.append(
                Item(
                    id=raw["id"],
                    area_id=area["id"],
                    text=raw["text"],
                    type=raw["type"],
                    help=raw.get("help", ""),
                    required=raw.get("required", raw["type"] != "text"),
                    protective=raw.get("protective", False),
                    score=dict(raw.get("score", {})),
                    options=tuple(
                        Option(o["value"], o["label"], dict(o.get("score", {})))
                        for o in raw.get("options", [])
                    ),
                    scale_min=scale.get("min", 0),
                    scale_max=scale.get("max", 0),
                    scale_labels={lab["value"]: lab["label"] for lab in scale.get("labels", [])},
                    max_length=raw.get("max_length", TEXT_MAX_LENGTH),
                )
            )
        areas.append(
            Area(
                id=area["id"],
                title=area["title"],
                items=tuple(items),
                intro=area.get("intro", ""),
                tips=tuple(area.get("tips", [])),
            )
        )
    return Instrument(
        id=data["id"],
        version=data["version"],
        title=data["title"],
        description=data["description"],
        audience=tuple(data["audience"]),
        language_level=data["language_level"],
        kind=data["kind"],
        status=data["status"],
        owner=data["owner"],
        disclaimer=data["disclaimer"],
        storage=data["storage"],
        step_plan=data["step_plan"],
        areas=tuple(areas),
        scales=tuple(
            Scale(
                id=s["id"],
                label=s["label"],
                kind=s["kind"],
                thresholds=dict(s["thresholds"]),
                form=s.get("form", ""),
                level_labels=dict(s.get("level_labels", {})),
            )
            for s in data.get("scales", [])
        ),
        red_flags=tuple(
            RedFlag(
                id=f["id"],
                when=f["when"],
                title=f["title"],
                text=f["text"],
                contacts=tuple(f.get("contacts", [])),
                call_112=f.get("call_112", False),
                raises=tuple(f.get("raises", [])),
            )
            for f in data.get("red_flags", [])
        ),
        advice_blocks={
            b["id"]: AdviceBlock(
                id=b["id"],
                section=b["section"],
                title=b["title"],
                text=b["text"],
                contacts=tuple(b.get("contacts", [])),
            )
            for b in data.get("advice_blocks", [])
        },
        advice_rules=tuple(
            AdviceRule(id=r["id"], when=r["when"], blocks=tuple(r["blocks"]))
            for r in data.get("advice_rules", [])
        ),
        contacts=tuple(data.get("contacts", [])),
        intro=data.get("intro", ""),
        result_intro=data.get("result_intro", ""),
        licence=data.get("licence", ""),
        definition=data,
        checksum=checksum or checksum_of(data),
    )


def parse_definition(data, file: str = "<definition>") -> Instrument:
    problems = problems_in(data, file)
    if problems:
        raise InstrumentError(problems)
    return build(data)


def read_file(path: Path) -> dict:
    """The YAML of one file, or InstrumentError naming the file and the line of a syntax error."""
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InstrumentError([InstrumentProblem(file, "(file)", "readable", str(error))]) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        problem = getattr(error, "problem", None) or str(error)
        raise InstrumentError([InstrumentProblem(file, where, "yaml-syntax", problem)]) from None
    if not isinstance(data, dict):
        raise InstrumentError(
            [InstrumentProblem(file, "(root)", "type", "an instrument file holds one mapping")]
        )
    return data


def load_file(path: Path, *, display_name: str | None = None) -> Instrument:
    data = read_file(path)
    problems = problems_in(data, display_name or str(path))
    if problems:
        raise InstrumentError(problems)
    return build(data)


def instrument_files(paths: Iterable[Path] | None = None) -> list[Path]:
    """The YAML files under the given files or folders (default: the shipped instruments)."""
    found: list[Path] = []
    for path in paths or [INSTRUMENTS_DIR]:
        path = Path(path)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.y*ml") if p.suffix in (".yaml", ".yml")))
        else:
            found.append(path)
    return found


def display_name(path: Path) -> str:
    """A short name for messages: relative to the app's data folder when it lies there."""
    try:
        return str(Path(path).resolve().relative_to(DATA_DIR.parent))
    except ValueError:
        return str(path)


def check_files(
    paths: Iterable[Path] | None = None,
) -> tuple[list[tuple[Instrument, str]], list[InstrumentProblem]]:
    """Load every file; return the good instruments (with their file names) and every problem
    of the bad ones. Across files, an id+version may occur only once.
    """
    instruments: list[tuple[Instrument, str]] = []
    problems: list[InstrumentProblem] = []
    seen: dict[tuple[str, int], str] = {}
    for path in instrument_files(paths):
        name = display_name(path)
        try:
            instrument = load_file(path, display_name=name)
        except InstrumentError as error:
            problems.extend(error.problems)
            continue
        key = (instrument.id, instrument.version)
        if key in seen:
            problems.append(
                InstrumentProblem(
                    name,
                    "version",
                    "unique-version",
                    f"{instrument.id} version {instrument.version} is also in {seen[key]}",
                )
            )
            continue
        seen[key] = name
        instruments.append((instrument, name))
    return instruments, problems
