"""The actor of an API request: the membership the user acts for.

`HashedTokenAuthentication` sets it for a token, `ActorMiddleware` for a web session; DRF's
`Request` passes the attribute through to Django's request, so no view reads `request._request`.
"""

from typing import Any


def actor_of(request: Any) -> Any:
    """The acting `Membership`, or None (anonymous, or no organisation chosen)."""
    return getattr(request, "actor", None)
