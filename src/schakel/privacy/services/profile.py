"""Privacy settings of an organisation: its privacy officer and its legal designations (being
Veilig Thuis or an investigative body changes what the gate allows)."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from schakel.accounts.models import Membership, Organisation
from schakel.accounts.permissions import ensure_can
from schakel.core.validation import clean_text, raise_if

from ..models import PrivacyProfile
from ..sharing_config import sharing_config

logger = logging.getLogger(__name__)


def privacy_profile_update(
    *,
    actor: Membership,
    organisation: Organisation,
    privacy_officer_name: str | None = None,
    privacy_officer_email: str | None = None,
    designations: list[str] | None = None,
) -> PrivacyProfile:
    """Set the privacy officer (org admin of that organisation) or the designations (functional
    admin: being Veilig Thuis or an investigative body changes what the gate allows)."""
    errors: dict = {}
    changes: dict = {}
    if privacy_officer_name is not None or privacy_officer_email is not None:
        ensure_can(actor, "privacy.settings")
        if actor.organisation_id != organisation.pk:
            raise PermissionDenied("privacy.settings")
        changes["privacy_officer_name"] = clean_text(
            privacy_officer_name, errors, "privacy_officer_name", limit=200
        )
        email = (privacy_officer_email or "").strip().lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                errors["privacy_officer_email"] = _("Vul een geldig e-mailadres in.")
        changes["privacy_officer_email"] = email
    if designations is not None:
        ensure_can(actor, "privacy.designate")
        known = sharing_config().designations
        keys = list(dict.fromkeys(designations))
        unknown = [k for k in keys if k not in known]
        if unknown:
            errors["designations"] = _("Onbekende aanwijzing: %(keys)s.") % {
                "keys": ", ".join(map(str, unknown))
            }
        changes["designations"] = keys
    raise_if(errors)
    with transaction.atomic():
        profile, _created = PrivacyProfile.objects.select_for_update().get_or_create(
            organisation=organisation
        )
        for name, value in changes.items():
            setattr(profile, name, value)
        profile.updated_by = actor
        profile.save()
    logger.info(
        "privacy profile of organisation %s changed by membership %s: %s",
        organisation.pk,
        actor.pk,
        ", ".join(sorted(changes)),
    )
    return profile


def privacy_designations_set_by_operator(
    *, organisation: Organisation, add=(), remove=()
) -> PrivacyProfile:
    """For `manage.py privacy_designate` (a platform operator with shell access, no membership):
    add and remove legal designations of `organisation`, in one locked update."""
    known = sharing_config().designations
    unknown = [k for k in [*add, *remove] if k not in known]
    if unknown:
        raise ValidationError(
            {
                "designations": _("Onbekende aanwijzing: %(keys)s.")
                % {"keys": ", ".join(map(str, unknown))}
            }
        )
    with transaction.atomic():
        profile, _created = PrivacyProfile.objects.select_for_update().get_or_create(
            organisation=organisation
        )
        current = [d for d in profile.designations if d not in remove]
        current += [d for d in dict.fromkeys(add) if d not in current]
        if current != profile.designations:
            profile.designations = current
            profile.save(update_fields=["designations", "updated_at"])
            logger.warning(
                "designations of organisation %s changed by operator command: %s",
                organisation.pk,
                ", ".join(current) or "(none)",
            )
    return profile
