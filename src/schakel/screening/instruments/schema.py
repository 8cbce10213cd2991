"""The JSON Schema that every instrument file must satisfy."""

from __future__ import annotations

from typing import Any

from .model import (
    AUDIENCES,
    FORMS,
    ITEM_TYPES,
    LEVELS,
    SCALE_KINDS,
    SECTIONS,
    STEP_PLANS,
    TEXT_MAX_LENGTH,
)

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
