"""Errors as RFC 9457 `application/problem+json` with the names of invalid fields."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM_BASE = "https://schakel.example/problems/"


def _flatten(detail, prefix="") -> list[dict]:
    params = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            params.extend(_flatten(value, name))
    elif isinstance(detail, list):
        if detail and all(not isinstance(v, dict | list) for v in detail):
            params.append(
                {"name": prefix or "non_field_errors", "reason": " ".join(map(str, detail))}
            )
        else:
            for index, value in enumerate(detail):
                params.extend(_flatten(value, f"{prefix}[{index}]"))
    else:
        params.append({"name": prefix or "non_field_errors", "reason": str(detail)})
    return params


def _convert(exc):
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        return exceptions.ValidationError(detail)
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied()
    return exc


def problem_exception_handler(exc, context):
    exc = _convert(exc)
    response = exception_handler(exc, context)
    if response is None:
        return None
    problem = {
        "type": PROBLEM_BASE + (getattr(exc, "default_code", None) or "error"),
        "title": str(getattr(exc, "default_detail", "Error")),
        "status": response.status_code,
    }
    if isinstance(exc, exceptions.ValidationError):
        problem["type"] = PROBLEM_BASE + "invalid"
        problem["title"] = "Invalid input."
        problem["invalid_params"] = _flatten(response.data)
        names = ", ".join(p["name"] for p in problem["invalid_params"])
        problem["detail"] = f"Check these fields: {names}."
    else:
        problem["detail"] = str(response.data.get("detail", problem["title"]))
    headers = {k: v for k, v in response.items() if k in ("WWW-Authenticate", "Retry-After")}
    result = Response(problem, status=response.status_code, headers=headers)
    result.content_type = "application/problem+json"
    return result


def problem_response(status_code: int, title: str, detail: str) -> Response:
    result = Response(
        {"type": PROBLEM_BASE + "error", "title": title, "status": status_code, "detail": detail},
        status=status_code,
    )
    result.content_type = "application/problem+json"
    return result


__all__ = ["problem_exception_handler", "problem_response", "status"]
