"""The documented list of reason categories (data/reasons.yaml)."""

from functools import lru_cache
from pathlib import Path

import yaml
from django.utils.translation import get_language

REASONS_FILE = Path(__file__).resolve().parent / "data" / "reasons.yaml"


class ReasonsError(ValueError):
    pass


@lru_cache(maxsize=1)
def _load() -> tuple[tuple[str, dict], ...]:
    rows = yaml.safe_load(REASONS_FILE.read_text(encoding="utf-8"))
    if not isinstance(rows, list) or not rows:
        raise ReasonsError(f"{REASONS_FILE.name}: a non-empty list is needed")
    seen = set()
    result = []
    for index, row in enumerate(rows, start=1):
        key = row.get("key") if isinstance(row, dict) else None
        label = row.get("label") if isinstance(row, dict) else None
        if not isinstance(key, str) or not key.isidentifier() or key in seen:
            raise ReasonsError(f"{REASONS_FILE.name}: entry {index} needs a unique key")
        if not isinstance(label, dict) or not label.get("nl"):
            raise ReasonsError(f"{REASONS_FILE.name}: entry {index} needs label.nl")
        seen.add(key)
        result.append((key, label))
    if "zorgen_over_uitbuiting" not in seen:
        raise ReasonsError(f"{REASONS_FILE.name}: 'zorgen_over_uitbuiting' must be in the list")
    return tuple(result)


def reason_keys() -> list[str]:
    return [key for key, _label in _load()]


def reason_choices() -> list[tuple[str, str]]:
    language = (get_language() or "nl")[:2]
    return [(key, label.get(language) or label["nl"]) for key, label in _load()]


def reason_label(key: str) -> str:
    return dict(reason_choices()).get(key, key)
