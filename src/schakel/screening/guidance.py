"""The shared guidance (data/guidance.yaml): step plans, reporting routes, LVB communication."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from .instruments import DATA_DIR, LEVELS, STEP_PLANS, InstrumentError, InstrumentProblem, _path

GUIDANCE_FILE = DATA_DIR / "guidance.yaml"
OUTCOMES = (*LEVELS, "urgent", "completed")

_TEXT = {"type": "string", "minLength": 1}
_CONTACTS = {
    "type": "array",
    "items": {"type": "string", "pattern": "^[a-z0-9_]+(\\|[a-z0-9_]+)*$"},
}
_PROFILE_MAP = {
    "type": "object",
    "additionalProperties": False,
    "required": list(STEP_PLANS),
}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "version",
        "emergency",
        "outcomes",
        "default_contacts",
        "step_plans",
        "reporting",
        "lvb_communication",
    ],
    "properties": {
        "version": {"type": "integer", "minimum": 1},
        "emergency": {
            **_PROFILE_MAP,
            "properties": {
                plan: {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["title", "text"],
                    "properties": {"title": _TEXT, "text": _TEXT},
                }
                for plan in STEP_PLANS
            },
        },
        "outcomes": {
            **_PROFILE_MAP,
            "properties": {
                plan: {
                    "type": "object",
                    "additionalProperties": False,
                    "required": list(OUTCOMES),
                    "properties": dict.fromkeys(OUTCOMES, _TEXT),
                }
                for plan in STEP_PLANS
            },
        },
        "default_contacts": {
            **_PROFILE_MAP,
            "properties": dict.fromkeys(STEP_PLANS, _CONTACTS),
        },
        "step_plans": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                plan: {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["title", "intro", "show_from", "steps"],
                    "properties": {
                        "title": _TEXT,
                        "intro": {"type": "string"},
                        "source": {"type": "string"},
                        "show_from": {"enum": list(LEVELS)},
                        "steps": {
                            "type": "array",
                            "minItems": 1,
                            "items": {
                                "type": "object",
                                "additionalProperties": False,
                                "required": ["title", "text"],
                                "properties": {
                                    "title": _TEXT,
                                    "text": _TEXT,
                                    "questions": {"type": "array", "items": _TEXT},
                                    "contacts": _CONTACTS,
                                },
                            },
                        },
                    },
                }
                for plan in STEP_PLANS
                if plan != "none"
            },
        },
        "reporting": {
            "type": "object",
            "additionalProperties": False,
            "required": ["title", "intro", "show_from", "profiles", "routes"],
            "properties": {
                "title": _TEXT,
                "intro": {"type": "string"},
                "show_from": {"enum": list(LEVELS)},
                "profiles": {"type": "array", "items": {"enum": list(STEP_PLANS)}},
                "routes": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["title", "text"],
                        "properties": {"title": _TEXT, "text": _TEXT, "contacts": _CONTACTS},
                    },
                },
            },
        },
        "lvb_communication": {
            "type": "object",
            "additionalProperties": False,
            "required": ["title", "intro", "profiles", "tips"],
            "properties": {
                "title": _TEXT,
                "intro": {"type": "string"},
                "profiles": {"type": "array", "items": {"enum": list(STEP_PLANS)}},
                "tips": {"type": "array", "minItems": 1, "items": _TEXT},
            },
        },
    },
}


def guidance_problems(path: Path = GUIDANCE_FILE) -> list[InstrumentProblem]:
    file = str(path.name)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        return [InstrumentProblem(file, "(file)", "readable", str(error).splitlines()[0])]
    validator = jsonschema.Draft202012Validator(SCHEMA)
    problems = [
        InstrumentProblem(file, _path(e.absolute_path), str(e.validator), e.message)
        for e in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    ]
    if not problems:
        for plan in STEP_PLANS:
            if plan != "none" and plan not in data["step_plans"]:
                problems.append(
                    InstrumentProblem(file, "step_plans", "known-plan", f"'{plan}' is missing")
                )
    return problems


@lru_cache(maxsize=2)
def _load(path: str) -> dict:
    problems = guidance_problems(Path(path))
    if problems:
        raise InstrumentError(problems)
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def guidance() -> dict:
    return _load(str(GUIDANCE_FILE))
