"""Cross-cutting HTTP concerns: trace context, security headers, refusing unreadable input."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from schakel.api.input_checks import (
    bad_items,
    bad_parameter,
    bad_path,
    bad_text,
    content_length,
)
from schakel.privacy.trace import end_trace, start_trace

from . import errors


class TraceMiddleware:
    """One trace id per request (from a W3C `traceparent` header when one is sent)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = start_trace(request.headers.get("traceparent"))
        try:
            return self.get_response(request)
        finally:
            end_trace(token)


class SecurityHeadersMiddleware:
    """Permissions-Policy everywhere; `no-store` on every dynamic response.

    Static files are served by WhiteNoise before this middleware and keep their long cache.
    Every other response may hold personal data, so none is stored by browsers or proxies.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.SCHAKEL_PERMISSIONS_POLICY)
        if not request.path.startswith(settings.STATIC_URL):
            add_never_cache_headers(response)
            response.headers["Cache-Control"] = "no-store, private"
        return response


# Room for the boundaries and the other fields of a form that carries a file of the full size.
MULTIPART_ALLOWANCE = 64 * 1024
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class RequestGuardMiddleware:
    """Refuse what no view should meet, once, before any view or query runs.

    - A body longer than `SCHAKEL_UPLOAD_MAX_BYTES` (by its Content-Length): 413, unread. Django
      reads no more than Content-Length from a request, and nothing without one.
    - A control character in the path or a query parameter, or one that text cannot hold in a
      form field's name or value: 400 naming it. Uploaded files may hold any bytes (Django
      already strips unprintable characters from their names).
    - Form data that cannot be read (too many fields, broken multipart, a body over
      `DATA_UPLOAD_MAX_MEMORY_SIZE` outside files): 400 or 413.

    JSON bodies are checked by the API's parser (`schakel.api.parsers`). Under `/api/` the answer
    is problem+json, elsewhere a plain page (`schakel.web.errors`).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # LocaleMiddleware has not run yet: answer in the language it would choose.
        with translation.override(translation.get_language_from_request(request)):
            refusal = (
                self._too_large(request)
                or self._bad_path(request)
                or self._bad_query(request)
                or self._bad_form(request)
            )
        return refusal or self.get_response(request)

    def _too_large(self, request):
        length = content_length(request)
        if length is None:
            return None  # Django reads such a body as empty
        limit = settings.SCHAKEL_UPLOAD_MAX_BYTES
        if request.content_type == "multipart/form-data":
            limit += MULTIPART_ALLOWANCE
        if length > limit:
            return errors.too_large(request)
        return None

    def _bad_path(self, request):
        reason = bad_path(request.path_info)
        if reason is None:
            return None
        name = "path"
        try:
            match = resolve(request.path_info)
        except Resolver404:
            match = None
        if match is not None:
            name = next((key for key, value in match.kwargs.items() if bad_path(str(value))), name)
        return errors.refuse_input(request, [{"name": name, "reason": reason}])

    def _bad_query(self, request):
        try:
            items = list(request.GET.lists())
        except TooManyFieldsSent:
            return errors.refuse_request(request, _("Het adres heeft te veel parameters."))
        problems = bad_items(items, bad_parameter)
        return errors.refuse_input(request, problems) if problems else None

    def _bad_form(self, request):
        if request.method != "POST" or request.content_type not in _FORM_TYPES:
            return None
        try:
            fields, files = list(request.POST.lists()), list(request.FILES.lists())
        except RequestDataTooBig:
            return errors.too_large(request, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        except (TooManyFieldsSent, TooManyFilesSent):
            return errors.refuse_request(request, _("Het formulier heeft te veel velden."))
        except (MultiPartParserError, UnreadablePostError):
            return errors.refuse_request(request, _("De formuliergegevens zijn niet te lezen."))
        problems = bad_items(fields, bad_text) + bad_items(
            [(name, []) for name, _uploads in files], bad_text
        )
        return errors.refuse_input(request, problems) if problems else None
