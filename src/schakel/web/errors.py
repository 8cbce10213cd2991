"""Error answers outside the views: Django's handlers (400, 403, 404, 500) and the refusals of
`RequestGuardMiddleware`. Under `/api/` the answer is application/problem+json (`api.problems`);
everywhere else a plain page in Dutch."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from schakel.api.problems import invalid_detail, is_api_path, problem_json


def upload_limit_text(limit: int | None = None) -> str:
    return str(filesizeformat(limit or settings.SCHAKEL_UPLOAD_MAX_BYTES))


def refuse_input(request, invalid_params: list[dict]):
    """400: these parameters or fields hold something Schakel cannot take."""
    if is_api_path(request):
        return problem_json(400, invalid_params=invalid_params)
    context = {"invalid_params": invalid_params, "detail": invalid_detail(invalid_params)}
    return render(request, "400.html", context, status=400)


def refuse_request(request, detail: str):
    """400: the request as a whole cannot be read (too many fields, broken form data)."""
    if is_api_path(request):
        return problem_json(400, detail=detail)
    return render(request, "400.html", {"detail": detail}, status=400)


def too_large(request, limit: int | None = None):
    """413: the body is larger than the limit; it was not read."""
    limit = limit or settings.SCHAKEL_UPLOAD_MAX_BYTES
    size = upload_limit_text(limit)
    detail = _("Wat u stuurde is groter dan %(size)s. Er is niets verwerkt.") % {"size": size}
    if is_api_path(request):
        return problem_json(413, detail=detail)
    upload = limit == settings.SCHAKEL_UPLOAD_MAX_BYTES
    context = {"detail": detail, "size": size, "upload": upload, "back": request.path}
    return render(request, "413.html", context, status=413)


def bad_request(request, exception=None):
    """Django's handler400: also for SuspiciousOperation raised in a view (a body that is too
    large or has too many fields)."""
    if isinstance(exception, RequestDataTooBig):
        return too_large(request, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    return refuse_request(request, _("Het verzoek is niet te verwerken. Er is niets opgeslagen."))


def permission_denied(request, exception=None):
    if is_api_path(request):
        return problem_json(403)
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    if is_api_path(request):
        return problem_json(404, detail=_("Dit adres bestaat niet, of u hebt er geen toegang toe."))
    return render(request, "404.html", status=404)


def server_error(request):
    if is_api_path(request):
        return problem_json(
            500,
            detail=_(
                "Er ging bij ons iets mis. Er is niets opgeslagen. Probeer het later opnieuw."
            ),
        )
    # Rendered without the request: a broken context processor must not break the error page.
    return HttpResponseServerError(loader.render_to_string("500.html"))
