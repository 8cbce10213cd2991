"""API authentication: hashed, expiring tokens for integrations; verified sessions for the web."""

from django.utils.translation import gettext_lazy
from rest_framework import authentication, exceptions

from schakel.accounts.permissions import requires_two_factor
from schakel.accounts.services import api_token_authenticate


class HashedTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer sk_<prefix>.<secret>` (or `Token …`). Sets `request.actor`."""

    keywords = ("bearer", "token")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0].lower() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                gettext_lazy("De Authorization-header is niet goed opgebouwd.")
            )
        token = api_token_authenticate(header[1])
        if token is None:
            raise exceptions.AuthenticationFailed(
                gettext_lazy("Dit token is onbekend, verlopen of ingetrokken.")
            )
        request._request.actor = token.membership
        return token.membership.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="schakel"'


class VerifiedSessionAuthentication(authentication.SessionAuthentication):
    """The browser session, only when the second factor was verified where it is required."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        if requires_two_factor(user) and not request._request.user.is_verified():
            raise exceptions.AuthenticationFailed(gettext_lazy("Tweestapsverificatie is nodig."))
        return result
