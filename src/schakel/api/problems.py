"""Errors as RFC 9457 `application/problem+json` with the names of invalid fields.

Every error under `/api/` takes this shape: DRF's exceptions through `problem_exception_handler`,
and what Django answers before or outside a DRF view (a URL that does not resolve, a body that is
too large, a control character in a parameter, a server error) through `problem_json`
(see `schakel.web.errors` and `schakel.web.middleware.RequestGuardMiddleware`).
"""

import json

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from schakel.core.concurrency import StaleEdit
from schakel.core.errors import Refused

PROBLEM_BASE = "https://schakel.example/problems/"
PROBLEM_CONTENT_TYPE = "application/problem+json"

# One fixed, readable title per kind of problem (RFC 9457: the title does not change from
# occurrence to occurrence); what happened this time goes into `detail`.
TITLES = {
    "invalid": gettext_lazy("Ongeldige invoer."),
    "parse_error": gettext_lazy("Het verzoek is niet te lezen."),
    "authentication_failed": gettext_lazy("Aanmelden is mislukt."),
    "not_authenticated": gettext_lazy("Aanmelden is nodig."),
    "permission_denied": gettext_lazy("Dit mag niet."),
    "not_found": gettext_lazy("Niet gevonden."),
    "method_not_allowed": gettext_lazy("Deze methode kan hier niet."),
    "not_acceptable": gettext_lazy("Dit antwoordformaat is er niet."),
    "request_too_large": gettext_lazy("Het verzoek is te groot."),
    "unsupported_media_type": gettext_lazy("Dit soort inhoud wordt niet ondersteund."),
    "throttled": gettext_lazy("Te veel verzoeken."),
    "conflict": gettext_lazy("Tegelijk gewijzigd."),
    "sharing-not-allowed": gettext_lazy("Delen mag niet."),
    "refused": gettext_lazy("Dit mag niet."),
    "import-rejected": gettext_lazy("Import geweigerd."),
    "server_error": gettext_lazy("Er ging iets mis."),
}
STATUS_CODES = {
    400: "invalid",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "request_too_large",
    415: "unsupported_media_type",
    429: "throttled",
    500: "server_error",
}


def title_for(code: str) -> str:
    return str(TITLES.get(code, TITLES["invalid"]))


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


def invalid_detail(params: list[dict]) -> str:
    names = ", ".join(p["name"] for p in params)
    return _("Controleer deze velden: %(names)s.") % {"names": names}


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


def _domain_problem(exc) -> Response | None:
    """Domain errors that services raise, answered the same way by every endpoint."""
    if isinstance(exc, StaleEdit):
        detail = " ".join(exc.messages) + " " + _("Lees het opnieuw en herhaal uw wijziging.")
        return problem_response(
            409, "conflict", detail, current_version=int(exc.current_version or 0)
        )
    if isinstance(exc, Refused):
        return problem_response(
            403,
            exc.problem_type,
            " ".join(exc.reasons) or title_for(exc.problem_type),
            reasons=list(exc.reasons),
            hints=list(exc.hints),
        )
    return None


def problem_response(status_code: int, code: str, detail: str, **extra) -> Response:
    """A problem from inside a DRF view (rendered by DRF): type and title follow `code`."""
    problem = {"type": PROBLEM_BASE + code, "title": title_for(code), "status": status_code}
    problem["detail"] = detail
    problem.update(extra)
    result = Response(problem, status=status_code)
    result.content_type = PROBLEM_CONTENT_TYPE
    return result


def problem_exception_handler(exc, context):
    """DRF's exception handler: every error a view raises becomes problem+json here.

    A service's `StaleEdit` becomes 409 with `current_version`; `Refused` (such as
    `SharingNotAllowed`) 403 with `reasons` and `hints`; a Django `ValidationError` 400
    naming the fields; `Http404` 404 and `PermissionDenied` 403. Endpoints just call the
    service and let these through.
    """
    domain = _domain_problem(exc)
    if domain is not None:
        return domain
    exc = _convert(exc)
    response = exception_handler(exc, context)
    if response is None:
        return None
    by_status = STATUS_CODES.get(response.status_code, "invalid")
    code = getattr(exc, "default_code", None) or by_status
    problem = {
        "type": PROBLEM_BASE + code,
        "title": title_for(code if code in TITLES else by_status),
        "status": response.status_code,
    }
    if isinstance(exc, exceptions.ValidationError):
        problem["type"] = PROBLEM_BASE + "invalid"
        problem["title"] = title_for("invalid")
        problem["invalid_params"] = _flatten(response.data)
        problem["detail"] = invalid_detail(problem["invalid_params"])
    else:
        problem["detail"] = str(response.data.get("detail", problem["title"]))
    headers = {k: v for k, v in response.items() if k in ("WWW-Authenticate", "Retry-After")}
    result = Response(problem, status=response.status_code, headers=headers)
    result.content_type = PROBLEM_CONTENT_TYPE
    return result


def problem_json(
    status_code: int,
    *,
    code: str | None = None,
    detail: str | None = None,
    invalid_params: list[dict] | None = None,
) -> HttpResponse:
    """A problem outside DRF: from middleware and from Django's error handlers."""
    code = code or STATUS_CODES.get(status_code, "invalid")
    problem = {"type": PROBLEM_BASE + code, "title": title_for(code), "status": status_code}
    if invalid_params:
        problem["invalid_params"] = invalid_params
    problem["detail"] = detail or (
        invalid_detail(invalid_params) if invalid_params else title_for(code)
    )
    return HttpResponse(
        json.dumps(problem, ensure_ascii=False),
        status=status_code,
        content_type=PROBLEM_CONTENT_TYPE,
    )


def is_api_path(request) -> bool:
    return request.path_info.startswith("/api/")


__all__ = [
    "PROBLEM_CONTENT_TYPE",
    "is_api_path",
    "problem_exception_handler",
    "problem_json",
    "problem_response",
    "status",
]
