"""The one place where cases touch the other capabilities: people (LVB history), screening
(assessments), privacy (the sharing gate, consent history, whether a recorded basis still holds)
and the wegwijzer (offers and matching). Keeping it here means a change in another app's interface
is one edit, and the assumptions are written down in one file.

Reads here are internal: callers have already checked that the actor may see the case, and the
case selectors record the processing-log entry.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

# -- people -----------------------------------------------------------------------------------

LVB_POSITIVE = frozenset({"suspected", "screened", "diagnosed"})


def lvb_current(person):
    """The person's current LVB indication (newest entry no later entry corrects), or None."""
    from schakel.people.models import LvbIndication

    return (
        LvbIndication.objects.filter(person=person)
        .exclude(corrections__isnull=False)
        .order_by("-observed_on", "-recorded_at", "-pk")
        .first()
    )


def lvb_positive(indication) -> bool:
    return indication is not None and indication.status in LVB_POSITIVE


# -- screening --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssessmentSummary:
    public_id: str
    title: str
    outcome: str
    created_at: datetime.datetime
    organisation_id: int
    organisation_name: str


def assessments_of(person) -> list[AssessmentSummary]:
    """Stored screenings of the person (instrument, outcome, when): no answers."""
    try:
        from schakel.screening.models import Assessment
    except ImportError:  # the screening capability is not installed
        return []
    rows = (
        Assessment.objects.filter(person=person)
        .select_related("instrument", "organisation")
        .only(
            "public_id",
            "outcome",
            "created_at",
            "organisation__name",
            "instrument__title",
        )
    )
    return [
        AssessmentSummary(
            public_id=str(row.public_id),
            title=row.instrument.title,
            outcome=row.outcome,
            created_at=row.created_at,
            organisation_id=row.organisation_id,
            organisation_name=row.organisation.name,
        )
        for row in rows
    ]


# -- privacy ----------------------------------------------------------------------------------

CASE_PURPOSE = "case_coordination"
REFERRAL_PURPOSE = "referral"
CRISIS_CARD_PURPOSE = "crisis_card"
CRISIS_CARD_CATEGORIES = ["identificatie", "hulpkaart"]


def sharing_not_allowed():
    from schakel.privacy.rules import SharingNotAllowed

    return SharingNotAllowed


def share(*, actor, person, recipient, purpose: str, categories: list[str], override_reason=""):
    """Pass the gate (raises SharingNotAllowed with reasons, or ValidationError)."""
    from schakel.privacy.services import sharing_basis_create

    return sharing_basis_create(
        actor=actor,
        person=person,
        recipient=recipient,
        purpose=purpose,
        data_categories=list(categories),
        override_reason=override_reason,
    )


def share_plan(*, actor, person, recipient, purpose: str, categories: list[str]):
    """The gate's decision only (raises SharingNotAllowed, which stays logged); record it with
    `share_record` inside the transaction that writes the transfer."""
    from schakel.privacy.services import sharing_plan

    return sharing_plan(
        actor=actor,
        person=person,
        recipient=recipient,
        purpose=purpose,
        data_categories=list(categories),
    )


def share_record(*, actor, plan):
    from schakel.privacy.services import sharing_basis_record

    return sharing_basis_record(actor=actor, plan=plan)


def purpose_categories(purpose: str) -> list[str]:
    from schakel.privacy.sharing_config import sharing_config

    return list(sharing_config().purposes[purpose].data_categories)


def category_labels(keys) -> list[str]:
    from schakel.privacy.sharing_config import sharing_config

    return list(sharing_config().category_labels(list(keys)))


def category_choices(purpose: str) -> list[tuple[str, str]]:
    keys = purpose_categories(purpose)
    return list(zip(keys, category_labels(keys), strict=True))


def basis_in_force(basis, *, person, sender, recipient, categories, purpose=CASE_PURPOSE, at=None):
    """Does the transfer a member (or a share) rests on still hold at `at`?

    First the recorded basis: a withdrawn or expired consent, an ended agreement or an expired
    decision no longer holds. When it does not, the rules are asked again without writing
    anything (a renewed consent or a new agreement then counts). The emergency procedure holds
    for as long as a recorded decision would.
    """
    from schakel.privacy.models import Consent, SharingBasis
    from schakel.privacy.rules import (
        agreement_is_valid_at,
        consent_status_at,
        evaluate_sharing,
        local_date,
    )
    from schakel.privacy.sharing_config import sharing_config

    at = at or timezone.now()
    today = local_date(at)
    if recipient.pk == sender.pk:
        return True
    if basis is not None:
        kind = basis.kind
        if kind in (SharingBasis.Kind.OWN, SharingBasis.Kind.LEGAL_DUTY):
            return True
        if kind == SharingBasis.Kind.CONSENT and basis.consent is not None:
            consent = basis.consent
            if (
                consent_status_at(consent, at) == Consent.Status.GIVEN
                and consent.valid_from <= today <= consent.valid_until
            ):
                return True
        if (
            kind == SharingBasis.Kind.AGREEMENT
            and basis.agreement is not None
            and agreement_is_valid_at(basis.agreement, at)
        ):
            return True
        if kind == SharingBasis.Kind.DECISION and basis.decision is not None:
            until = basis.decision.valid_until
            if until is not None and today <= until:
                return True
        if kind == SharingBasis.Kind.OVERRIDE:
            limit = local_date(basis.created_at) + datetime.timedelta(
                days=sharing_config().decision_valid_days
            )
            if today <= limit:
                return True
    config = sharing_config()
    evaluation = evaluate_sharing(
        sender=sender,
        person=person,
        recipient=recipient,
        purpose=config.purposes[purpose],
        categories=list(categories),
        at=at,
    )
    return evaluation.allowed


@dataclass(frozen=True)
class ConsentChange:
    at: datetime.datetime
    status: str
    status_label: str
    purposes: list[str] = field(default_factory=list)
    organisation_name: str = ""
    given_by_label: str = ""


def consent_changes_of(person, *, organisation_ids) -> list[ConsentChange]:
    """The consent history of the person as recorded by the case's organisations."""
    from schakel.privacy.models import ConsentEvent
    from schakel.privacy.sharing_config import sharing_config

    purposes = sharing_config().purposes
    rows = (
        ConsentEvent.objects.filter(
            consent__person=person, consent__organisation_id__in=list(organisation_ids)
        )
        .select_related("consent", "consent__organisation")
        .order_by("at", "pk")
    )
    changes = []
    for row in rows:
        consent = row.consent
        changes.append(
            ConsentChange(
                at=row.at,
                status=row.status,
                status_label=str(row.get_status_display()),
                purposes=[purposes[k].label if k in purposes else k for k in consent.purposes],
                organisation_name=consent.organisation.name,
                given_by_label=str(consent.get_given_by_display()),
            )
        )
    return changes


# -- wegwijzer --------------------------------------------------------------------------------


def form_choices() -> list[tuple[str, str]]:
    from schakel.directory.models import Form

    return list(Form.choices)


def form_values() -> set[str]:
    from schakel.directory.models import Form

    return set(Form.values)


def need_choices() -> list[tuple[str, str]]:
    from schakel.directory.models import Need

    return list(Need.choices)


def offer_get(key: str):
    """An active offer of the wegwijzer by key (Http404 when unknown or inactive)."""
    from schakel.directory.selectors import offer_get as directory_offer_get

    return directory_offer_get(key=key)


_GENDERS = {"v": "vrouw", "m": "man", "x": "x"}


@dataclass(frozen=True)
class Option:
    key: str
    name: str
    provider_name: str
    fit: str  # "full" or "partial"
    reasons: list[str]
    notes: list[str]
    waiting_weeks: int | None
    free_places: int | None


def offer_options(
    *,
    person,
    case,
    lvb: bool,
    need: str = "",
    q: str = "",
    exclude_keys=(),
    limit: int = 10,
    on: datetime.date | None = None,
) -> list[Option]:
    """The wegwijzer's ranked options for this person: full fits first, then partial fits with
    the reasons why not. Uses the person's age and gender, the case's forms of exploitation, the
    LVB indication and the municipality of the organisation that holds the case."""
    from schakel.directory import matching
    from schakel.directory.selectors import offer_search

    on = on or timezone.localdate()
    municipality = case.organisation.municipality.code if case.organisation.municipality else None
    criteria = matching.Criteria(
        municipality=municipality,
        age=person.age_on(on),
        gender=_GENDERS.get(person.gender) or None,
        forms=tuple(case.forms or ()),
        lvb=True if lvb else None,
        need=need or None,
        q=q or "",
    )
    result = offer_search(criteria=criteria)
    options = []
    for match in result.matches:
        values = match.offer
        if values["key"] in exclude_keys:
            continue
        options.append(
            Option(
                key=values["key"],
                name=values["name"],
                provider_name=values.get("provider__name") or "",
                fit=match.fit,
                reasons=list(match.reasons),
                notes=list(match.notes),
                waiting_weeks=values.get("waiting_weeks"),
                free_places=values.get("free_places"),
            )
        )
        if len(options) >= limit:
            break
    return options
