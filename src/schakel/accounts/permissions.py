"""Who may do what. The role table is data; `ensure_can` is the single check services call."""

from django.core.exceptions import PermissionDenied

from .models import Membership, Role

# Each capability owns the permission names in its own namespace (`<app>.<verb>`).
_PERSON_WORK = {
    "person.view",
    "person.create",
    "person.update",
    "screening.assess",
    "directory.suggest",
    "sharing.decide",
    "sharing.override",
    "consent.record",
    "privacy.requests",
    "case.view",
    "case.create",
    "signal.register",
}
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.PROFESSIONAL: frozenset(_PERSON_WORK),
    Role.CARE_COORDINATOR: frozenset(_PERSON_WORK),
    Role.REGISTRAR: frozenset(
        {
            "person.view",
            "person.create",
            "consent.record",
            "sharing.decide",
            "privacy.requests",
            "registry.view",
            "registry.register",
            "registry.import",
            "monitor.view",
        }
    ),
    Role.ANALYST: frozenset({"monitor.view", "knowledge.view_usage"}),
    Role.FUNCTIONAL_ADMIN: frozenset(
        {
            "knowledge.manage",
            "recommendations.manage",
            "directory.manage",
            "directory.update_capacity",
            "screening.manage",
            "knowledge.view_usage",
            "privacy.designate",
        }
    ),
    Role.ORG_ADMIN: frozenset(
        {
            "organisation.manage_users",
            "directory.update_capacity",
            "agreement.manage",
            "privacy.settings",
            "case.figures",
        }
    ),
}


def can(actor: Membership | None, permission: str) -> bool:
    if actor is None or not actor.is_active or not actor.user.is_active:
        return False
    return permission in ROLE_PERMISSIONS.get(actor.role, frozenset())


def ensure_can(actor: Membership | None, permission: str) -> None:
    if not can(actor, permission):
        raise PermissionDenied(permission)


def requires_two_factor(user) -> bool:
    """Everyone who logs in uses a second factor, whatever their role: analysts see small
    counts, functional admins change what others rely on, and a role can change after login."""
    return bool(user.is_authenticated)
