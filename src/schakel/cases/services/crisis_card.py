"""The crisis card (hulpkaart): write it, share it with the police, stop sharing it."""

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.accounts.models import Membership, Organisation
from schakel.core.concurrency import StaleEdit
from schakel.core.validation import clean_text, raise_if

from .. import sources
from ..display import crisis_card_snapshot
from ..models import CARD_FIELDS, Case, CrisisCard, CrisisCardShare, Event
from ._common import _event, _expected, _log, _manager, _today


def crisis_card_save(
    *,
    actor: Membership,
    case: Case,
    expected_version,
    agreed_by_person: bool,
    today=None,
    **fields,
) -> CrisisCard:
    """Write the crisis card (lead or backup). When its content changes, the person has to
    agree again before it can be shared."""
    _manager(actor, case)
    unknown = set(fields) - set(CARD_FIELDS)
    if unknown:
        raise TypeError(f"crisis_card_save() got unknown fields: {', '.join(sorted(unknown))}")
    expected = _expected(expected_version)
    today = _today(today)
    errors: dict = {}
    values = {
        name: clean_text(fields.get(name, ""), errors, name, limit=1000) for name in CARD_FIELDS
    }
    if not values["call_first"]:
        errors["call_first"] = _("Schrijf op wie de politie of hulpverlening moet bellen.")
    raise_if(errors)
    with transaction.atomic():
        Case.objects.select_for_update().get(pk=case.pk)
        card = CrisisCard.objects.select_for_update().filter(case=case).first()
        if card is None:
            if expected != 0:
                raise StaleEdit(current_version=0, current=None)
            card = CrisisCard(case=case, version=0)
        elif card.version != expected:
            raise StaleEdit(current_version=card.version, current=card)
        content_changed = any(getattr(card, n) != v for n, v in values.items())
        for name, value in values.items():
            setattr(card, name, value)
        if agreed_by_person:
            if content_changed or not card.agreed_by_person:
                card.agreed_on = today
            card.agreed_by_person = True
        else:
            card.agreed_by_person = False
            card.agreed_on = None
        card.version += 1
        card.updated_by = actor
        card.updated_at = timezone.now()
        card.save()
        _event(case, Event.Kind.CRISIS_CARD, actor, data={"agreed": card.agreed_by_person})
        _log(actor, case, "update")
    return card


def crisis_card_share(
    *, actor: Membership, case: Case, recipient: Organisation | None, override_reason: str = ""
) -> CrisisCardShare:
    """Share the crisis card, as the person agreed to it, with the police (through the gate)."""
    _manager(actor, case)
    card = CrisisCard.objects.filter(case=case).first()
    errors: dict = {}
    if card is None or not card.agreed_by_person:
        errors["card"] = _(
            "De persoon moet eerst instemmen met de hulpkaart. Bespreek de kaart en sla hem "
            "dan op met 'De persoon is het ermee eens'."
        )
    if recipient is None or not recipient.is_active:
        errors["recipient"] = _("Kies de politie-eenheid.")
    elif recipient.domain != Organisation.Domain.POLITIE:
        errors["recipient"] = _("De hulpkaart is alleen voor de politie.")
    raise_if(errors)
    basis = sources.share(
        actor=actor,
        person=case.person,
        recipient=recipient,
        purpose=sources.CRISIS_CARD_PURPOSE,
        categories=sources.CRISIS_CARD_CATEGORIES,
        override_reason=override_reason,
    )
    with transaction.atomic():
        shared = CrisisCardShare.objects.create(
            card=card,
            recipient=recipient,
            basis=basis,
            snapshot=crisis_card_snapshot(case, card),
            card_version=card.version,
            shared_by=actor,
        )
        _event(case, Event.Kind.CRISIS_CARD_SHARED, actor, data={"recipient": recipient.name})
        _log(actor, case, "share")
    return shared


def crisis_card_share_revoke(*, actor: Membership, case: Case, share: CrisisCardShare):
    """Stop showing a shared crisis card to the recipient (for instance when it is outdated)."""
    _manager(actor, case)
    if share.card.case_id != case.pk:
        raise Http404
    with transaction.atomic():
        updated = CrisisCardShare.objects.filter(pk=share.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if updated:
            _event(
                case,
                Event.Kind.CRISIS_CARD,
                actor,
                text=_("Delen met %(recipient)s gestopt.") % {"recipient": share.recipient.name},
                data={"agreed": True, "revoked": share.recipient.name},
            )
            _log(actor, case, "update")
    share.refresh_from_db()
    return share
