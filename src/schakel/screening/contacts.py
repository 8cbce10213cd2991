"""Contacts for the advice, always taken from the wegwijzer (directory). Never invented here.

Keys are wegwijzer ids ("koraal_consultatie", "veilig_thuis", "csg_0800", …). A key may name
fallbacks: "koraal_consultatie|koraal" is the first of them that the wegwijzer knows.
"zorgcoordinator" means the care coordinator(s) of the chosen municipality. 112 is the Dutch
emergency number and the only number this app writes itself.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

CARE_COORDINATOR = "zorgcoordinator"
EMERGENCY_NUMBER = "112"


def _directory():
    try:
        from schakel.directory import selectors
    except ImportError:  # pragma: no cover - the directory app is always installed
        return None
    if not hasattr(selectors, "contacts_by_key"):
        return None
    return selectors


def as_dict(contact) -> dict:
    return {
        "key": contact.key,
        "name": contact.name,
        "phone": contact.phone or "",
        "email": contact.email or "",
        "url": contact.url or "",
        "hours": contact.hours or "",
        "available_24_7": bool(contact.available_24_7),
        "note": contact.note or "",
    }


def _lookup(keys: Iterable[str]) -> dict[str, dict]:
    selectors = _directory()
    wanted = sorted({k for key in keys for k in key.split("|") if k != CARE_COORDINATOR})
    if selectors is None or not wanted:
        return {}
    try:
        found = selectors.contacts_by_key(keys=wanted)
    except Exception:  # a broken wegwijzer must not take the advice down with it
        logger.exception("screening: contacts_by_key failed")
        return {}
    return {key: as_dict(contact) for key, contact in found.items()}


def care_coordinators(municipality_code: str | None) -> list[dict]:
    selectors = _directory()
    if selectors is None or not municipality_code:
        return []
    try:
        found = selectors.care_coordinators_for(municipality_code=municipality_code)
    except Exception:
        logger.exception("screening: care_coordinators_for failed")
        return []
    return [as_dict(contact) for contact in found]


def escalation_contacts() -> list[dict]:
    """The national route the wegwijzer names when a region has no care coordinator."""
    selectors = _directory()
    if selectors is None or not hasattr(selectors, "escalation_contacts"):
        return []
    try:
        return [as_dict(contact) for contact in selectors.escalation_contacts()]
    except Exception:
        logger.exception("screening: escalation_contacts failed")
        return []


def care_coordinator_placeholder(municipality_code: str | None) -> dict:
    """What to show when no coordinator is known: where to find one, never a made-up number."""
    note = (
        _("Kies hieronder uw gemeente om de zorgcoördinator van uw regio te zien.")
        if not municipality_code
        else _(
            "De wegwijzer kent voor deze gemeente nog geen zorgcoördinator. Gebruik de landelijke "
            "route hieronder, of zoek in de wegwijzer."
        )
    )
    return {
        "key": CARE_COORDINATOR,
        "name": _("Zorgcoördinator mensenhandel van uw regio"),
        "phone": "",
        "email": "",
        "url": "",
        "hours": "",
        "available_24_7": False,
        "note": note,
        "placeholder": True,
    }


def resolve(requests: list[tuple[str, str]], *, municipality_code: str | None) -> list[dict]:
    """Contacts for (key, reason) requests, in request order, each once with all its reasons.

    Keys the wegwijzer does not know are left out: the advice never shows invented details.
    """
    found = _lookup(key for key, _reason in requests)
    coordinators: list[dict] | None = None
    result: dict[str, dict] = {}
    for key, reason in requests:
        if key == CARE_COORDINATOR:
            if coordinators is None:
                coordinators = care_coordinators(municipality_code) or [
                    care_coordinator_placeholder(municipality_code),
                    *escalation_contacts(),
                ]
            entries = coordinators
        else:
            entry = next((found[k] for k in key.split("|") if k in found), None)
            entries = [entry] if entry else []
        for entry in entries:
            target = result.setdefault(entry["key"], {**entry, "reasons": []})
            if reason and reason not in target["reasons"]:
                target["reasons"].append(reason)
    return list(result.values())
