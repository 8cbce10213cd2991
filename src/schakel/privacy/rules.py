"""Pure evaluation of the sharing rules: what is the state of a consent or an agreement at a given
moment (and of a request of a data subject), and is there a basis for a transfer. Nothing here
writes; the gate `services.sharing_basis_create` and the decision aid build on it.

Time is always passed in (`at`), so a withdrawal or an expiry takes effect at the very moment it
happens, and tests can ask about any moment without freezing the clock.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from schakel.core.errors import Refused

from .models import (
    REPRESENTATIVES,
    Agreement,
    AgreementEvent,
    Consent,
    GivenBy,
    PrivacyProfile,
    SharingDecision,
    SubjectRequest,
)
from .reasons import reason, render_all
from .sharing_config import sharing_config


class SharingNotAllowed(Refused):
    """No basis for this transfer. `reasons` and `hints` are plain-language sentences."""

    problem_type = "sharing-not-allowed"


def local_date(at: datetime.datetime) -> datetime.date:
    return timezone.localtime(at).date()


# -- organisations ------------------------------------------


def designations_of(organisation) -> set[str]:
    """The organisation's legal designations: set explicitly, or implied by its domain."""
    config = sharing_config()
    explicit = (
        PrivacyProfile.objects.filter(organisation_id=organisation.pk)
        .values_list("designations", flat=True)
        .first()
    )
    return set(explicit or []) | config.designations_implied_by(organisation.domain)


def recipient_kinds_of(organisation) -> set[str]:
    """What a consent's `recipient_kinds` can name: the domain and the designations."""
    return {organisation.domain} | designations_of(organisation)


# -- consent ------------------------------------------


def _events_until(record, at):
    return [event for event in record.events.all() if event.at <= at]


def consent_status_at(consent: Consent, at: datetime.datetime) -> str:
    """The status at `at`: the last event until then; `given` past its end date is `expired`."""
    events = _events_until(consent, at)
    if not events:
        return ""
    status = events[-1].status
    if status == Consent.Status.GIVEN and local_date(at) > consent.valid_until:
        return Consent.Status.EXPIRED
    return status


def consent_event_at(consent: Consent, status: str, at) -> datetime.datetime | None:
    for event in reversed(_events_until(consent, at)):
        if event.status == status:
            return event.at
    return None


def expected_givers(person, purpose, on: datetime.date) -> frozenset[str] | None:
    """Who may give consent for `person` for `purpose` on a day (None: age unknown, anyone)."""
    age = person.age_on(on)
    if age is None:
        return None
    if age < purpose.consent_self_from_age:
        return REPRESENTATIVES
    return frozenset({GivenBy.PERSON, GivenBy.LEGAL_REPRESENTATIVE})


def giver_problem(person, purpose, given_by: str, on: datetime.date) -> dict | None:
    allowed = expected_givers(person, purpose, on)
    if allowed is None or given_by in allowed:
        return None
    age = person.age_on(on)
    if age < purpose.consent_self_from_age:
        return reason("consent_giver_minor", age=age, self_age=purpose.consent_self_from_age)
    return reason("consent_giver_adult", age=age)


def consent_problem(
    consent, *, person, purpose, categories, recipient, at, recipient_kinds=None
) -> dict | None:
    """Why this consent does not cover the transfer at `at` (None: it does)."""
    status = consent_status_at(consent, at)
    if status == Consent.Status.REQUESTED:
        return reason("consent_requested", asked_on=local_date(consent.recorded_at).isoformat())
    if status == Consent.Status.REFUSED:
        when = consent_event_at(consent, status, at)
        return reason("consent_refused", refused_on=local_date(when).isoformat())
    if status == Consent.Status.WITHDRAWN:
        when = consent_event_at(consent, status, at)
        return reason("consent_withdrawn", withdrawn_on=local_date(when).isoformat())
    if status == Consent.Status.EXPIRED:
        return reason("consent_expired", until_on=consent.valid_until.isoformat())
    if status != Consent.Status.GIVEN:  # renewed: the renewal is a consent of its own
        return reason("consent_none", purpose=purpose.key)
    today = local_date(at)
    if today < consent.valid_from:
        return reason("consent_not_yet", from_on=consent.valid_from.isoformat())
    missing = [c for c in categories if c not in consent.data_categories]
    if missing:
        return reason("consent_categories", categories=missing)
    named = {org.pk for org in consent.recipient_organisations.all()}
    if recipient_kinds is None:
        recipient_kinds = recipient_kinds_of(recipient)
    if recipient.pk not in named and not (set(consent.recipient_kinds) & recipient_kinds):
        return reason("consent_recipient", recipient=recipient.name)
    return giver_problem(person, purpose, consent.given_by, today)


def consents_for(*, organisation, person):
    return (
        Consent.objects.filter(organisation=organisation, person=person)
        .prefetch_related("events", "recipient_organisations")
        .order_by("-recorded_at", "-pk")
    )


# -- requests of data subjects ------------------------------------------


def subject_request_status(request: SubjectRequest) -> str:
    """The status of a request: that of its latest event (prefetch `events`)."""
    events = list(request.events.all())
    return events[-1].status if events else SubjectRequest.Status.RECEIVED


# -- agreements ------------------------------------------


def agreement_ended_at(agreement: Agreement, at) -> datetime.datetime | None:
    for event in _events_until(agreement, at):
        if event.kind == AgreementEvent.Kind.ENDED:
            return event.at
    return None


def agreement_is_valid_at(agreement: Agreement, at) -> bool:
    today = local_date(at)
    return (
        agreement.valid_from <= today <= agreement.valid_until
        and agreement_ended_at(agreement, at) is None
    )


def agreement_problem(agreement, *, purpose, categories, at) -> dict | None:
    today = local_date(at)
    ended = agreement_ended_at(agreement, at)
    if ended is not None:
        return reason(
            "agreement_ended", title=agreement.title, ended_on=local_date(ended).isoformat()
        )
    if today > agreement.valid_until:
        return reason(
            "agreement_expired", title=agreement.title, until_on=agreement.valid_until.isoformat()
        )
    if today < agreement.valid_from:
        return reason(
            "agreement_not_yet", title=agreement.title, from_on=agreement.valid_from.isoformat()
        )
    if purpose.key not in agreement.purposes:
        return reason("agreement_purpose", title=agreement.title, purpose=purpose.key)
    missing = [c for c in categories if c not in agreement.data_categories]
    if missing:
        return reason("agreement_categories", title=agreement.title, categories=missing)
    return None


def agreements_between(sender, recipient):
    return (
        Agreement.objects.filter(parties=sender)
        .filter(parties=recipient)
        .prefetch_related("events")
        .distinct()
        .order_by("-valid_until", "-pk")
    )


# -- legal duties and decisions ------------------------------------------


def legal_duty_for(*, sender, recipient, purpose, recipient_roles=None):
    config = sharing_config()
    sender_roles = designations_of(sender)
    if recipient_roles is None:
        recipient_roles = designations_of(recipient)
    for duty in config.legal_duties:
        if (
            purpose.key in duty.purposes
            and duty.sender_designations & sender_roles
            and duty.recipient_designations & recipient_roles
        ):
            return config.basis(duty.basis)
    return None


def meldrecht_applies(*, recipient, purpose) -> bool:
    return purpose.meldrecht and "veilig_thuis" in designations_of(recipient)


def decision_bases() -> set[str]:
    return {basis.key for basis in sharing_config().bases_of_kind("decision")}


def latest_decision(*, organisation, person, recipient, purpose_key, at):
    return (
        SharingDecision.objects.filter(
            organisation=organisation,
            person=person,
            recipient=recipient,
            purpose=purpose_key,
            decided_at__lte=at,
        )
        .order_by("-decided_at", "-pk")
        .first()
    )


def decision_problem(decision, *, categories, at) -> dict | None:
    decided_on = local_date(decision.decided_at).isoformat()
    if decision.outcome != SharingDecision.Outcome.SHARE:
        return reason("decision_other_outcome", decided_on=decided_on, outcome=decision.outcome)
    if decision.legal_basis not in decision_bases():
        # Shared on consent, an agreement or a duty: those are checked live, not the decision.
        return reason("decision_none")
    if decision.valid_until is None or local_date(at) > decision.valid_until:
        until = decision.valid_until.isoformat() if decision.valid_until else decided_on
        return reason("decision_expired", decided_on=decided_on, until_on=until)
    missing = [c for c in categories if c not in decision.data_categories]
    if missing:
        return reason("decision_categories", decided_on=decided_on, categories=missing)
    return None


# -- the whole question ------------------------------------------


@dataclass
class Evaluation:
    """What the rules say about one transfer at one moment."""

    kind: str = ""  # a SharingBasis.Kind, or "" when there is no basis
    legal_basis: str = ""
    consent: Consent | None = None
    agreement: Agreement | None = None
    decision: SharingDecision | None = None
    grounds: list[dict] = field(default_factory=list)  # why it is allowed
    problems: list[dict] = field(default_factory=list)  # why each route fails
    minimisation: list[dict] = field(default_factory=list)  # data not for this purpose

    @property
    def allowed(self) -> bool:
        return bool(self.kind) and not self.minimisation

    def reason_texts(self) -> list[str]:
        return render_all(self.minimisation + self.problems)


def evaluate_sharing(*, sender, person, recipient, purpose, categories, at=None) -> Evaluation:
    """Find the basis for `sender` giving `categories` about `person` to `recipient`.

    Order: own organisation, legal duty, consent, agreement, recorded decision. The first route
    that holds is the basis; the problems of the others are kept for the refusal.
    """
    at = at or timezone.now()
    result = Evaluation()
    outside = [c for c in categories if c not in purpose.data_categories]
    if outside:
        result.minimisation.append(
            reason("categories_not_for_purpose", purpose=purpose.key, categories=outside)
        )
    if recipient.pk == sender.pk:
        result.kind, result.legal_basis = "own", "eigen_organisatie"
        result.grounds.append(reason("own_organisation", sender=sender.name))
        return result
    if not recipient.is_active:
        result.problems.append(reason("recipient_inactive", recipient=recipient.name))
        return result

    recipient_roles = designations_of(recipient)
    duty = legal_duty_for(
        sender=sender, recipient=recipient, purpose=purpose, recipient_roles=recipient_roles
    )
    if duty is not None:
        result.kind, result.legal_basis = "legal_duty", duty.key
        result.grounds.append(
            reason(
                "duty_applies", sender=sender.name, recipient=recipient.name, basis=duty.citation
            )
        )
        return result
    result.problems.append(reason("duty_none", sender=sender.name, recipient=recipient.name))

    consent_basis = sharing_config().bases_of_kind("consent")[0]
    relevant = [
        c for c in consents_for(organisation=sender, person=person) if purpose.key in c.purposes
    ]
    consent_problems = []
    for consent in relevant:
        problem = consent_problem(
            consent,
            person=person,
            purpose=purpose,
            categories=categories,
            recipient=recipient,
            at=at,
            recipient_kinds={recipient.domain} | recipient_roles,
        )
        if problem is None:
            result.kind, result.legal_basis, result.consent = "consent", consent_basis.key, consent
            result.grounds.append(
                reason(
                    "consent_valid",
                    given_by=consent.given_by,
                    until_on=consent.valid_until.isoformat(),
                )
            )
            return result
        if problem["code"] != "consent_none" and problem not in consent_problems:
            consent_problems.append(problem)
    result.problems.extend(consent_problems or [reason("consent_none", purpose=purpose.key)])

    agreement_basis = sharing_config().bases_of_kind("agreement")[0]
    agreement_problems = []
    for agreement in agreements_between(sender, recipient):
        problem = agreement_problem(agreement, purpose=purpose, categories=categories, at=at)
        if problem is None:
            result.kind, result.legal_basis = "agreement", agreement_basis.key
            result.agreement = agreement
            result.grounds.append(
                reason(
                    "agreement_valid",
                    title=agreement.title,
                    until_on=agreement.valid_until.isoformat(),
                )
            )
            return result
        agreement_problems.append(problem)
    result.problems.extend(
        agreement_problems
        or [reason("agreement_none", sender=sender.name, recipient=recipient.name)]
    )

    decision = latest_decision(
        organisation=sender, person=person, recipient=recipient, purpose_key=purpose.key, at=at
    )
    if decision is None:
        result.problems.append(reason("decision_none"))
        return result
    problem = decision_problem(decision, categories=categories, at=at)
    if problem is None:
        result.kind, result.legal_basis, result.decision = (
            "decision",
            decision.legal_basis,
            decision,
        )
        result.grounds.append(
            reason(
                "decision_valid",
                decided_on=local_date(decision.decided_at).isoformat(),
                basis=sharing_config().basis(decision.legal_basis).citation,
                until_on=decision.valid_until.isoformat(),
            )
        )
        return result
    result.problems.append(problem)
    return result
