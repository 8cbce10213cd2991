"""Rate limits for the API: per acting user (token or session), and per address for anonymous
calls. Counted in the shared cache (Redis in production), so they hold across app servers.

The rates are read from settings at each call (`SCHAKEL_API_RATES`), not at import time, so an
operator's environment variables and a test's settings both apply.
"""

from typing import Any

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from schakel.core.net import client_ip


class _SettingsRateThrottle(SimpleRateThrottle):
    def __init__(self) -> None:
        # SimpleRateThrottle reads its rate in __init__; read ours from settings instead.
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)

    def get_rate(self) -> str | None:
        return settings.SCHAKEL_API_RATES.get(self.scope or "")

    def get_ident(self, request: Any) -> str:
        return client_ip(request)


class ActorRateThrottle(_SettingsRateThrottle):
    """Calls per user per period, whatever token or session they use."""

    scope = "user"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": user.pk}


class AnonymousRateThrottle(_SettingsRateThrottle):
    """Calls per client address per period for the public (unauthenticated) endpoints."""

    scope = "anonymous"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
