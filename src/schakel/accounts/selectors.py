"""Reads for accounts, scoped to the actor. Records the actor may not see answer 404."""

from django.http import Http404

from .models import ApiToken, Membership, User
from .permissions import can


def memberships_of(*, user: User):
    return (
        Membership.objects.filter(user=user, is_active=True, organisation__is_active=True)
        .select_related("organisation")
        .order_by("organisation__name", "role")
    )


def membership_for_session(*, user: User, membership_id) -> Membership | None:
    if not membership_id:
        return None
    return memberships_of(user=user).select_related("user").filter(pk=membership_id).first()


def organisation_members_for(*, actor: Membership):
    """The memberships of the actor's own organisation (org_admin only)."""
    if not can(actor, "organisation.manage_users"):
        return Membership.objects.none()
    return (
        Membership.objects.filter(organisation_id=actor.organisation_id)
        .select_related("user")
        .order_by("-is_active", "user__email", "role")
    )


def organisation_membership_get_for(*, actor: Membership, pk) -> Membership:
    membership = organisation_members_for(actor=actor).filter(pk=pk).first()
    if membership is None:
        raise Http404
    return membership


def api_tokens_for(*, user: User):
    return ApiToken.objects.filter(membership__user=user).select_related("membership")
