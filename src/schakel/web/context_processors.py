import time

from django.conf import settings

from schakel.accounts.permissions import ROLE_PERMISSIONS


def shell(request):
    actor = getattr(request, "actor", None)
    return {
        "actor": actor,
        "actor_permissions": ROLE_PERMISSIONS.get(actor.role, frozenset()) if actor else (),
        "session_idle_seconds": _seconds_left(request),
        "session_idle_full": settings.SCHAKEL_SESSION_IDLE_SECONDS,
        "session_idle_minutes": max(1, settings.SCHAKEL_SESSION_IDLE_SECONDS // 60),
        "session_warning_seconds": settings.SCHAKEL_SESSION_WARNING_SECONDS,
    }


def _seconds_left(request) -> int:
    """Seconds until the idle timeout as the server counts it (the page's timer uses this)."""
    from schakel.accounts.middleware import SESSION_SEEN_KEY

    idle = settings.SCHAKEL_SESSION_IDLE_SECONDS
    session = getattr(request, "session", None)
    seen = session.get(SESSION_SEEN_KEY) if session is not None else None
    if seen is None:
        return idle
    return max(1, idle - (int(time.time()) - int(seen)))
