"""Cross-cutting HTTP concerns: trace context and security headers."""

from django.conf import settings
from django.utils.cache import add_never_cache_headers

from schakel.privacy.trace import end_trace, start_trace


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
