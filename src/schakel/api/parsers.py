"""The API's JSON parser: bounded in size and depth, and only text that can be stored.

DRF's own parser reads the whole body, recurses once per nesting level (a body of 50,000 `[`
ended in RecursionError, a 500) and lets NUL through to fields that do not check for it.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers
from rest_framework.utils import json

from .exceptions import RequestTooLarge
from .input_checks import (
    JSON_MAX_DEPTH,
    bad_items,
    bad_strings,
    bad_text,
    content_length,
    json_depth,
)


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        too_large = RequestTooLarge(
            _("Een JSON-body mag hoogstens %(limit)s bytes zijn.") % {"limit": limit}
        )
        request = (parser_context or {}).get("request")
        if limit is not None and request is not None and (content_length(request) or 0) > limit:
            raise too_large  # refused before it is read
        raw = b"" if stream is None else stream.read(-1 if limit is None else limit + 1)
        if limit is not None and len(raw) > limit:
            raise too_large
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            raise exceptions.ParseError(_("De body is geen geldige UTF-8-tekst.")) from None
        depth = json_depth(text)
        if depth > JSON_MAX_DEPTH:
            raise exceptions.ParseError(
                _("De JSON is %(depth)s lagen diep; hoogstens %(limit)s mag.")
                % {"depth": depth, "limit": JSON_MAX_DEPTH}
            )
        try:
            data = json.loads(text, parse_constant=json.strict_constant if self.strict else None)
        except ValueError as exc:
            raise exceptions.ParseError(
                _("De JSON klopt niet: %(error)s") % {"error": exc}
            ) from None
        problems = bad_strings(data)
        if problems:
            raise exceptions.ValidationError(
                {problem["name"]: [problem["reason"]] for problem in problems}
            )
        return data


def _refuse_bad_fields(fields, files=()) -> None:
    """Form fields that text cannot hold (names and values); uploaded files may hold anything."""
    problems = bad_items([*fields, *((name, []) for name, _uploads in files)], bad_text)
    if problems:
        raise exceptions.ValidationError({p["name"]: [p["reason"]] for p in problems})


class FormParser(parsers.FormParser):
    """DRF parses PUT and PATCH forms itself; POST forms were checked by the middleware too."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        _refuse_bad_fields(data.lists())
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        result = super().parse(stream, media_type, parser_context)
        _refuse_bad_fields(result.data.lists(), result.files.lists())
        return result
