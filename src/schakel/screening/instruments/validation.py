"""Checking a definition: the JSON Schema first, then the rules a schema cannot express
(unique ids, known references, ascending thresholds, …)."""

from __future__ import annotations

import jsonschema

from .model import LEVELS, YES_NO_UNKNOWN
from .problems import InstrumentProblem, _path
from .schema import SCHEMA

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
