"""Consent records: recording a consent (asked for or given, with evidence and how understanding
was checked), its status changes (given, refused, withdrawn, renewed) and expiry."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.accounts.models import Membership, Organisation
from schakel.accounts.permissions import ensure_can
from schakel.core.validation import clean_date, clean_text, raise_if

from ..models import REPRESENTATIVES, Consent, ConsentEvent, GivenBy
from ..reasons import render_all
from ..rules import consent_status_at, giver_problem, local_date
from ..sharing_config import sharing_config
from ._common import _actor_role, _categories, _ensure_person_of, _purposes, _recorded
from .evidence import _clean_evidence_file, _evidence_store


def _consent_event(consent, status, actor, **details) -> ConsentEvent:
    evidence_file = details.pop("evidence_file", None)
    event = ConsentEvent.objects.create(
        consent=consent, status=status, by=actor, by_role=_actor_role(actor), **details
    )
    if evidence_file is not None:
        _evidence_store(event, evidence_file, actor)
    return event


def _lvb_known(person) -> bool:
    from schakel.people.models import LvbIndication

    latest = (
        LvbIndication.objects.filter(person=person)
        .exclude(corrections__isnull=False)
        .order_by("-observed_on", "-recorded_at")
        .first()
    )
    return latest is not None and latest.status != LvbIndication.Status.DISPUTED


def _given_details(
    *,
    person,
    given_by,
    method,
    evidence,
    understanding_checks,
    understanding_note,
    errors,
    evidence_file=None,
):
    checks_known = sharing_config().understanding_checks
    if method not in Consent.Method.values:
        errors["method"] = _("Kies hoe de toestemming is gegeven.")
    attached = _clean_evidence_file(evidence_file, errors)
    evidence = clean_text(evidence, errors, "evidence", required=attached is None, limit=1000)
    if attached is not None and not evidence:
        evidence = _("Bijgevoegd bestand: %(name)s") % {"name": attached.name}
    if "evidence" in errors and not evidence:
        errors["evidence"] = _(
            "Schrijf op waar het bewijs is, bijvoorbeeld: 'ondertekend formulier in het dossier'."
        )
    checks = list(dict.fromkeys(understanding_checks or []))
    if not checks:
        errors["understanding_checks"] = _(
            "Kies hoe u hebt gecontroleerd dat de uitleg begrepen is."
        )
    elif any(c not in checks_known for c in checks):
        errors["understanding_checks"] = _("Kies alleen manieren uit de lijst.")
    elif (
        given_by == GivenBy.PERSON and _lvb_known(person) and set(checks) <= {"representative_only"}
    ):
        errors["understanding_checks"] = _(
            "Bij een LVB-indicatie controleert u bij de persoon zelf of die het begrijpt, "
            "bijvoorbeeld door het in eigen woorden te laten vertellen."
        )
    note = clean_text(understanding_note, errors, "understanding_note", limit=1000)
    return {
        "method": method,
        "evidence": evidence,
        "understanding_checks": checks,
        "understanding_note": note,
        "evidence_file": attached,
    }


def consent_record(
    *,
    actor: Membership,
    person,
    given_by: str,
    purposes: list[str],
    data_categories: list[str],
    valid_from,
    valid_until,
    recipient_organisations=(),
    recipient_kinds=(),
    given_by_name: str = "",
    status: str = Consent.Status.GIVEN,
    method: str = "",
    evidence: str = "",
    understanding_checks=(),
    understanding_note: str = "",
    note: str = "",
    renews: Consent | None = None,
    evidence_file=None,
) -> Consent:
    """Record a consent: asked for now (`status="requested"`) or already given (`"given"`, with
    how, the evidence and how understanding was checked)."""
    ensure_can(actor, "consent.record")
    _ensure_person_of(actor, person)
    config = sharing_config()
    errors: dict = {}
    if given_by not in GivenBy.values:
        errors["given_by"] = _("Kies wie toestemming geeft.")
    given_by_name = clean_text(given_by_name, errors, "given_by_name", limit=200)
    if given_by in REPRESENTATIVES and not given_by_name and "given_by_name" not in errors:
        errors["given_by_name"] = _("Vul de naam in van wie toestemming geeft.")
    purpose_objs = _purposes(purposes, errors)
    categories = _categories(data_categories, purpose_objs, errors)
    organisations = list(recipient_organisations or [])
    kinds = list(dict.fromkeys(recipient_kinds or []))
    allowed_kinds = set(Organisation.Domain.values) | set(config.designations)
    if not organisations and not kinds:
        errors["recipient_organisations"] = _(
            "Kies de organisaties (of soorten organisaties) die de gegevens mogen krijgen."
        )
    elif any(k not in allowed_kinds for k in kinds):
        errors["recipient_kinds"] = _("Kies alleen soorten uit de lijst.")
    elif any(o.pk == actor.organisation_id for o in organisations):
        errors["recipient_organisations"] = _(
            "Voor delen binnen uw eigen organisatie is geen toestemming nodig."
        )
    elif any(not o.is_active for o in organisations):
        errors["recipient_organisations"] = _("Kies alleen organisaties die meedoen.")
    start = clean_date(valid_from, errors, "valid_from", required=True)
    end = clean_date(valid_until, errors, "valid_until", required=True)
    if start and end:
        longest = min((p.consent_max_days for p in purpose_objs), default=365)
        if end < start:
            errors["valid_until"] = _("De einddatum ligt voor de begindatum.")
        elif (end - start).days > longest:
            errors["valid_until"] = _(
                "Voor deze doelen geldt toestemming hoogstens %(days)d dagen. Kies een eerdere "
                "einddatum; daarna kunt u de toestemming vernieuwen."
            ) % {"days": longest}
        elif end < timezone.localdate():
            errors["valid_until"] = _("De einddatum ligt in het verleden.")
    if start and given_by in GivenBy.values and "given_by" not in errors:
        for purpose in purpose_objs:
            problem = giver_problem(person, purpose, given_by, max(start, timezone.localdate()))
            if problem is not None:
                errors["given_by"] = render_all([problem])[0]
                break
    note = clean_text(note, errors, "note")
    if renews is not None and (
        renews.person_id != person.pk or renews.organisation_id != actor.organisation_id
    ):
        errors["renews"] = _("Een vernieuwing hoort bij een toestemming van dezelfde persoon.")
    if status not in (Consent.Status.REQUESTED, Consent.Status.GIVEN):
        errors["status"] = _("Een nieuwe toestemming is gevraagd of gegeven.")
    details = {}
    if status == Consent.Status.GIVEN:
        details = _given_details(
            person=person,
            given_by=given_by,
            method=method,
            evidence=evidence,
            understanding_checks=understanding_checks,
            understanding_note=understanding_note,
            errors=errors,
            evidence_file=evidence_file,
        )
    raise_if(errors)
    with transaction.atomic():
        consent = Consent.objects.create(
            person=person,
            organisation=actor.organisation,
            given_by=given_by,
            given_by_name=given_by_name,
            purposes=[p.key for p in purpose_objs],
            data_categories=categories,
            recipient_kinds=kinds,
            valid_from=start,
            valid_until=end,
            note=note,
            renews=renews,
            config_version=config.version,
            recorded_by=actor,
        )
        consent.recipient_organisations.set(organisations)
        if status == Consent.Status.GIVEN:
            _consent_event(consent, Consent.Status.REQUESTED, actor)
            _consent_event(consent, Consent.Status.GIVEN, actor, **details)
        else:
            _consent_event(consent, Consent.Status.REQUESTED, actor)
        _recorded(actor, person, "consent", "create")
    return consent


def _locked_consent(actor, consent) -> Consent:
    ensure_can(actor, "consent.record")
    if consent.organisation_id != actor.organisation_id:
        raise PermissionDenied("consent.organisation")
    return (
        Consent.objects.select_for_update()
        .select_related("person")
        .prefetch_related("events")
        .get(pk=consent.pk)
    )


def _transition_error(current: str) -> ValidationError:
    label = Consent.Status(current).label if current in Consent.Status.values else current
    return ValidationError(
        {
            "status": _("Dat kan niet bij een toestemming met status ‘%(status)s’.")
            % {"status": label}
        }
    )


def consent_give(
    *,
    actor: Membership,
    consent: Consent,
    method: str,
    evidence: str,
    understanding_checks,
    understanding_note: str = "",
    note: str = "",
    evidence_file=None,
) -> Consent:
    """A requested consent is given."""
    with transaction.atomic():
        current = _locked_consent(actor, consent)
        status = consent_status_at(current, timezone.now())
        if status != Consent.Status.REQUESTED:
            raise _transition_error(status)
        errors: dict = {}
        details = _given_details(
            person=current.person,
            given_by=current.given_by,
            method=method,
            evidence=evidence,
            understanding_checks=understanding_checks,
            understanding_note=understanding_note,
            errors=errors,
            evidence_file=evidence_file,
        )
        note = clean_text(note, errors, "note")
        if local_date(timezone.now()) > current.valid_until:
            errors["valid_until"] = _("Deze vraag om toestemming is verlopen. Vraag opnieuw.")
        raise_if(errors)
        _consent_event(current, Consent.Status.GIVEN, actor, note=note, **details)
        _recorded(actor, current.person, "consent", "update")
    return current


def consent_refuse(*, actor: Membership, consent: Consent, note: str = "") -> Consent:
    """The person (or representative) says no to a requested consent."""
    with transaction.atomic():
        current = _locked_consent(actor, consent)
        status = consent_status_at(current, timezone.now())
        if status != Consent.Status.REQUESTED:
            raise _transition_error(status)
        errors: dict = {}
        note = clean_text(note, errors, "note")
        raise_if(errors)
        _consent_event(current, Consent.Status.REFUSED, actor, note=note)
        _recorded(actor, current.person, "consent", "update")
    return current


def consent_withdraw(*, actor: Membership, consent: Consent, note: str = "") -> Consent:
    """Withdraw a consent. Takes effect at once: from this moment the gate refuses it."""
    with transaction.atomic():
        current = _locked_consent(actor, consent)
        status = consent_status_at(current, timezone.now())
        if status not in (Consent.Status.GIVEN, Consent.Status.REQUESTED):
            raise _transition_error(status)
        errors: dict = {}
        note = clean_text(note, errors, "note")
        raise_if(errors)
        _consent_event(current, Consent.Status.WITHDRAWN, actor, note=note)
        _recorded(actor, current.person, "consent", "update")
    return current


def consent_renew(
    *,
    actor: Membership,
    consent: Consent,
    valid_until,
    method: str,
    evidence: str,
    understanding_checks,
    understanding_note: str = "",
    note: str = "",
    evidence_file=None,
) -> Consent:
    """Renew a given or expired consent: a new record with the same scope from today, given
    again (with evidence); the old one gets the status "renewed"."""
    with transaction.atomic():
        current = _locked_consent(actor, consent)
        status = consent_status_at(current, timezone.now())
        if status not in (Consent.Status.GIVEN, Consent.Status.EXPIRED):
            raise _transition_error(status)
        renewal = consent_record(
            actor=actor,
            person=current.person,
            given_by=current.given_by,
            given_by_name=current.given_by_name,
            purposes=current.purposes,
            data_categories=current.data_categories,
            recipient_organisations=list(current.recipient_organisations.all()),
            recipient_kinds=current.recipient_kinds,
            valid_from=timezone.localdate(),
            valid_until=valid_until,
            method=method,
            evidence=evidence,
            understanding_checks=understanding_checks,
            understanding_note=understanding_note,
            note=note,
            renews=current,
            evidence_file=evidence_file,
        )
        _consent_event(current, Consent.Status.RENEWED, actor, note=str(renewal.public_id))
    return renewal


def consents_expire_due(*, at: datetime.datetime | None = None) -> int:
    """Append an "expired" event to given consents past their end date (history only: the gate
    already treats them as expired from the first day after `valid_until`)."""
    at = at or timezone.now()
    today = local_date(at)
    expired = 0
    candidates = Consent.objects.filter(valid_until__lt=today).prefetch_related("events")
    for consent in candidates.iterator(chunk_size=500):
        events = list(consent.events.all())
        if events and events[-1].status == Consent.Status.GIVEN:
            with transaction.atomic():
                _consent_event(consent, Consent.Status.EXPIRED, None, at=at)
                _recorded(None, consent.person, "consent", "update")
            expired += 1
    return expired
