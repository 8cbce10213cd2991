"""What the case endpoints share: the problem responses they document, reading a request
body, the case of the URL (404 for a non-member), and small serializers used everywhere.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from schakel.accounts.models import Membership
from schakel.api.actor import actor_of
from schakel.api.components import ProblemSerializer

from .. import selectors
from ..models import Case

PROBLEM = "application/problem+json"
NOT_FOUND = {(404, PROBLEM): ProblemSerializer}
INVALID = {(400, PROBLEM): ProblemSerializer}
FORBIDDEN = {(403, PROBLEM): ProblemSerializer}
CONFLICT = {(409, PROBLEM): ProblemSerializer}
WRITE_ERRORS = {**INVALID, **FORBIDDEN, **NOT_FOUND}
EDIT_ERRORS = {**WRITE_ERRORS, **CONFLICT}


def _valid(serializer_class, request, **kwargs) -> dict:
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _manage(case: Case) -> None:
    if not case.access.can_manage:
        raise PermissionDenied("case.manage")


def _case(request, public_id) -> Case:
    return selectors.case_get_for(actor=actor_of(request), public_id=public_id)


def _person_name(case: Case):
    return case.person.display_name if case.access.sees_identity else None


def _one_of(choices, **kwargs) -> serializers.CharField:
    """A code from a fixed list, as a plain string; the service checks it and names the field.

    Not an enum in the schema: the same field names (status, kind, role) carry different lists
    in different components of the whole API, and enum components with one name would collide.
    """
    values = ", ".join(repr(value) if value == "" else value for value, _label in choices)
    help_text = kwargs.pop("help_text", "")
    text = f"One of: {values}."
    return serializers.CharField(help_text=f"{help_text} {text}".strip(), **kwargs)


class PersonRefSerializer(serializers.Serializer):
    name = serializers.CharField()
    organisation = serializers.CharField()


def _who(membership: Membership | None) -> dict | None:
    if membership is None:
        return None
    return {
        "name": membership.user.full_name or membership.user.email,
        "organisation": membership.organisation.name,
    }


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=0, help_text="The version you read; a stale version answers 409."
    )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


def _member_membership(actor, case, pk, field):
    try:
        return selectors.member_get_for(actor=actor, case=case, pk=pk).membership
    except Http404:
        raise ValidationError({field: _("Kies een lid van de casus.")}) from None


def _today():
    return timezone.localdate()
