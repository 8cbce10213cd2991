"""The advice engine: check an answer set, score it and decide which advice applies.

Pure functions on an `Instrument` and a dict of answers; nothing here touches the database, so
the same code scores a consultation, a stored assessment, the API and the benchmark.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .instruments import LEVELS, UNKNOWN, YES, YES_NO_UNKNOWN, Instrument, Item

RANK = {level: rank for rank, level in enumerate(LEVELS)} | {"urgent": len(LEVELS)}
GUIDE_OUTCOME = "completed"


class AnswersInvalid(Exception):
    """The answer set breaks rules; `errors` maps each offending item id to the reason."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{key}: {reason}" for key, reason in errors.items()))


# -- validating ----------------------------------------------------------------------------


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _missing(value) -> bool:
    return value is None or (isinstance(value, str | list) and not value)


def _check_value(item: Item, value) -> tuple[object, str | None]:
    """(the clean value, None) or (None, the reason it is wrong)."""
    kind = item.type
    if kind == "yes_no_unknown":
        if value in YES_NO_UNKNOWN:
            return value, None
        return None, _("Kies ja, nee of weet ik niet (yes, no of unknown).")
    if kind == "scale":
        if _is_int(value) and item.scale_min <= value <= item.scale_max:
            return value, None
        return None, _("Kies een heel getal van %(min)s tot en met %(max)s.") % {
            "min": item.scale_min,
            "max": item.scale_max,
        }
    allowed = [option.value for option in item.options]
    if kind == "single":
        if isinstance(value, str) and value in allowed:
            return value, None
        return None, _("Kies één van: %(values)s.") % {"values": ", ".join(allowed)}
    if kind == "multiple":
        if (
            isinstance(value, list)
            and all(isinstance(v, str) and v in allowed for v in value)
            and len(set(value)) == len(value)
        ):
            return [v for v in allowed if v in value], None  # in the instrument's order
        return None, _("Geef een lijst met één of meer van: %(values)s.") % {
            "values": ", ".join(allowed)
        }
    if isinstance(value, str):
        text = value.strip()
        if len(text) <= item.max_length:
            return text, None
        return None, _("Gebruik hoogstens %(max)s tekens.") % {"max": item.max_length}
    return None, _("Geef tekst.")


def clean_answers(instrument: Instrument, answers) -> dict:
    """The answers in their canonical form, or AnswersInvalid naming every offending item.

    Unknown items, required items without an answer and values of the wrong type or range are
    errors. Empty optional answers are left out.
    """
    if not isinstance(answers, Mapping):
        raise AnswersInvalid({"": _("Geef de antwoorden als object: {vraag: antwoord}.")})
    errors: dict[str, str] = {}
    for key in answers:
        if key not in instrument.items:
            errors[str(key)] = _("Deze vraag bestaat niet in dit instrument.")
    clean: dict = {}
    for item in instrument.items.values():
        value = answers.get(item.id)
        if _missing(value) or (
            item.type == "text" and isinstance(value, str) and not value.strip()
        ):
            if item.required:
                errors[item.id] = _("Deze vraag moet beantwoord worden.")
            continue
        value, reason = _check_value(item, value)
        if reason:
            errors[item.id] = reason
        elif not _missing(value):
            clean[item.id] = value
    if errors:
        raise AnswersInvalid(errors)
    return clean


def area_errors(instrument: Instrument, area_id: str, answers: Mapping) -> dict[str, str]:
    """Problems with the answers of one area (the web checks a step before moving on)."""
    errors: dict[str, str] = {}
    area = next(a for a in instrument.areas if a.id == area_id)
    for item in area.items:
        value = answers.get(item.id)
        if _missing(value):
            if item.required:
                errors[item.id] = _("Deze vraag moet beantwoord worden.")
            continue
        _value, reason = _check_value(item, value)
        if reason:
            errors[item.id] = reason
    return errors


# -- conditions ----------------------------------------------------------------------------


@dataclass
class _Context:
    answers: Mapping
    levels: dict[str, str]
    area_scores: dict[str, float]
    red_flags: set[str]
    outcome: str
    lvb_indication: bool


def holds(cond: Mapping, ctx: _Context) -> bool:  # noqa: C901 - one branch per condition kind
    if "all" in cond:
        return all(holds(part, ctx) for part in cond["all"])
    if "any" in cond:
        return any(holds(part, ctx) for part in cond["any"])
    if "not" in cond:
        return not holds(cond["not"], ctx)
    if "always" in cond:
        return True
    if "item" in cond:
        value = ctx.answers.get(cond["item"])
        if "answered" in cond:
            return (value is not None) == cond["answered"]
        if value is None:
            return False
        if "equals" in cond:
            return value == cond["equals"]
        if "in" in cond:
            return value in cond["in"]
        if "includes" in cond:
            return cond["includes"] in value
        if "at_least" in cond:
            return value >= cond["at_least"]
        return False
    if "scale" in cond:
        return RANK[ctx.levels.get(cond["scale"], "none")] >= RANK[cond["level_at_least"]]
    if "outcome_at_least" in cond:
        return RANK.get(ctx.outcome, 0) >= RANK[cond["outcome_at_least"]]
    if "area" in cond:
        return ctx.area_scores.get(cond["area"], 0) >= cond["score_at_least"]
    if "red_flag" in cond:
        return (
            bool(ctx.red_flags) if cond["red_flag"] == "any" else cond["red_flag"] in ctx.red_flags
        )
    if "lvb_indication" in cond:
        return ctx.lvb_indication == cond["lvb_indication"]
    return False


def items_in(cond: Mapping) -> list[str]:
    """The item ids a condition looks at, in order (to show the answers behind a red flag)."""
    found: list[str] = []
    for key in ("all", "any"):
        for part in cond.get(key, []):
            found.extend(items_in(part))
    if "not" in cond:
        found.extend(items_in(cond["not"]))
    if "item" in cond:
        found.append(cond["item"])
    return list(dict.fromkeys(found))


# -- scoring -------------------------------------------------------------------------------


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 2)


def _answer(item: Item, value, points: float | None = None) -> dict:
    entry = {
        "item": item.id,
        "question": item.text,
        "answer": value,
        "answer_label": item.label_for(value),
    }
    if points is not None:
        entry["points"] = _number(points)
    return entry


def evaluate(instrument: Instrument, answers: Mapping, *, lvb_indication: bool = False) -> dict:
    """Score clean answers (see `clean_answers`) and decide the advice. JSON-serialisable.

    Every level comes with the areas and answers behind it; red flags come first and raise the
    scales they name to "high"; the outcome is "urgent" when a red flag holds.
    """
    areas = {area.id: area for area in instrument.areas}
    per_scale: dict[str, dict[str, list]] = {scale.id: {} for scale in instrument.scales}
    totals = dict.fromkeys(per_scale, 0.0)
    area_scores: dict[str, float] = {}
    for item in instrument.items.values():
        value = answers.get(item.id)
        for scale_id, points in item.points(value).items():
            if not points:
                continue
            totals[scale_id] += points
            area_scores[item.area_id] = area_scores.get(item.area_id, 0) + points
            per_scale[scale_id].setdefault(item.area_id, []).append(_answer(item, value, points))

    levels = {scale.id: scale.level_for(totals[scale.id]) for scale in instrument.scales}
    base = _Context(answers, levels, area_scores, set(), "none", lvb_indication)
    red_flags = []
    raised_by: dict[str, list[str]] = {}
    for flag in instrument.red_flags:
        if holds(flag.when, base):
            red_flags.append(
                {
                    "id": flag.id,
                    "title": flag.title,
                    "text": flag.text,
                    "call_112": flag.call_112,
                    "contacts": list(flag.contacts),
                    "answers": [
                        _answer(instrument.items[item_id], answers[item_id])
                        for item_id in items_in(flag.when)
                        if item_id in answers
                    ],
                }
            )
            for scale_id in flag.raises:
                raised_by.setdefault(scale_id, []).append(flag.id)
                levels[scale_id] = "high"

    if red_flags:
        outcome = "urgent"
    elif not instrument.scored:
        outcome = GUIDE_OUTCOME
    else:
        outcome = max(levels.values(), key=RANK.__getitem__, default="none")

    scales = []
    for scale in instrument.scales:
        contributing = [
            {
                "area": area_id,
                "title": areas[area_id].title,
                "score": _number(sum(a["points"] for a in entries)),
                "answers": entries,
            }
            for area_id, entries in per_scale[scale.id].items()
        ]
        contributing.sort(key=lambda a: -a["score"])
        scales.append(
            {
                "id": scale.id,
                "label": scale.label,
                "kind": scale.kind,
                "form": scale.form,
                "score": _number(totals[scale.id]),
                "level": levels[scale.id],
                "thresholds": {k: _number(v) for k, v in scale.thresholds.items()},
                "raised_by": raised_by.get(scale.id, []),
                "areas": contributing,
            }
        )

    ctx = _Context(
        answers, levels, area_scores, {f["id"] for f in red_flags}, outcome, lvb_indication
    )
    advice, seen = [], set()
    for rule in instrument.advice_rules:
        if holds(rule.when, ctx):
            for block_id in rule.blocks:
                if block_id in seen:
                    continue
                seen.add(block_id)
                block = instrument.advice_blocks[block_id]
                advice.append(
                    {
                        "id": block.id,
                        "rule": rule.id,
                        "section": block.section,
                        "title": block.title,
                        "text": block.text,
                        "contacts": list(block.contacts),
                    }
                )

    lvb_scale = any(
        s.kind == "lvb" and RANK[levels[s.id]] >= RANK["elevated"] for s in instrument.scales
    )
    return {
        "instrument": {
            "id": instrument.id,
            "version": instrument.version,
            "title": instrument.title,
        },
        "outcome": outcome,
        "red_flags": red_flags,
        "scales": scales,
        "advice": advice,
        "unknowns": [
            {"item": item.id, "area": areas[item.area_id].title, "question": item.text}
            for item in instrument.items.values()
            if answers.get(item.id) == UNKNOWN and item.scored
        ],
        "protective": [
            {"item": item.id, "area": areas[item.area_id].title, "question": item.text}
            for item in instrument.items.values()
            if item.protective and answers.get(item.id) == YES
        ],
        "notes": [
            {
                "item": item.id,
                "area": areas[item.area_id].title,
                "question": item.text,
                "text": answers[item.id],
            }
            for item in instrument.items.values()
            if item.type == "text" and answers.get(item.id)
        ],
        "lvb": {
            "positive": lvb_scale or lvb_indication,
            "from_instrument": lvb_scale,
            "from_indication": lvb_indication,
        },
        "answered": len(answers),
        "items": len(instrument.items),
    }


def score(instrument: Instrument, answers, *, lvb_indication: bool = False) -> dict:
    """`clean_answers` then `evaluate`: raises AnswersInvalid for a bad answer set."""
    return evaluate(instrument, clean_answers(instrument, answers), lvb_indication=lvb_indication)
