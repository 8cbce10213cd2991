"""Round-table input: sessions and statements."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from schakel.accounts.models import Membership
from schakel.accounts.permissions import ensure_can

from ..models import (
    OrganisationKind,
    Recommendation,
    RoundTableSession,
    Statement,
    Theme,
)
from ._common import _as_date, _text, _too_long

_IDENTIFYING = [
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),  # e-mail address
    re.compile(r"(?<![\d-])(?:\+31|0)[\d\s-]{8,}\d"),  # phone number
    re.compile(r"(?<!\d)\d{9}(?!\d)"),  # BSN-like number
    re.compile(r"\b(?:dhr|mevr|mw|mr|mevrouw|meneer|de heer)\.?\s+[A-Z][a-z]", re.IGNORECASE),
]


def _clean_statement(values: dict, errors: dict) -> dict:
    text = _text(values.get("text"))
    if not text:
        errors["text"] = _("Vul de uitspraak in.")
    elif len(text) > 2000:
        errors["text"] = _too_long(2000)
    elif any(pattern.search(text) for pattern in _IDENTIFYING):
        errors["text"] = _(
            "Een uitspraak mag niet naar een persoon te herleiden zijn: haal namen, "
            "e-mailadressen, telefoonnummers en andere nummers weg."
        )
    if values.get("kind") not in Statement.StatementKind.values:
        errors["kind"] = _("Kies de soort uitspraak.")
    if values.get("organisation_kind") not in OrganisationKind.values:
        errors["organisation_kind"] = _("Kies de soort organisatie.")
    themes = list(values.get("themes") or [])
    if any(not isinstance(t, Theme) for t in themes):
        raise TypeError("themes must be Theme instances")
    supports = list(values.get("supports") or [])
    if any(not isinstance(r, Recommendation) for r in supports):
        raise TypeError("supports must be Recommendation instances")
    return {
        "text": text,
        "kind": values.get("kind"),
        "organisation_kind": values.get("organisation_kind"),
        "themes": themes,
        "supports": supports,
    }


def session_create(
    *, actor: Membership, title: str, held_on, location: str = "", description: str = ""
) -> RoundTableSession:
    """Record a round-table session to collect statements under."""
    ensure_can(actor, "recommendations.manage")
    errors: dict = {}
    title = _text(title)
    if not title:
        errors["title"] = _("Vul de naam van de sessie in.")
    elif len(title) > 200:
        errors["title"] = _too_long(200)
    day = _as_date(held_on, errors, "held_on")
    location = _text(location)
    if len(location) > 200:
        errors["location"] = _too_long(200)
    if errors:
        raise ValidationError(errors)
    return RoundTableSession.objects.create(
        title=title,
        held_on=day,
        location=location,
        description=_text(description),
        created_by=actor,
    )


def statement_create(*, actor: Membership, session: RoundTableSession, **values) -> Statement:
    """Record a statement from a session: what was said and by which kind of organisation.

    Never a person's name: text that looks like a name after a title, an e-mail address or a
    phone number is refused.
    """
    ensure_can(actor, "recommendations.manage")
    errors: dict = {}
    cleaned = _clean_statement(values, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        statement = Statement.objects.create(
            session=session,
            text=cleaned["text"],
            kind=cleaned["kind"],
            organisation_kind=cleaned["organisation_kind"],
            recorded_by=actor,
        )
        statement.themes.set(cleaned["themes"])
        statement.supports.set(cleaned["supports"])
    return statement


def statement_update(*, actor: Membership, statement: Statement, **values) -> Statement:
    """Change a statement's text, kinds, themes or the points it supports."""
    ensure_can(actor, "recommendations.manage")
    current = {
        "text": statement.text,
        "kind": statement.kind,
        "organisation_kind": statement.organisation_kind,
        "themes": list(statement.themes.all()),
        "supports": list(statement.supports.all()),
    }
    errors: dict = {}
    cleaned = _clean_statement(current | values, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        statement.text = cleaned["text"]
        statement.kind = cleaned["kind"]
        statement.organisation_kind = cleaned["organisation_kind"]
        statement.save(update_fields=["text", "kind", "organisation_kind"])
        statement.themes.set(cleaned["themes"])
        statement.supports.set(cleaned["supports"])
    return statement


def statement_delete(*, actor: Membership, statement: Statement) -> None:
    """Remove a statement that was recorded by mistake."""
    ensure_can(actor, "recommendations.manage")
    with transaction.atomic():
        statement.themes.clear()
        statement.supports.clear()
        statement.delete()
