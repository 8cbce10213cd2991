"""Writes of the privacy capability: the processing log, and lawful sharing (the gate
`sharing_basis_for`, consent records, agreements, decisions of the decision aid, privacy settings
and requests of data subjects). Retention lives in retention.py."""

import datetime
import logging
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.accounts.models import Membership, Organisation
from schakel.accounts.permissions import can, ensure_can

from .chain import FIELDS, GENESIS, audit_digest, entry_digest
from .decision_aid import advise, clean_answers
from .log_writer import append_entries
from .models import (
    REPRESENTATIVES,
    Agreement,
    AgreementEvent,
    Consent,
    ConsentEvent,
    ConsentEvidence,
    GivenBy,
    LogChainHead,
    PrivacyProfile,
    ProcessingEntry,
    SharingBasis,
    SharingDecision,
    SubjectRequest,
    SubjectRequestEvent,
)
from .reasons import render_all
from .register import processing_register
from .rules import (
    SharingNotAllowed,
    agreement_ended_at,
    consent_status_at,
    evaluate_sharing,
    giver_problem,
    latest_decision,
    local_date,
    meldrecht_applies,
)
from .sharing_config import sharing_config
from .trace import current_trace_id, new_span_id

SYSTEM_ROLE = "system"


def _subject_pseudonym(subject) -> str:
    if isinstance(subject, str):
        return subject
    from schakel.people.pseudonyms import log_pseudonym

    return log_pseudonym(subject)


def processing_record_many(
    *,
    actor,
    subjects,
    activity: str,
    operation: str = "",
    outcome: str = ProcessingEntry.Outcome.OK,
    operations=None,
    head=None,
) -> list[ProcessingEntry]:
    """Append one entry per subject to the processing log, in one locked step.

    `actor` is a Membership (or None for the system); each subject is a Person or a log
    pseudonym. `operations`, when given, holds one operation per subject (in the same order)
    instead of the one `operation` for all: several kinds of processing of one request then
    cost one locked step. Runs inside the caller's transaction when there is one, so the
    entries and the change they record commit together. `head` is the chain head as the caller
    read and locked it earlier in this transaction (`log_writer.head_lock_sql`).
    """
    register = processing_register()
    register.get(activity)
    subjects = list(subjects)
    ops = list(operations) if operations is not None else [operation] * len(subjects)
    if len(ops) != len(subjects):
        raise ValueError("give one operation per subject")
    for op in set(ops) if operations is not None else {operation}:
        if op not in ProcessingEntry.Operation.values:
            raise ValueError(f"unknown operation '{op}'")
    pseudonyms = [_subject_pseudonym(subject) for subject in subjects]
    if not pseudonyms:
        return []
    common = {
        "trace_id": current_trace_id(),
        "activity": activity,
        "register_version": register.version,
        "operation": ops[0],
        "organisation_id": actor.organisation_id if actor else None,
        "role": actor.role if actor else SYSTEM_ROLE,
        "occurred_at": timezone.now(),
        "outcome": outcome,
    }
    user_id = actor.user_id if actor else None
    return append_entries(
        common,
        [(p, new_span_id(), op) for p, op in zip(pseudonyms, ops, strict=True)],
        user_id,
        head=head,
    )


def processing_record(
    *,
    actor,
    subject,
    activity: str,
    operation: str,
    outcome: str = ProcessingEntry.Outcome.OK,
) -> ProcessingEntry:
    """Append one entry to the processing log (see `processing_record_many`)."""
    return processing_record_many(
        actor=actor, subjects=[subject], activity=activity, operation=operation, outcome=outcome
    )[0]


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    problem: str = ""
    seq: int | None = None


def processing_log_verify(*, chunk_size: int = 5000) -> ChainReport:
    """Walk the whole chain in order; report the first entry that was edited, inserted or lost."""
    expected_prev = GENESIS
    expected_seq = 1
    checked = 0
    rows = (
        ProcessingEntry.objects.order_by("seq")
        .values(*FIELDS, "entry_hash", "audit__user_id", "audit__audit_hash")
        .iterator(chunk_size=chunk_size)
    )
    for row in rows:
        seq = row["seq"]
        if seq != expected_seq:
            return ChainReport(False, checked, f"entry {expected_seq} is missing", expected_seq)
        if row["prev_hash"] != expected_prev:
            return ChainReport(False, checked, f"entry {seq} does not follow its predecessor", seq)
        if entry_digest(row) != row["entry_hash"]:
            return ChainReport(False, checked, f"entry {seq} was changed", seq)
        audit_hash = audit_digest(row["entry_hash"], row["audit__user_id"])
        if row["audit__audit_hash"] != audit_hash:
            return ChainReport(False, checked, f"audit entry of entry {seq} was changed", seq)
        expected_prev = row["entry_hash"]
        expected_seq += 1
        checked += 1
    head = LogChainHead.objects.filter(pk=1).first() or LogChainHead(seq=0, last_hash=GENESIS)
    if head.seq != checked or head.last_hash != expected_prev:
        return ChainReport(
            False, checked, f"entries after {checked} are missing (head at {head.seq})", checked + 1
        )
    return ChainReport(True, checked)


# == lawful sharing ==============================================================================

logger = logging.getLogger(__name__)

__all__ = [
    "SharingNotAllowed",
    "sharing_basis_for",
    "processing_record",
    "processing_record_many",
]

OVERRIDE_REASON_MIN = 20
TEXT_MAX = 4000
AGREEMENT_MAX_DAYS = 1826


def _actor_role(actor) -> str:
    return actor.role if actor else SYSTEM_ROLE


def _ensure_person_of(actor: Membership, person) -> None:
    """Consent, decisions and requests are kept by the organisation that holds the person."""
    if person is None or person.owner_organisation_id != actor.organisation_id:
        raise PermissionDenied("person.owner")


def _as_date(value, errors: dict, field: str, *, required: bool = True):
    if value in (None, ""):
        if required:
            errors[field] = _("Vul een datum in.")
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        errors[field] = _("Vul een geldige datum in, bijvoorbeeld 2026-11-24.")
        return None


def _text(value, errors: dict, field: str, *, required: bool = False, limit: int = TEXT_MAX):
    value = (value or "").strip()
    if required and not value:
        errors[field] = _("Vul dit in.")
    elif len(value) > limit:
        errors[field] = _("Gebruik hier hoogstens %(limit)d tekens.") % {"limit": limit}
    return value


def _purposes(keys, errors: dict, field: str = "purposes") -> list:
    config = sharing_config()
    keys = list(dict.fromkeys(keys or []))
    if not keys:
        errors[field] = _("Kies minstens één doel.")
        return []
    unknown = [k for k in keys if k not in config.purposes]
    if unknown:
        errors[field] = _("Onbekend doel: %(keys)s.") % {"keys": ", ".join(map(str, unknown))}
        return []
    return [config.purposes[k] for k in keys]


def _categories(keys, purposes, errors: dict, field: str = "data_categories") -> list[str]:
    """Known categories that belong to at least one of `purposes` (data minimisation)."""
    config = sharing_config()
    keys = list(dict.fromkeys(keys or []))
    if not keys:
        errors[field] = _("Kies welke gegevens het betreft.")
        return []
    unknown = [k for k in keys if k not in config.data_categories]
    if unknown:
        errors[field] = _("Onbekende gegevens: %(keys)s.") % {"keys": ", ".join(map(str, unknown))}
        return []
    if purposes:
        allowed = {c for p in purposes for c in p.data_categories}
        outside = [k for k in keys if k not in allowed]
        if outside:
            errors[field] = _(
                "Deze gegevens horen niet bij de gekozen doelen: %(labels)s. "
                "Kies alleen wat nodig is."
            ) % {"labels": ", ".join(config.category_labels(outside))}
    return keys


def _recorded(actor, person, activity: str, operation: str, outcome: str = "ok"):
    return processing_record(
        actor=actor, subject=person, activity=activity, operation=operation, outcome=outcome
    )


# -- the gate ------------------------------------------


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


def sharing_basis_for(
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
    """
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
    basis_def = config.basis(legal_basis)
    from schakel.people.pseudonyms import log_pseudonym

    with transaction.atomic():
        basis = SharingBasis.objects.create(
            person=person,
            subject_pseudonym=log_pseudonym(person),
            sender=actor.organisation,
            recipient=recipient,
            purpose=purpose_obj.key,
            data_categories=categories,
            kind=kind,
            legal_basis=basis_def.key,
            legal_basis_label=basis_def.name["nl"],
            articles=list(basis_def.articles),
            consent=evaluation.consent,
            agreement=evaluation.agreement,
            decision=evaluation.decision,
            override_reason=override_reason if kind == SharingBasis.Kind.OVERRIDE else "",
            on_behalf_of_organisation=bool(on_behalf_of_organisation),
            config_version=config.version,
            created_by=actor,
            created_by_role=actor.role,
            created_at=at,
        )
        if kind != SharingBasis.Kind.OWN:
            _recorded(actor, person, purpose_obj.activity, "share")
        if kind == SharingBasis.Kind.OVERRIDE:
            _recorded(actor, person, "sharing_decision", "share")
    if kind == SharingBasis.Kind.OVERRIDE:
        from .tasks import notify_override

        transaction.on_commit(lambda: notify_override(basis.pk))
    return basis


def sender_shown_to_recipient(basis: SharingBasis) -> dict:
    """Who the recipient sees as the sender: "op domicilie" hides the professional's name."""
    membership = basis.created_by
    from schakel.accounts.models import Role

    function = Role(basis.created_by_role).label if basis.created_by_role in Role.values else ""
    shown = {"organisation": basis.sender.name, "function": str(function), "name": ""}
    if not basis.on_behalf_of_organisation and membership is not None:
        shown["name"] = membership.user.full_name or membership.user.email
    return shown


# -- privacy settings of an organisation ------------------------------------------


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
        changes["privacy_officer_name"] = _text(
            privacy_officer_name, errors, "privacy_officer_name", limit=200
        )
        email = (privacy_officer_email or "").strip().lower()
        if email:
            from django.core.validators import validate_email

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
    if errors:
        raise ValidationError(errors)
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


# -- consent ------------------------------------------


def _consent_event(consent, status, actor, **details) -> ConsentEvent:
    evidence_file = details.pop("evidence_file", None)
    event = ConsentEvent.objects.create(
        consent=consent, status=status, by=actor, by_role=_actor_role(actor), **details
    )
    if evidence_file is not None:
        _evidence_store(event, evidence_file, actor)
    return event


# -- evidence files (a signed form, a scan) ----------------------------------------------------

EVIDENCE_TYPES = {  # content type: (extensions, how the file starts)
    "application/pdf": ((".pdf",), (b"%PDF-",)),
    "image/png": ((".png",), (b"\x89PNG\r\n\x1a\n",)),
    "image/jpeg": ((".jpg", ".jpeg"), (b"\xff\xd8\xff",)),
}


@dataclass(frozen=True)
class EvidenceFile:
    name: str
    content_type: str
    data: bytes


def _clean_evidence_file(upload, errors: dict, field: str = "evidence_file"):
    """Check an uploaded file (Django UploadedFile or any object with .name and .read()).

    Only PDF, PNG and JPEG, recognised by their first bytes (not by what the browser says), and
    not larger than SCHAKEL_CONSENT_EVIDENCE_MAX_BYTES."""
    import os.path
    import unicodedata

    from django.conf import settings

    if upload is None:
        return None
    limit = settings.SCHAKEL_CONSENT_EVIDENCE_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        errors[field] = _("Het bestand is te groot: hoogstens %(mb)s MB.") % {
            "mb": limit // (1024 * 1024)
        }
        return None
    data = upload.read(limit + 1)
    if not data:
        errors[field] = _("Het bestand is leeg.")
        return None
    if len(data) > limit:
        errors[field] = _("Het bestand is te groot: hoogstens %(mb)s MB.") % {
            "mb": limit // (1024 * 1024)
        }
        return None
    base = os.path.basename((upload.name or "").replace("\\", "/"))
    base = "".join(c for c in unicodedata.normalize("NFC", base) if c.isprintable())[:150]
    extension = os.path.splitext(base)[1].lower()
    for content_type, (extensions, magics) in EVIDENCE_TYPES.items():
        if data.startswith(magics):
            if extension not in extensions:
                base = f"{os.path.splitext(base)[0] or 'bewijs'}{extensions[0]}"[-150:]
            return EvidenceFile(name=base, content_type=content_type, data=data)
    errors[field] = _("Dit soort bestand kan niet. Kies een PDF, PNG of JPEG (een scan of foto).")
    return None


def _evidence_store(event: ConsentEvent, evidence: EvidenceFile, actor) -> ConsentEvidence:
    import hashlib

    from schakel.people.crypto import encrypt_bytes

    record = ConsentEvidence(
        event=event,
        file_name=evidence.name,
        content_type=evidence.content_type,
        size=len(evidence.data),
        sha256=hashlib.sha256(evidence.data).hexdigest(),
        uploaded_by=actor,
    )
    record.content = encrypt_bytes(evidence.data, aad=record.aad())
    record.save()
    return record


def consent_keys_rotate(*, batch_size: int = 100) -> int:
    """Re-encrypt what consents hold encrypted (the representative's name and the evidence
    files) when it is not on the current person key (the same key ring as
    people.services.person_keys_rotate, which the command runs first). Resumable; returns how
    many consents and files were re-encrypted."""
    from django.db.models import TextField
    from django.db.models.functions import Cast

    from schakel.people import crypto

    current, _ring = crypto.key_ring()
    prefix = f"{crypto.PREFIX}:{current}:"
    rotated = 0
    for model in (Consent, ConsentEvidence):
        last_pk = 0
        while True:
            with transaction.atomic():
                if model is Consent:
                    rows = list(
                        Consent.objects.select_for_update()
                        .filter(pk__gt=last_pk)
                        .annotate(raw=Cast("given_by_name", output_field=TextField()))
                        .order_by("pk")
                        .values_list("pk", "raw")[:batch_size]
                    )
                    for pk, raw in rows:
                        if raw and not raw.startswith(prefix):
                            # update() encrypts the plaintext again, now with the current key.
                            Consent.objects.filter(pk=pk).update(given_by_name=crypto.decrypt(raw))
                            rotated += 1
                    pks = [pk for pk, _raw in rows]
                else:
                    files = list(
                        ConsentEvidence.objects.select_for_update()
                        .filter(pk__gt=last_pk)
                        .order_by("pk")[:batch_size]
                    )
                    for row in files:
                        if bytes(row.content).startswith(prefix.encode()):
                            continue
                        data = crypto.decrypt_bytes(row.content, aad=row.aad())
                        ConsentEvidence.objects.filter(pk=row.pk).update(
                            content=crypto.encrypt_bytes(data, aad=row.aad())
                        )
                        rotated += 1
                    pks = [row.pk for row in files]
            if len(pks) < batch_size:
                break
            last_pk = pks[-1]
    return rotated


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
    evidence = _text(evidence, errors, "evidence", required=attached is None, limit=1000)
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
    note = _text(understanding_note, errors, "understanding_note", limit=1000)
    return {
        "method": method,
        "evidence": evidence,
        "understanding_checks": checks,
        "understanding_note": note,
        "evidence_file": attached,
    }


def consent_record(  # noqa: C901 - to be split
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
    given_by_name = _text(given_by_name, errors, "given_by_name", limit=200)
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
    start = _as_date(valid_from, errors, "valid_from")
    end = _as_date(valid_until, errors, "valid_until")
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
    note = _text(note, errors, "note")
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
    if errors:
        raise ValidationError(errors)
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
        note = _text(note, errors, "note")
        if local_date(timezone.now()) > current.valid_until:
            errors["valid_until"] = _("Deze vraag om toestemming is verlopen. Vraag opnieuw.")
        if errors:
            raise ValidationError(errors)
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
        note = _text(note, errors, "note")
        if errors:
            raise ValidationError(errors)
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
        note = _text(note, errors, "note")
        if errors:
            raise ValidationError(errors)
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


# -- agreements (convenanten) ------------------------------------------


def agreement_create(
    *,
    actor: Membership,
    title: str,
    parties,
    purposes: list[str],
    data_categories: list[str],
    valid_from,
    valid_until,
    reference: str = "",
    note: str = "",
) -> Agreement:
    """Record an agreement between the actor's organisation and at least one other."""
    ensure_can(actor, "agreement.manage")
    errors: dict = {}
    title = _text(title, errors, "title", required=True, limit=200)
    reference = _text(reference, errors, "reference", limit=100)
    note = _text(note, errors, "note")
    parties = list({party.pk: party for party in parties or []}.values())
    if actor.organisation_id not in {p.pk for p in parties}:
        parties.append(actor.organisation)
    if len(parties) < 2:
        errors["parties"] = _("Kies minstens één andere organisatie.")
    elif any(not p.is_active for p in parties):
        errors["parties"] = _("Kies alleen organisaties die meedoen.")
    purpose_objs = _purposes(purposes, errors)
    categories = _categories(data_categories, purpose_objs, errors)
    start = _as_date(valid_from, errors, "valid_from")
    end = _as_date(valid_until, errors, "valid_until")
    if start and end:
        if end < start:
            errors["valid_until"] = _("De einddatum ligt voor de begindatum.")
        elif (end - start).days > AGREEMENT_MAX_DAYS:
            errors["valid_until"] = _(
                "Een convenant geldt hoogstens 5 jaar. Spreek daarna opnieuw af."
            )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        agreement = Agreement.objects.create(
            title=title,
            reference=reference,
            purposes=[p.key for p in purpose_objs],
            data_categories=categories,
            valid_from=start,
            valid_until=end,
            note=note,
            created_by=actor,
        )
        agreement.parties.set(parties)
        AgreementEvent.objects.create(
            agreement=agreement, kind=AgreementEvent.Kind.CREATED, by=actor
        )
    return agreement


def agreement_end(*, actor: Membership, agreement: Agreement, note: str = "") -> Agreement:
    """End an agreement now (before its end date). From this moment it is no basis."""
    ensure_can(actor, "agreement.manage")
    if not agreement.parties.filter(pk=actor.organisation_id).exists():
        raise PermissionDenied("agreement.party")
    errors: dict = {}
    note = _text(note, errors, "note", required=True)
    if errors:
        errors["note"] = _("Schrijf op waarom het convenant stopt.")
        raise ValidationError(errors)
    with transaction.atomic():
        current = Agreement.objects.select_for_update().get(pk=agreement.pk)
        now = timezone.now()
        if agreement_ended_at(current, now) is not None or local_date(now) > current.valid_until:
            raise ValidationError({"agreement": _("Dit convenant geldt al niet meer.")})
        AgreementEvent.objects.create(
            agreement=current, kind=AgreementEvent.Kind.ENDED, by=actor, note=note
        )
    return current


# -- the decision aid ------------------------------------------


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
    explanation = _text(explanation, errors, "explanation", required=True)
    if "explanation" in errors and not explanation:
        errors["explanation"] = _("Leg in uw eigen woorden uit waarom u dit wilt delen.")
    case_reference = _text(case_reference, errors, "case_reference", limit=64)
    if errors:
        raise ValidationError(errors)
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


# -- requests of data subjects ------------------------------------------


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the last day of the month when that day does not exist."""
    import calendar

    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


SUBJECT_REQUEST_TRANSITIONS = {
    SubjectRequest.Status.RECEIVED: {
        SubjectRequest.Status.IN_PROGRESS,
        SubjectRequest.Status.EXTENDED,
        SubjectRequest.Status.DONE,
        SubjectRequest.Status.REFUSED,
    },
    SubjectRequest.Status.IN_PROGRESS: {
        SubjectRequest.Status.EXTENDED,
        SubjectRequest.Status.DONE,
        SubjectRequest.Status.REFUSED,
    },
    SubjectRequest.Status.EXTENDED: {SubjectRequest.Status.DONE, SubjectRequest.Status.REFUSED},
    SubjectRequest.Status.DONE: set(),
    SubjectRequest.Status.REFUSED: set(),
}


def subject_request_register(
    *,
    actor: Membership,
    person,
    kind: str,
    requested_by: str,
    received_on,
    description: str = "",
) -> SubjectRequest:
    """Register a request for access, correction, restriction or erasure. The deadline is one
    month after receipt (AVG art. 12(3))."""
    ensure_can(actor, "privacy.requests")
    _ensure_person_of(actor, person)
    errors: dict = {}
    if kind not in SubjectRequest.Kind.values:
        errors["kind"] = _("Kies het soort verzoek.")
    if requested_by not in GivenBy.values:
        errors["requested_by"] = _("Kies wie het verzoek doet.")
    received = _as_date(received_on, errors, "received_on")
    if received and received > timezone.localdate():
        errors["received_on"] = _("Deze datum ligt in de toekomst.")
    description = _text(description, errors, "description")
    if errors:
        raise ValidationError(errors)
    from schakel.people.pseudonyms import log_pseudonym

    with transaction.atomic():
        request = SubjectRequest.objects.create(
            person=person,
            subject_pseudonym=log_pseudonym(person),
            organisation=actor.organisation,
            kind=kind,
            requested_by=requested_by,
            received_on=received,
            deadline=add_months(received, 1),
            description=description,
            created_by=actor,
        )
        SubjectRequestEvent.objects.create(
            request=request, status=SubjectRequest.Status.RECEIVED, by=actor
        )
        _recorded(actor, person, "subject_rights", "create")
    return request


def subject_request_status(request: SubjectRequest) -> str:
    events = list(request.events.all())
    return events[-1].status if events else SubjectRequest.Status.RECEIVED


def subject_request_update(
    *, actor: Membership, request: SubjectRequest, status: str, note: str = ""
) -> SubjectRequest:
    """Move a request on. Extending adds two months to the deadline (AVG art. 12(3)) and needs a
    reason; refusing needs a reason too."""
    ensure_can(actor, "privacy.requests")
    if request.organisation_id != actor.organisation_id:
        raise PermissionDenied("privacy.requests")
    errors: dict = {}
    note = _text(note, errors, "note")
    with transaction.atomic():
        current = (
            SubjectRequest.objects.select_for_update().prefetch_related("events").get(pk=request.pk)
        )
        now_status = subject_request_status(current)
        if status not in SUBJECT_REQUEST_TRANSITIONS.get(now_status, set()):
            errors["status"] = _("Deze stap kan nu niet.")
        if status in (SubjectRequest.Status.EXTENDED, SubjectRequest.Status.REFUSED) and not note:
            errors["note"] = _("Schrijf de reden op; de betrokkene krijgt die te horen.")
        if errors:
            raise ValidationError(errors)
        deadline = None
        if status == SubjectRequest.Status.EXTENDED:
            deadline = add_months(current.received_on, 3)
            SubjectRequest.objects.filter(pk=current.pk).update(deadline=deadline)
            current.deadline = deadline
        SubjectRequestEvent.objects.create(
            request=current, status=status, by=actor, note=note, deadline=deadline
        )
        if current.person_id:
            _recorded(actor, current.person, "subject_rights", "update")
    return current
