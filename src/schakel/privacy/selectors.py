"""Reads of the privacy capability, scoped to the actor. A record the actor may not see answers 404.

Consent records, decisions, disclosures and requests belong to the organisation that made them;
agreements to their parties. Reads that show a person's data are recorded in the processing log.
"""

from django.http import Http404
from django.utils import timezone

from schakel.accounts.models import Membership, Organisation
from schakel.accounts.permissions import can
from schakel.ids import public_id_or_404

from .models import (
    Agreement,
    Consent,
    PrivacyProfile,
    SharingBasis,
    SharingDecision,
    SubjectRequest,
)
from .register import processing_register
from .rules import (
    agreement_ended_at,
    agreement_is_valid_at,
    consent_status_at,
    designations_of,
    evaluate_sharing,
    meldrecht_applies,
    subject_request_status,
)
from .services import processing_record, processing_record_many
from .sharing_config import sharing_config


def public_processing_activities() -> list:
    """Activities for the public privacy statement, in register order."""
    return list(processing_register().activities.values())


def _log_reads(actor, persons, activity: str) -> None:
    persons = [p for p in persons if p is not None]
    if persons:
        processing_record_many(actor=actor, subjects=persons, activity=activity, operation="read")


def _require(actor, *permissions) -> None:
    if not any(can(actor, p) for p in permissions):
        raise Http404


# -- organisations and persons to choose from ------------------------------------------


def recipient_choices_for(*, actor: Membership):
    """Active organisations other than the actor's own: who data could go to."""
    return Organisation.objects.filter(is_active=True).exclude(pk=actor.organisation_id)


def person_choices_for(*, actor: Membership) -> list:
    """The persons of the actor's organisation, by name, for choosing one in a form. Logs reads:
    their names are shown."""
    from schakel.people.models import Person

    if not can(actor, "person.view"):
        return []
    persons = list(Person.objects.filter(owner_organisation_id=actor.organisation_id))
    persons.sort(key=lambda p: (p.surname.lower(), p.given_names.lower(), p.pk))
    _log_reads(actor, persons, "person_record")
    return persons


def organisation_designations(organisation: Organisation) -> list:
    config = sharing_config()
    return [config.designations[k] for k in sorted(designations_of(organisation))]


# -- consent ------------------------------------------


def _consents_visible(actor):
    if not (can(actor, "consent.record") or can(actor, "sharing.decide")):
        return Consent.objects.none()
    return Consent.objects.filter(organisation_id=actor.organisation_id)


def consent_state(consent: Consent, at=None) -> dict:
    """Status now, with the moments of the history (for pages and the API)."""
    at = at or timezone.now()
    status = consent_status_at(consent, at)
    return {
        "status": status,
        "status_label": Consent.Status(status).label if status else "",
        "is_valid": status == Consent.Status.GIVEN and consent.valid_from <= timezone.localdate(at),
    }


def consent_list_for(*, actor: Membership | None, person=None) -> list[Consent]:
    """Consents held by the actor's organisation (of one person, when given), newest first."""
    consents = (
        _consents_visible(actor)
        .select_related("person")
        .prefetch_related("events", "recipient_organisations")
    )
    if person is not None:
        consents = consents.filter(person=person)
    consents = list(consents)
    for consent in consents:
        consent.state = consent_state(consent)
    _log_reads(actor, list({c.person_id: c.person for c in consents}.values()), "consent")
    return consents


def consent_get_for(*, actor: Membership | None, public_id) -> Consent:
    consent = (
        _consents_visible(actor)
        .select_related("person", "renews", "recorded_by__user")
        .prefetch_related(
            "events__by__user", "events__files", "recipient_organisations", "renewals"
        )
        .filter(public_id=public_id_or_404(public_id))
        .first()
    )
    if consent is None:
        raise Http404
    consent.state = consent_state(consent)
    processing_record(actor=actor, subject=consent.person, activity="consent", operation="read")
    return consent


def consent_evidence_for(*, actor: Membership | None, consent_id, evidence_id):
    """An evidence file of a consent the actor's organisation holds, with its decrypted bytes:
    (evidence, data). 404 otherwise. Checks the stored checksum and logs a read of the consent.
    """
    import hashlib

    from schakel.people.crypto import decrypt_bytes

    from .models import ConsentEvidence

    evidence = (
        ConsentEvidence.objects.filter(
            event__consent__in=_consents_visible(actor).filter(
                public_id=public_id_or_404(consent_id)
            ),
            public_id=public_id_or_404(evidence_id),
        )
        .select_related("event__consent__person")
        .first()
    )
    if evidence is None:
        raise Http404
    data = decrypt_bytes(evidence.content, aad=evidence.aad())
    if hashlib.sha256(data).hexdigest() != evidence.sha256:
        raise ValueError("evidence file does not match its checksum")
    processing_record(
        actor=actor, subject=evidence.event.consent.person, activity="consent", operation="read"
    )
    return evidence, data


# -- agreements ------------------------------------------


def _agreements_visible(actor):
    if not (can(actor, "agreement.manage") or can(actor, "sharing.decide")):
        return Agreement.objects.none()
    return Agreement.objects.filter(parties=actor.organisation_id).distinct()


def agreement_state(agreement: Agreement, at=None) -> dict:
    at = at or timezone.now()
    ended = agreement_ended_at(agreement, at)
    today = timezone.localdate(at)
    if ended is not None:
        state = "ended"
    elif today > agreement.valid_until:
        state = "expired"
    elif today < agreement.valid_from:
        state = "future"
    else:
        state = "valid"
    return {"state": state, "is_valid": agreement_is_valid_at(agreement, at), "ended_at": ended}


def agreement_list_for(*, actor: Membership | None) -> list[Agreement]:
    agreements = list(_agreements_visible(actor).prefetch_related("parties", "events"))
    for agreement in agreements:
        agreement.state = agreement_state(agreement)
    return agreements


def agreement_get_for(*, actor: Membership | None, public_id) -> Agreement:
    agreement = (
        _agreements_visible(actor)
        .prefetch_related("parties", "events__by__user")
        .filter(public_id=public_id_or_404(public_id))
        .first()
    )
    if agreement is None:
        raise Http404
    agreement.state = agreement_state(agreement)
    return agreement


# -- decisions and disclosures ------------------------------------------


def _decisions_visible(actor):
    if not can(actor, "sharing.decide"):
        return SharingDecision.objects.none()
    return SharingDecision.objects.filter(organisation_id=actor.organisation_id)


def decision_list_for(*, actor: Membership | None, person=None, limit: int = 200) -> list:
    decisions = _decisions_visible(actor).select_related("person", "recipient")
    if person is not None:
        decisions = decisions.filter(person=person)
    decisions = list(decisions[:limit])
    _log_reads(actor, list({d.person_id: d.person for d in decisions}.values()), "sharing_decision")
    return decisions


def decision_get_for(*, actor: Membership | None, public_id) -> SharingDecision:
    decision = (
        _decisions_visible(actor)
        .select_related("person", "recipient", "organisation", "decided_by__user", "supersedes")
        .filter(public_id=public_id_or_404(public_id))
        .first()
    )
    if decision is None:
        raise Http404
    processing_record(
        actor=actor, subject=decision.person, activity="sharing_decision", operation="read"
    )
    return decision


def decision_question_facts(*, actor: Membership, person, recipient, purpose, categories) -> dict:
    """What the system already knows about a question, for step 2 of the decision aid."""
    config = sharing_config()
    purpose_obj = config.purpose(purpose)
    evaluation = evaluate_sharing(
        sender=actor.organisation,
        person=person,
        recipient=recipient,
        purpose=purpose_obj,
        categories=categories,
    )
    return {
        "evaluation": evaluation,
        "meldrecht": meldrecht_applies(recipient=recipient, purpose=purpose_obj),
        "recipient_designations": organisation_designations(recipient),
        "purpose": purpose_obj,
        "special": [c for c in categories if config.data_categories[c].special],
    }


def _disclosures_visible(actor):
    if not (can(actor, "sharing.decide") or can(actor, "privacy.settings")):
        return SharingBasis.objects.none()
    return SharingBasis.objects.filter(sender_id=actor.organisation_id).exclude(kind="own")


def disclosure_list_for(*, actor: Membership | None, kind: str = "", limit: int = 200) -> list:
    """What left the actor's organisation, and on which basis, newest first."""
    bases = _disclosures_visible(actor).select_related("recipient", "person", "created_by__user")
    if kind:
        bases = bases.filter(kind=kind)
    bases = list(bases[:limit])
    if can(actor, "person.view"):
        _log_reads(actor, list({b.person_id: b.person for b in bases}.values()), "sharing_decision")
    else:
        for basis in bases:
            basis.person_hidden = True
    return bases


def disclosure_get_for(*, actor: Membership | None, public_id) -> SharingBasis:
    basis = (
        _disclosures_visible(actor)
        .select_related("recipient", "sender", "person", "created_by__user", "consent", "agreement")
        .select_related("decision")
        .filter(public_id=public_id_or_404(public_id))
        .first()
    )
    if basis is None:
        raise Http404
    if basis.person is not None and can(actor, "person.view"):
        processing_record(
            actor=actor, subject=basis.person, activity="sharing_decision", operation="read"
        )
    else:
        basis.person_hidden = True
    return basis


# -- requests of data subjects ------------------------------------------


def _requests_visible(actor):
    if not can(actor, "privacy.requests"):
        return SubjectRequest.objects.none()
    return SubjectRequest.objects.filter(organisation_id=actor.organisation_id)


def subject_request_list_for(*, actor: Membership | None, open_only: bool = False) -> list:
    requests = list(_requests_visible(actor).select_related("person").prefetch_related("events"))
    labels = dict(SubjectRequest.Status.choices)
    for request in requests:
        request.status = subject_request_status(request)
        request.status_label = labels[request.status]
        request.is_open = request.status not in (
            SubjectRequest.Status.DONE,
            SubjectRequest.Status.REFUSED,
        )
        request.is_late = request.is_open and request.deadline < timezone.localdate()
    if open_only:
        requests = [r for r in requests if r.is_open]
    _log_reads(actor, list({r.person_id: r.person for r in requests}.values()), "subject_rights")
    return requests


def subject_request_get_for(*, actor: Membership | None, public_id) -> SubjectRequest:
    request = (
        _requests_visible(actor)
        .select_related("person")
        .prefetch_related("events__by__user")
        .filter(public_id=public_id_or_404(public_id))
        .first()
    )
    if request is None:
        raise Http404
    request.status = subject_request_status(request)
    request.is_open = request.status not in (
        SubjectRequest.Status.DONE,
        SubjectRequest.Status.REFUSED,
    )
    request.is_late = request.is_open and request.deadline < timezone.localdate()
    if request.person is not None:
        processing_record(
            actor=actor, subject=request.person, activity="subject_rights", operation="read"
        )
    return request


def subject_access_export_for(*, actor: Membership | None, request: SubjectRequest) -> dict:
    """The export for an access request: everything held about the person, in sections."""
    from .subject_access import subject_access_export

    if (
        not can(actor, "privacy.requests")
        or request.organisation_id != actor.organisation_id
        or request.kind != SubjectRequest.Kind.ACCESS
        or request.person is None
    ):
        raise Http404
    export = subject_access_export(person=request.person)
    processing_record(
        actor=actor, subject=request.person, activity="subject_rights", operation="read"
    )
    return export


# -- settings ------------------------------------------


def privacy_profile_for(*, actor: Membership | None) -> PrivacyProfile:
    if not can(actor, "privacy.settings"):
        raise Http404
    return PrivacyProfile.objects.filter(organisation_id=actor.organisation_id).first() or (
        PrivacyProfile(organisation=actor.organisation)
    )
