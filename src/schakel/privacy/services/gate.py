"""The one gate for personal data that leaves an organisation: `sharing_basis_create`, or its two
halves `sharing_plan` (decide; a refusal is logged) and `sharing_basis_record` (record the basis
and its "share" log entries)."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.accounts.models import Membership, Organisation
from schakel.accounts.permissions import can, ensure_can

from ..models import ProcessingEntry, SharingBasis
from ..rules import SharingNotAllowed, evaluate_sharing
from ..sharing_config import sharing_config
from ._common import _recorded

OVERRIDE_REASON_MIN = 20


def _refusal_hints(actor, evaluation) -> list[str]:
    hints = [
        _(
            "Weeg uw vraag af met ‘Mag ik dit delen?’. Dan legt Schakel ook vast waarom u wel "
            "of niet deelt."
        )
    ]
    if evaluation.consent is None:
        hints.append(_("Vraag toestemming. Gebruik daarbij de uitleg in eenvoudige taal."))
    if can(actor, "sharing.override"):
        hints.append(
            _(
                "Is er acuut gevaar en geen tijd om af te wegen? Gebruik dan de noodprocedure, "
                "met een reden. De privacy officer toetst dat achteraf."
            )
        )
    return hints


@dataclass(frozen=True)
class SharingPlan:
    """What the gate allowed: recorded as a `SharingBasis` by `sharing_basis_record`."""

    person: object
    recipient: Organisation
    purpose: object
    categories: list
    kind: str
    legal_basis: str
    evaluation: object
    override_reason: str
    on_behalf_of_organisation: bool
    at: datetime.datetime


def sharing_basis_create(
    *,
    actor: Membership,
    person,
    recipient: Organisation,
    purpose: str,
    data_categories: list[str],
    override_reason: str = "",
    on_behalf_of_organisation: bool = False,
) -> SharingBasis:
    """The one gate for personal data that leaves the actor's organisation.

    Returns the recorded basis (a legal duty, a valid consent, a valid agreement, a recorded
    decision of the decision aid, or the emergency procedure) or raises `SharingNotAllowed` with
    the reasons in plain words. Withdrawn or expired consent and ended or expired agreements are
    never a basis: the check runs at this very moment. Data outside the purpose is always refused.

    `override_reason` asks for the emergency procedure: only for roles with "sharing.override"
    (checked here, never trusted from a client), with a reason of at least 20 characters; the
    organisation's privacy officer gets a message. `on_behalf_of_organisation` ("op domicilie"):
    recipients see the organisation and the function, not the professional's name.

    A caller that writes the transfer itself (a new case member, say) uses the two halves:
    `sharing_plan` before its transaction (a refusal is logged and stays logged), then
    `sharing_basis_record` inside it, so that a failing write leaves no basis and no "share"
    entry for a transfer that never happened.
    """
    plan = sharing_plan(
        actor=actor,
        person=person,
        recipient=recipient,
        purpose=purpose,
        data_categories=data_categories,
        override_reason=override_reason,
        on_behalf_of_organisation=on_behalf_of_organisation,
    )
    return sharing_basis_record(actor=actor, plan=plan)


def sharing_plan(
    *,
    actor: Membership,
    person,
    recipient: Organisation,
    purpose: str,
    data_categories: list[str],
    override_reason: str = "",
    on_behalf_of_organisation: bool = False,
) -> SharingPlan:
    """The gate's decision (see `sharing_basis_create`). Writes only the log entry of a refusal,
    then raises; an allowed transfer is not recorded until `sharing_basis_record`."""
    ensure_can(actor, "sharing.decide")
    config = sharing_config()
    errors: dict = {}
    purpose_obj = config.purposes.get(purpose)
    if purpose_obj is None:
        errors["purpose"] = _("Kies een bekend doel.")
    categories = list(dict.fromkeys(data_categories or []))
    if not categories:
        errors["data_categories"] = _("Kies welke gegevens u wilt delen.")
    elif any(c not in config.data_categories for c in categories):
        errors["data_categories"] = _("Kies alleen bekende soorten gegevens.")
    if not isinstance(recipient, Organisation):
        errors["recipient"] = _("Kies de organisatie die de gegevens krijgt.")
    if person is None:
        errors["person"] = _("Kies de persoon.")
    override_reason = (override_reason or "").strip()
    if errors:
        raise ValidationError(errors)
    if override_reason and not can(actor, "sharing.override"):
        _recorded(actor, person, "sharing_decision", "share", ProcessingEntry.Outcome.DENIED)
        raise PermissionDenied("sharing.override")

    at = timezone.now()
    evaluation = evaluate_sharing(
        sender=actor.organisation,
        person=person,
        recipient=recipient,
        purpose=purpose_obj,
        categories=categories,
        at=at,
    )
    kind, legal_basis = evaluation.kind, evaluation.legal_basis
    if evaluation.minimisation or not kind:
        if evaluation.minimisation or not override_reason:
            _recorded(actor, person, "sharing_decision", "share", ProcessingEntry.Outcome.DENIED)
            raise SharingNotAllowed(
                evaluation.reason_texts(),
                hints=_refusal_hints(actor, evaluation),
                codes=[r["code"] for r in evaluation.minimisation + evaluation.problems],
            )
        if len(override_reason) < OVERRIDE_REASON_MIN:
            raise ValidationError(
                {
                    "override_reason": _(
                        "Leg in minstens %(n)d tekens uit waarom dit niet kan wachten."
                    )
                    % {"n": OVERRIDE_REASON_MIN}
                }
            )
        kind, legal_basis = SharingBasis.Kind.OVERRIDE, config.bases_of_kind("override")[0].key
    return SharingPlan(
        person=person,
        recipient=recipient,
        purpose=purpose_obj,
        categories=categories,
        kind=kind,
        legal_basis=legal_basis,
        evaluation=evaluation,
        override_reason=override_reason if kind == SharingBasis.Kind.OVERRIDE else "",
        on_behalf_of_organisation=bool(on_behalf_of_organisation),
        at=at,
    )


def sharing_basis_record(*, actor: Membership, plan: SharingPlan) -> SharingBasis:
    """Record what `sharing_plan` allowed: the basis and its "share" log entries, in the
    caller's transaction when there is one."""
    config = sharing_config()
    basis_def = config.basis(plan.legal_basis)
    evaluation, person, kind = plan.evaluation, plan.person, plan.kind
    from schakel.people.pseudonyms import log_pseudonym

    with transaction.atomic():
        basis = SharingBasis.objects.create(
            person=person,
            subject_pseudonym=log_pseudonym(person),
            sender=actor.organisation,
            recipient=plan.recipient,
            purpose=plan.purpose.key,
            data_categories=plan.categories,
            kind=kind,
            legal_basis=basis_def.key,
            legal_basis_label=basis_def.name["nl"],
            articles=list(basis_def.articles),
            consent=evaluation.consent,
            agreement=evaluation.agreement,
            decision=evaluation.decision,
            override_reason=plan.override_reason,
            on_behalf_of_organisation=plan.on_behalf_of_organisation,
            config_version=config.version,
            created_by=actor,
            created_by_role=actor.role,
            created_at=plan.at,
        )
        if kind != SharingBasis.Kind.OWN:
            _recorded(actor, person, plan.purpose.activity, "share")
        if kind == SharingBasis.Kind.OVERRIDE:
            _recorded(actor, person, "sharing_decision", "share")
    if kind == SharingBasis.Kind.OVERRIDE:
        from ..tasks import notify_override

        transaction.on_commit(lambda: notify_override(basis.pk))
    return basis
