"""Characters that text in Schakel cannot hold, and how deep a JSON body may nest.

PostgreSQL text cannot hold NUL, and no field of Schakel has a use for the other C0 control
characters or for lone surrogates (which cannot be written as UTF-8). They are refused once, where
the request comes in (`web.middleware.RequestGuardMiddleware` for the path, query and form fields,
`api.parsers.JSONParser` for JSON), with a 400 that names the parameter.
"""

import re
from collections.abc import Callable, Iterable
from itertools import accumulate

from django.http import HttpRequest
from django.utils.translation import gettext as _

# In bodies: tab, line feed and carriage return are text; the other C0 controls are not.
_BAD_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
# In query parameters: a tab may be pasted into a search field; nothing else.
_BAD_IN_PARAMETER = re.compile(r"[\x00-\x08\x0a-\x1f\x7f\ud800-\udfff]")
# In the path: no control character at all.
_BAD_IN_PATH = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")

JSON_MAX_DEPTH = 32
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?', re.DOTALL)
_NOT_A_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def _reason(match: re.Match | None) -> str | None:
    if match is None:
        return None
    return _("Bevat een teken dat hier niet kan (U+%(code)04X).") % {"code": ord(match.group())}


def bad_text(value: str) -> str | None:
    """Why `value` (a body field) cannot be stored, or None."""
    return _reason(_BAD_IN_TEXT.search(value))


def bad_parameter(value: str) -> str | None:
    """Why `value` (a query parameter's name or value) is refused, or None."""
    return _reason(_BAD_IN_PARAMETER.search(value))


def bad_path(value: str) -> str | None:
    return _reason(_BAD_IN_PATH.search(value))


def content_length(request: HttpRequest) -> int | None:
    """The request's Content-Length, 0 without one, None when it is not a number (Django then
    reads the body as empty)."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None


def bad_items(items: Iterable[tuple[str, list]], check: Callable[[str], str | None]) -> list[dict]:
    """`items` as (name, [values]); each name whose name or one of its values fails `check`."""
    problems = []
    for name, values in items:
        reason = check(name) or next(filter(None, map(check, values)), None)
        if reason:
            problems.append({"name": printable_name(name), "reason": reason})
    return problems


def printable_name(name: str) -> str:
    """A parameter name fit to show back, with control characters escaped."""
    return _BAD_IN_PATH.sub(lambda m: f"\\u{ord(m.group()):04x}", name)[:100]


def json_depth(text: str) -> int:
    """How deep `text` nests arrays and objects, counted without recursion (strings skipped).

    Linear in the length of `text`, also for text that is not valid JSON.
    """
    brackets = _NOT_A_BRACKET.sub("", _JSON_STRING.sub("", text))
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)


def bad_strings(data) -> list[dict]:
    """Every string in parsed JSON (keys and values) that text cannot hold, by its path."""
    problems = []
    stack = [("", data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            reason = bad_text(value)
            if reason:
                problems.append({"name": path or "non_field_errors", "reason": reason})
        elif isinstance(value, dict):
            for key, item in value.items():
                name = f"{path}.{key}" if path else str(key)
                reason = bad_text(key)
                if reason:
                    problems.append({"name": printable_name(name), "reason": reason})
                else:
                    stack.append((name, item))
        elif isinstance(value, list):
            stack.extend((f"{path}[{index}]", item) for index, item in enumerate(value))
    return sorted(problems, key=lambda p: p["name"])
