from rest_framework.permissions import BasePermission


class HasActor(BasePermission):
    """An authenticated user acting for an active membership."""

    message = "Authenticate and act for an organisation."

    def has_permission(self, request, view):
        return bool(request.user and getattr(request._request, "actor", None) is not None)
