"""Background work for privacy, on the huey queue: the message to the privacy officer after an
emergency override, the daily expiry and retention runs, and the processing log's checkpoint
every 5 minutes."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

logger = logging.getLogger(__name__)


def privacy_officer_addresses(organisation) -> list[str]:
    """The privacy officer's address; without one, the organisation's administrators."""
    from schakel.accounts.models import Membership, Role

    from .models import PrivacyProfile

    profile = PrivacyProfile.objects.filter(organisation=organisation).first()
    if profile and profile.privacy_officer_email:
        return [profile.privacy_officer_email]
    return sorted(
        set(
            Membership.objects.filter(
                organisation=organisation,
                role=Role.ORG_ADMIN,
                is_active=True,
                user__is_active=True,
            ).values_list("user__email", flat=True)
        )
    )


@db_task()
def notify_override(basis_id: int) -> int:
    """Tell the privacy officer that the emergency procedure was used. The message holds no
    personal data: only a link to the record in Schakel."""
    from .models import SharingBasis

    basis = SharingBasis.objects.select_related("sender", "recipient").filter(pk=basis_id).first()
    if basis is None:
        return 0
    addresses = privacy_officer_addresses(basis.sender)
    if not addresses:
        logger.warning(
            "override %s: organisation %s has no privacy officer", basis.pk, basis.sender_id
        )
        return 0
    base = getattr(settings, "SCHAKEL_BASE_URL", "http://127.0.0.1:8000")
    path = reverse("privacy:disclosure_detail", kwargs={"public_id": basis.public_id})
    send_mail(
        subject=_("Schakel: de noodprocedure voor delen is gebruikt"),
        message=_(
            "Iemand van %(organisation)s heeft met de noodprocedure gegevens gedeeld met "
            "%(recipient)s.\n"
            "Toets dit zo snel mogelijk. U ziet de reden en wie het was in Schakel:\n%(link)s\n"
        )
        % {
            "organisation": basis.sender.name,
            "recipient": basis.recipient.name,
            "link": base + path,
        },
        from_email=None,
        recipient_list=addresses,
    )
    return len(addresses)


@db_periodic_task(crontab(minute="15", hour="1"))
def expire_consents() -> int:
    from .services import consents_expire_due

    return consents_expire_due()


@db_periodic_task(crontab(minute="45", hour="2"))
def apply_retention() -> dict:
    from .retention import retention_apply

    report = retention_apply(dry_run=False)
    return {line.key: line.count for line in report}


@db_periodic_task(crontab(minute="*/5"))
@lock_task("privacy-log-checkpoint")
def write_log_checkpoint() -> dict:
    """Anchor the processing log outside the database (a signed checkpoint file), when it moved.

    One run at a time (the lock): the first checkpoint of a large log checks the whole log, which
    can take longer than 5 minutes. A log that is not intact gets no checkpoint and an ERROR."""
    from django.core.exceptions import ImproperlyConfigured

    from .checkpoints import CheckpointError
    from .services import LogNotIntact, log_checkpoint_write

    try:
        result = log_checkpoint_write()
    except LogNotIntact as error:
        logger.error(
            "processing log checkpoint NOT written: the processing log is NOT intact: %s (first "
            "broken entry: seq %s); run manage.py verify_processing_log",
            error.problem,
            error.seq,
        )
        return {"written": None, "problem": error.problem, "seq": error.seq}
    except (CheckpointError, ImproperlyConfigured) as error:
        logger.error("processing log checkpoint NOT written: %s", error)
        return {"written": None, "problem": str(error), "seq": None}
    if result.written is None:
        return {"written": None, "problem": "", "seq": result.head[0]}
    logger.info(
        "processing log checkpoint %s written: entry %s",
        result.written.number,
        result.written.seq,
    )
    return {"written": result.written.number, "problem": "", "seq": result.written.seq}
