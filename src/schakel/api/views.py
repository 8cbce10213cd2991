"""Generic API endpoints: who am I, and the health check."""

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.http import require_GET
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from schakel.api.actor import actor_of


@extend_schema(
    responses=inline_serializer(
        "Me",
        {
            "email": serializers.EmailField(),
            "organisation": serializers.CharField(),
            "organisation_id": serializers.IntegerField(),
            "role": serializers.CharField(),
        },
    )
)
@api_view(["GET"])
def me(request):
    """The user and the organisation and role the request acts for."""
    actor = actor_of(request)
    return Response(
        {
            "email": request.user.email,
            "organisation": actor.organisation.name,
            "organisation_id": actor.organisation_id,
            "role": actor.role,
        }
    )


@require_GET
def health(request):
    """Liveness and database status for load balancers. Never contains personal data."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception:  # any database failure means "not ready"
        database = "unavailable"
    healthy = database == "ok"
    return JsonResponse(
        {"status": "ok" if healthy else "error", "database": database},
        status=200 if healthy else 503,
    )
