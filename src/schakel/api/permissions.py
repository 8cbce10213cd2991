from django.utils.translation import gettext_lazy
from rest_framework.permissions import BasePermission

from schakel.api.actor import actor_of


class HasActor(BasePermission):
    """An authenticated user acting for an active membership."""

    message = gettext_lazy("Log in en kies de organisatie waarvoor u werkt.")

    def has_permission(self, request, view):
        return bool(request.user and actor_of(request) is not None)
