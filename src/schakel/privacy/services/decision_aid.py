"""Decisions of the decision aid "Mag ik dit delen?": a concrete question weighed and recorded."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.accounts.models import Membership, Organisation
from schakel.accounts.permissions import ensure_can
from schakel.core.validation import clean_text, raise_if

from ..decision_aid import advise, clean_answers
from ..models import SharingDecision
from ..rules import evaluate_sharing, latest_decision, local_date, meldrecht_applies
from ..sharing_config import sharing_config
from ._common import _categories, _ensure_person_of, _purposes, _recorded


def sharing_decision_record(
    *,
    actor: Membership,
    person,
    recipient: Organisation,
    purpose: str,
    data_categories: list[str],
    answers: dict,
    explanation: str,
    on_behalf_of_organisation: bool = False,
    case_reference: str = "",
) -> SharingDecision:
    """Weigh a concrete question with the decision aid and record the outcome, the legal basis,
    the reasons and the professional's explanation. Append-only: a new decision on the same
    question points at the one before it."""
    ensure_can(actor, "sharing.decide")
    _ensure_person_of(actor, person)
    config = sharing_config()
    errors: dict = {}
    purpose_objs = _purposes([purpose] if purpose else [], errors, field="purpose")
    categories = _categories(data_categories, purpose_objs, errors)
    if not isinstance(recipient, Organisation):
        errors["recipient"] = _("Kies de organisatie die de gegevens zou krijgen.")
    elif recipient.pk == actor.organisation_id:
        errors["recipient"] = _("Binnen uw eigen organisatie delen is geen vraag voor deze hulp.")
    elif not recipient.is_active:
        errors["recipient"] = _("Kies een organisatie die meedoet.")
    explanation = clean_text(explanation, errors, "explanation", required=True)
    if "explanation" in errors and not explanation:
        errors["explanation"] = _("Leg in uw eigen woorden uit waarom u dit wilt delen.")
    case_reference = clean_text(case_reference, errors, "case_reference", limit=64)
    raise_if(errors)
    purpose_obj = purpose_objs[0]
    at = timezone.now()
    evaluation = evaluate_sharing(
        sender=actor.organisation,
        person=person,
        recipient=recipient,
        purpose=purpose_obj,
        categories=categories,
        at=at,
    )
    cleaned, answer_errors = clean_answers(answers, evaluation)
    if answer_errors:
        raise ValidationError(answer_errors)
    meldrecht = meldrecht_applies(recipient=recipient, purpose=purpose_obj)
    advice = advise(evaluation=evaluation, meldrecht=meldrecht, answers=cleaned)
    basis_def = config.basis(advice.legal_basis) if advice.legal_basis else None
    valid_until = None
    if advice.outcome == SharingDecision.Outcome.SHARE and basis_def.kind == "decision":
        valid_until = local_date(at) + datetime.timedelta(days=config.decision_valid_days)
    facts = {
        "basis_found": evaluation.kind,
        "consent": str(evaluation.consent.public_id) if evaluation.consent else "",
        "agreement": str(evaluation.agreement.public_id) if evaluation.agreement else "",
        "legal_duty": evaluation.legal_basis if evaluation.kind == "legal_duty" else "",
        "meldrecht": meldrecht,
        "problems": evaluation.problems,
    }
    with transaction.atomic():
        previous = latest_decision(
            organisation=actor.organisation,
            person=person,
            recipient=recipient,
            purpose_key=purpose_obj.key,
            at=at,
        )
        decision = SharingDecision.objects.create(
            person=person,
            organisation=actor.organisation,
            recipient=recipient,
            purpose=purpose_obj.key,
            data_categories=categories,
            answers=cleaned,
            facts=facts,
            outcome=advice.outcome,
            legal_basis=basis_def.key if basis_def else "",
            legal_basis_label=basis_def.name["nl"] if basis_def else "",
            reasons=advice.reasons,
            consult_with=advice.consult_with,
            explanation=explanation,
            on_behalf_of_organisation=bool(on_behalf_of_organisation),
            case_reference=case_reference,
            supersedes=previous,
            valid_until=valid_until,
            config_version=config.version,
            decided_by=actor,
            decided_by_role=actor.role,
            decided_at=at,
        )
        _recorded(actor, person, "sharing_decision", "create")
    return decision
