from rest_framework.permissions import BasePermission

from schakel.api.actor import actor_of


class HasActor(BasePermission):
    """An authenticated user acting for an active membership."""

    message = "Authenticate and act for an organisation."

    def has_permission(self, request, view):
        return bool(request.user and actor_of(request) is not None)
