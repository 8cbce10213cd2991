"""The vocabulary of instrument files and the parsed instrument: frozen dataclasses."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from django.utils.translation import gettext as _

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
