"""Session lifetime, the acting membership (`request.actor`) and mandatory 2FA."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from .permissions import requires_two_factor
from .selectors import membership_for_session, memberships_of

SESSION_ACTOR_KEY = "schakel_membership_id"
SESSION_STARTED_KEY = "schakel_started_at"
SESSION_SEEN_KEY = "schakel_last_seen"

# Paths that work without a verified second factor or chosen organisation.
OPEN_PREFIXES = (
    "/static/",
    "/health/",
    "/i18n/",
    "/privacy/",
    "/toegankelijkheid/",
    "/account/inloggen/",
    "/account/uitloggen/",
    "/account/tweestaps/",
    "/account/wachtwoord-instellen/",
    "/account/ontgrendelen/",
    "/api/",
    "/favicon.ico",
)


class SessionLifetimeMiddleware:
    """Log out after the idle timeout (15 min) or the absolute lifetime (8 h)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.get(SESSION_STARTED_KEY, now)
            seen = session.get(SESSION_SEEN_KEY, now)
            idle = settings.SCHAKEL_SESSION_IDLE_SECONDS
            if now - seen > idle or now - started > settings.SCHAKEL_SESSION_MAX_SECONDS:
                logout(request)
                if not request.path.startswith("/api/"):
                    return redirect(f"{reverse('accounts:login')}?verlopen=1")
            else:
                session.setdefault(SESSION_STARTED_KEY, started)
                if now - seen >= 15 or SESSION_SEEN_KEY not in session:
                    session[SESSION_SEEN_KEY] = now
        return self.get_response(request)


class ActorMiddleware:
    """Set `request.actor` (the membership the user acts for) and enforce 2FA and a choice."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = None
        user = request.user
        if not user.is_authenticated:
            return self.get_response(request)
        open_path = request.path.startswith(OPEN_PREFIXES)
        if requires_two_factor(user) and not user.is_verified():
            if not open_path:
                return redirect(f"{reverse('accounts:two_factor')}?next={request.path}")
            return self.get_response(request)
        actor = membership_for_session(
            user=user, membership_id=request.session.get(SESSION_ACTOR_KEY)
        )
        if actor is None:
            memberships = list(memberships_of(user=user)[:2])
            if len(memberships) == 1:
                actor = memberships[0]
                request.session[SESSION_ACTOR_KEY] = actor.pk
        request.actor = actor
        choose = reverse("accounts:choose_organisation")
        must_choose = actor is None and not open_path
        if (
            must_choose
            and not request.path.startswith((choose, "/account/"))
            and memberships_of(user=user).exists()
        ):
            return redirect(f"{choose}?next={request.path}")
        return self.get_response(request)
