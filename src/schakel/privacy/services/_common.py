"""Helpers the privacy services share: who acts, whose person it is, purposes and data
categories from the sharing configuration, and the log entry of a change."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from schakel.accounts.models import Membership

from ..sharing_config import sharing_config
from .log import SYSTEM_ROLE, processing_record


def _actor_role(actor) -> str:
    return actor.role if actor else SYSTEM_ROLE


def _ensure_person_of(actor: Membership, person) -> None:
    """Consent, decisions and requests are kept by the organisation that holds the person."""
    if person is None or person.owner_organisation_id != actor.organisation_id:
        raise PermissionDenied("person.owner")


def _purposes(keys, errors: dict, field: str = "purposes") -> list:
    config = sharing_config()
    keys = list(dict.fromkeys(keys or []))
    if not keys:
        errors[field] = _("Kies minstens één doel.")
        return []
    unknown = [k for k in keys if k not in config.purposes]
    if unknown:
        errors[field] = _("Onbekend doel: %(keys)s.") % {"keys": ", ".join(map(str, unknown))}
        return []
    return [config.purposes[k] for k in keys]


def _categories(keys, purposes, errors: dict, field: str = "data_categories") -> list[str]:
    """Known categories that belong to at least one of `purposes` (data minimisation)."""
    config = sharing_config()
    keys = list(dict.fromkeys(keys or []))
    if not keys:
        errors[field] = _("Kies welke gegevens het betreft.")
        return []
    unknown = [k for k in keys if k not in config.data_categories]
    if unknown:
        errors[field] = _("Onbekende gegevens: %(keys)s.") % {"keys": ", ".join(map(str, unknown))}
        return []
    if purposes:
        allowed = {c for p in purposes for c in p.data_categories}
        outside = [k for k in keys if k not in allowed]
        if outside:
            errors[field] = _(
                "Deze gegevens horen niet bij de gekozen doelen: %(labels)s. "
                "Kies alleen wat nodig is."
            ) % {"labels": ", ".join(config.category_labels(outside))}
    return keys


def _recorded(actor, person, activity: str, operation: str, outcome: str = "ok"):
    return processing_record(
        actor=actor, subject=person, activity=activity, operation=operation, outcome=outcome
    )
