"""Writes of the signal index: register (or renew), withdraw, expire, the lead agreement after a
match, inviting the other side into a case, the bulk import, the archive's retention, and key
rotation.

The index reveals one thing across organisations: that another organisation is involved with
the same person, with its domain and a contact. That is what the index is for (its processing
activity "signal_index" in the register); no content crosses here. Content only crosses when the
lead invites the other side into a case, through `schakel.cases.services.case_member_add`, which
passes the privacy gate itself.
"""

import datetime
import re
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.accounts.models import Membership, Organisation
from schakel.accounts.permissions import ensure_can
from schakel.core.validation import clean_date
from schakel.people.pseudonyms import Identifiers, log_pseudonym_of
from schakel.people.validators import normalise_bsn, validate_bsn, validate_date_of_birth
from schakel.privacy.services import processing_record_many

from . import hotpath, keys
from .models import (
    ContextKind,
    EndReason,
    SignalAttempt,
    SignalMatch,
    SignalPseudonym,
    SignalRegistration,
)
from .reasons import reason_keys

ACTIVITY = "signal_index"
AGE_LIMIT = 23
IMPORT_BATCH = 2000
ROTATE_BATCH = 5000
PHONE = re.compile(r"^\+?[0-9 ()\-]{6,25}$")

NOT_A_TRANSFER = {
    "signal_match_seen": "marks a match as seen by the own organisation; nothing leaves it",
    "signal_match_lead_propose": (
        "records 'we take the lead' between the two organisations of a match; it reveals only "
        "what the match already showed (organisation and contact), which is the point of the index"
    ),
    "signal_match_lead_answer": "records the answer to a lead proposal; no personal data moves",
    "signal_match_case_invite": (
        "the invitation is cases.services.case_member_add, which passes the privacy gate "
        "(sharing_basis_create) itself; this function adds nothing to what crosses"
    ),
}


class RateLimited(Exception):
    """Too many registrations by this user (per hour) or organisation (per day)."""

    def __init__(self, message: str, *, retry_after: int):
        self.message = message
        self.retry_after = retry_after
        super().__init__(message)


@dataclass
class RegisterResult:
    registration: SignalRegistration
    renewed: bool
    matches: list[SignalMatch] = field(default_factory=list)
    new_matches: list[SignalMatch] = field(default_factory=list)


# -- helpers ----------------------------------------------------------------------------------


def _today(today=None) -> datetime.date:
    return today or timezone.localdate()


def log_subject(registration: SignalRegistration):
    """The person the registration came from, or the registration's own log pseudonym."""
    person_public_id = getattr(registration, "person_public_id", None)
    if person_public_id is not None:  # annotated: no need to load (and decrypt) the person
        return log_pseudonym_of(person_public_id)
    if registration.person_id:
        return registration.person
    return keys.log_subject(registration.public_id)


def _log(actor, registrations, operation: str, *, also=(), head=None) -> None:
    """Log `operation` for each registration, then each (registration, operation) of `also`,
    in one locked step of the processing log (`head`: the chain head, when this transaction
    locked it already)."""
    items = [(r, operation) for r in registrations] + list(also)
    processing_record_many(
        actor=actor,
        subjects=[log_subject(r) for r, _op in items],
        activity=ACTIVITY,
        operations=[op for _r, op in items],
        head=head,
    )


def _birthday(dob: datetime.date, years: int) -> datetime.date:
    try:
        return dob.replace(year=dob.year + years)
    except ValueError:  # 29 February in a year without one: the day after 28 February
        return datetime.date(dob.year + years, 3, 1)


def end_date(*, start: datetime.date, date_of_birth: datetime.date | None) -> tuple:
    """(ends_on, why): the term after `start`, or the 23rd birthday when that comes first."""
    term = start + datetime.timedelta(days=settings.SCHAKEL_SIGNAL_RETENTION_DAYS)
    if date_of_birth is not None:
        limit = _birthday(date_of_birth, AGE_LIMIT)
        if limit < term:
            return limit, EndReason.AGE_LIMIT
    return term, EndReason.EXPIRED


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


_as_date = partial(clean_date, example="2009-03-14")


def clean_identifiers(
    *, bsn="", surname="", given_names="", birth_date=None, today=None
) -> Identifiers:
    """Check what was typed: a BSN (elfproef), or surname, given names and date of birth.
    Raises ValidationError naming each field that is wrong or missing."""
    errors: dict = {}
    bsn = normalise_bsn(bsn)
    surname = (surname or "").strip()
    given_names = (given_names or "").strip()
    dob = _as_date(birth_date, errors, "birth_date")
    if bsn:
        try:
            validate_bsn(bsn)
        except ValidationError as error:
            errors["bsn"] = error.messages
    if dob is not None and "birth_date" not in errors:
        try:
            validate_date_of_birth(dob, today=today)
        except ValidationError as error:
            errors["birth_date"] = error.messages
    named = bool(surname or given_names or dob or "birth_date" in errors)
    if not bsn and not named:
        errors["bsn"] = _("Vul een BSN in, of achternaam, voornamen en geboortedatum.")
    elif named or not bsn:
        missing = _("Vul dit in, of laat naam en geboortedatum helemaal leeg en vul een BSN in.")
        if not bsn:
            missing = _(
                "Vul dit in (zonder BSN zijn achternaam, voornamen en geboortedatum nodig)."
            )
        if not surname:
            errors["surname"] = missing
        if not given_names:
            errors["given_names"] = missing
        if dob is None and "birth_date" not in errors:
            errors["birth_date"] = missing
    _raise(errors)
    return Identifiers(bsn=bsn, surname=surname, given_names=given_names, date_of_birth=dob)


def _identifiers_of_person(person) -> Identifiers:
    ids = Identifiers(
        bsn=normalise_bsn(person.bsn or ""),
        surname=person.surname or "",
        given_names=person.given_names or "",
        date_of_birth=person.date_of_birth,
    )
    if not keys.first_versions(ids):
        raise ValidationError(
            {
                "context": _(
                    "Van deze persoon zijn geen BSN en geen achternaam met geboortedatum bekend. "
                    "Vul die eerst aan bij de persoon."
                )
            }
        )
    return ids


@dataclass(frozen=True)
class Context:
    kind: str
    ref: str
    person: object = None
    case: object = None


def resolve_context(*, actor: Membership, context: str) -> Context:
    """'case:<id>' (a case the actor sees the person of), 'assessment:<id>' (a stored screening
    the actor may see), or a reason category key. ValidationError on `context` otherwise."""
    text = (context or "").strip()
    kind, _sep, ref = text.partition(":")
    if kind == "case" and ref:
        from schakel.cases.selectors import case_get_for

        try:
            case = case_get_for(actor=actor, public_id=ref.strip())
        except Http404:
            case = None
        if case is None or not case.access.sees_identity:
            raise ValidationError(
                {"context": _("Kies een casus waarin u de persoon kunt zien.")}
            ) from None
        return Context(ContextKind.CASE, str(case.public_id), person=case.person, case=case)
    if kind == "assessment" and ref:
        from schakel.screening.selectors import assessment_get_for

        try:
            assessment = assessment_get_for(actor=actor, public_id=ref.strip())
        except Http404:
            raise ValidationError(
                {"context": _("Kies een opgeslagen screening van een persoon van uw organisatie.")}
            ) from None
        return Context(ContextKind.ASSESSMENT, str(assessment.public_id), person=assessment.person)
    if text in reason_keys():
        return Context(ContextKind.CATEGORY, text)
    raise ValidationError(
        {
            "context": _(
                "Geef de aanleiding: case:<id>, assessment:<id> of een reden uit de lijst "
                "(bijvoorbeeld zorgen_over_uitbuiting)."
            )
        }
    )


def clean_contact(contact_function, contact_phone, errors: dict) -> tuple[str, str]:
    function = (contact_function or "").strip()
    phone = (contact_phone or "").strip()
    if not function:
        errors["contact_function"] = _("Vul de functie van de contactpersoon in.")
    elif len(function) > 100:
        errors["contact_function"] = _("Gebruik hoogstens 100 tekens.")
    if not phone:
        errors["contact_phone"] = _("Vul een telefoonnummer in waarop u bereikbaar bent.")
    elif not PHONE.fullmatch(phone) or sum(c.isdigit() for c in phone) < 6:
        errors["contact_phone"] = _(
            "Vul een telefoonnummer in met alleen cijfers, spaties, streepjes of een +."
        )
    return function, phone


def _check_rate(counts: tuple[int, int]) -> None:
    """Refuse when the organisation's (last 24 hours) or the user's (last hour) earlier attempts,
    `counts`, reach a limit. Runs inside the registration's transaction: a refusal rolls the
    attempt back with everything else, so refused calls do not count."""
    per_user = settings.SCHAKEL_SIGNAL_RATE_PER_USER_HOUR
    per_org = settings.SCHAKEL_SIGNAL_RATE_PER_ORG_DAY
    org_count, user_count = counts
    if user_count >= per_user:
        raise RateLimited(
            _(
                "U hebt het afgelopen uur al %(n)d keer gemeld. Dat is de grens. Probeer het "
                "over een uur opnieuw, of bel de functioneel beheerder als dit nodig is."
            )
            % {"n": per_user},
            retry_after=3600,
        )
    if org_count >= per_org:
        raise RateLimited(
            _(
                "Uw organisatie heeft de afgelopen 24 uur al %(n)d keer gemeld. Dat is de grens. "
                "Probeer het morgen opnieuw."
            )
            % {"n": per_org},
            retry_after=86400,
        )


def _matches_for(registration: SignalRegistration, others: dict, today, now) -> tuple:
    """After a renewal: create a SignalMatch with each of `others` (active registrations of other
    organisations with the same person) that has none yet. Returns (all matches with active
    others, the new ones, the registrations to log as "share" — the caller logs them with its
    own entry). A new registration gets its matches from `hotpath.lookup_and_insert`
    (PostgreSQL) or `hotpath.insert_new`.

    `others` maps registration id to the registration, as `hotpath.active_with` loaded it."""
    new, shared = [], []
    if others:
        existing = SignalMatch.objects.filter(
            Q(registration_a=registration, registration_b_id__in=list(others))
            | Q(registration_b=registration, registration_a_id__in=list(others))
        ).values_list("registration_a_id", "registration_b_id")
        known = {a if b == registration.pk else b for a, b in existing}
        by_pk = {pk: other for pk, other in others.items() if pk not in known}
        for pk in sorted(by_pk):
            other = by_pk[pk]
            a, b = (other, registration) if other.pk < registration.pk else (registration, other)
            new.append(
                SignalMatch(
                    registration_a=a,
                    registration_b=b,
                    created_at=now,
                    cross_domain=a.domain != b.domain,
                )
            )
        SignalMatch.objects.bulk_create(new)
        if new:
            # Both sides learn of each other: the one fact the index exists to reveal.
            shared = [registration] + [by_pk[pk] for pk in sorted(by_pk)]
    matches = [
        m
        for m in SignalMatch.objects.filter(
            Q(registration_a=registration) | Q(registration_b=registration)
        ).select_related("registration_a__organisation", "registration_b__organisation")
        if (
            m.registration_b if m.registration_a_id == registration.pk else m.registration_a
        ).is_active(today)
    ]
    return matches, new, shared


def _notify(matches: list[SignalMatch]) -> None:
    if not matches:
        return
    ids = [m.pk for m in matches]

    def send():
        from .tasks import signal_match_notify

        signal_match_notify(ids)

    transaction.on_commit(send)


# -- registering ------------------------------------------------------------------------------


def signal_register(
    *,
    actor: Membership,
    context: str,
    identifiers: Identifiers | None = None,
    contact_function: str = "",
    contact_phone: str = "",
    today: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> RegisterResult:
    """Register that the actor's organisation is involved with a person, or renew its own
    registration of that person; then match against other organisations.

    `context` is 'case:<id>', 'assessment:<id>' (the person comes from there) or a reason
    category (then `identifiers` are needed). A contact left empty is the one this professional
    gave last time (`selectors.contact_default_for`). Raises ValidationError naming the field,
    RateLimited over the limits, PermissionDenied without "signal.register".
    """
    ensure_can(actor, "signal.register")
    now = now or timezone.now()
    today = _today(today)
    ctx = resolve_context(actor=actor, context=context)
    errors: dict = {}
    if ctx.person is not None:
        ids = _identifiers_of_person(ctx.person)
    elif identifiers is None:
        raise ValidationError(
            {"bsn": _("Vul een BSN in, of achternaam, voornamen en geboortedatum.")}
        )
    else:
        ids = clean_identifiers(
            bsn=identifiers.bsn,
            surname=identifiers.surname,
            given_names=identifiers.given_names,
            birth_date=identifiers.date_of_birth,
            today=today,
        )
    if not (contact_function or "").strip() or not (contact_phone or "").strip():
        from .selectors import contact_default_for

        last_function, last_phone = contact_default_for(actor=actor)
        contact_function = (contact_function or "").strip() or last_function
        contact_phone = (contact_phone or "").strip() or last_phone
    function, phone = clean_contact(contact_function, contact_phone, errors)
    ends_on, because = end_date(start=today, date_of_birth=ids.date_of_birth)
    if ends_on <= today:
        field_name = "birth_date" if ctx.person is None else "context"
        errors[field_name] = _(
            "Deze persoon is 23 jaar of ouder. De signaleringsindex is voor jongeren tot 23 jaar."
        )
    _raise(errors)
    firsts = keys.first_versions(ids)
    chains = [keys.chain(first) for first in firsts]
    current = [c[-1] for c in chains]
    everything = [value for c in chains for _v, value in c]
    registration = SignalRegistration(
        organisation_id=actor.organisation_id,
        domain=actor.organisation.domain,
        created_by=actor,
        contact_function=function,
        contact_phone=phone,
        context_kind=ctx.kind,
        context_ref=ctx.ref,
        person=ctx.person,
        case=ctx.case,
        started_on=today,
        ends_on=ends_on,
        ends_because=because,
        created_at=now,
    )
    with transaction.atomic():
        counts = hotpath.attempt(actor, now, [value for _v, value in current])
        if hotpath.fused():  # PostgreSQL: counts, lookup, insert and matches in one statement
            step = hotpath.lookup_and_insert(
                registration, current, everything, today, member_id=actor.pk
            )
            hits, head, new, counts = step.hits, step.head, step.matches, step.counts
            renewed = not step.inserted
        else:
            hits, head, new = hotpath.active_with(everything, today), None, []
            renewed = any(r.organisation_id == actor.organisation_id for r in hits)
        _check_rate(counts)
        own = [r.pk for r in hits if r.organisation_id == actor.organisation_id]
        others = {r.pk: r for r in hits if r.organisation_id != actor.organisation_id}
        if renewed:
            registration = SignalRegistration.objects.select_for_update().get(pk=own[0])
            registration.ends_on, registration.ends_because = ends_on, because
            registration.renewed_at = now
            registration.contact_function, registration.contact_phone = function, phone
            registration.version += 1
            if ctx.person is not None and registration.person_id is None:
                registration.person = ctx.person
            if ctx.case is not None and registration.case_id is None:
                registration.case = ctx.case
            registration.save()
            registration.pseudonyms.filter(value__in=everything).delete()
            hotpath.add_pseudonyms(registration, current)
            matches, new, shared = _matches_for(registration, others, today, now)
        else:
            ordered = [others[pk] for pk in sorted(others)]
            if not hotpath.fused():
                new = hotpath.insert_new(registration, current, ordered, now)
            matches = new
            # Both sides learn of each other: the one fact the index exists to reveal.
            shared = [registration, *ordered] if new else []
        _log(
            actor,
            [registration],
            "update" if renewed else "create",
            also=[(r, "share") for r in shared],
            head=head,
        )
        _notify(new)
    return RegisterResult(registration, renewed, matches, new)


def signal_registration_withdraw(
    *, actor: Membership, registration: SignalRegistration, expected_version=None, now=None
) -> SignalRegistration:
    """The owner ends its registration: it stops matching at once and goes to the archive."""
    ensure_can(actor, "signal.register")
    if registration.organisation_id != actor.organisation_id:
        raise Http404
    now = now or timezone.now()
    with transaction.atomic():
        current = SignalRegistration.objects.select_for_update().get(pk=registration.pk)
        if expected_version is not None and int(expected_version) != current.version:
            raise ValidationError(
                {
                    "version": _(
                        "Iemand anders heeft deze melding gewijzigd nadat u haar opende. Er is "
                        "niets ingetrokken. Bekijk de melding opnieuw."
                    )
                }
            )
        if current.ended_at is not None:
            return current
        current.ended_at, current.end_reason = now, EndReason.WITHDRAWN
        current.version += 1
        current.save(update_fields=["ended_at", "end_reason", "version"])
        _log(actor, [current], "update")
    return current


def signal_registrations_expire(*, today=None, now=None) -> int:
    """End every registration whose end date has come (term or 23rd birthday). Matching already
    ignores them (it filters on ends_on); this marks them for the archive and logs it."""
    today = _today(today)
    now = now or timezone.now()
    due = list(
        SignalRegistration.objects.filter(ended_at__isnull=True, ends_on__lte=today)
        .select_related("person")
        .order_by("pk")
    )
    for start in range(0, len(due), IMPORT_BATCH):
        batch = due[start : start + IMPORT_BATCH]
        with transaction.atomic():
            for reason in (EndReason.EXPIRED, EndReason.AGE_LIMIT):
                SignalRegistration.objects.filter(
                    pk__in=[r.pk for r in batch if r.ends_because == reason], ended_at__isnull=True
                ).update(ended_at=now, end_reason=reason)
            _log(None, batch, "update")
    SignalAttempt.objects.filter(at__lt=now - datetime.timedelta(days=2)).delete()
    return len(due)


# -- after a match ----------------------------------------------------------------------------


def _side(actor: Membership, match: SignalMatch) -> str:
    ensure_can(actor, "signal.register")
    side = match.side_of(actor.organisation_id)
    if not side:
        raise Http404
    return side


def signal_match_seen(*, actor: Membership, match: SignalMatch, now=None) -> None:
    side = _side(actor, match)
    name = f"{side}_seen_at"
    if getattr(match, name) is None:
        setattr(match, name, now or timezone.now())
        SignalMatch.objects.filter(pk=match.pk, **{f"{name}__isnull": True}).update(
            **{name: getattr(match, name)}
        )


def signal_match_lead_propose(*, actor: Membership, match: SignalMatch, now=None) -> SignalMatch:
    """'Wij nemen de regie': the actor's side proposes to lead; the other side answers."""
    side = _side(actor, match)
    now = now or timezone.now()
    with transaction.atomic():
        current = SignalMatch.objects.select_for_update().get(pk=match.pk)
        if current.lead_status in (SignalMatch.Lead.PROPOSED, SignalMatch.Lead.ACCEPTED):
            raise ValidationError({"lead": _("Er is al een voorstel of afspraak over de regie.")})
        current.lead_status, current.lead_side = SignalMatch.Lead.PROPOSED, side
        current.lead_proposed_by, current.lead_proposed_at = actor, now
        current.lead_answered_by, current.lead_answered_at = None, None
        current.save()
        _log(actor, [match.own(side)], "update")
    return current


def signal_match_lead_answer(
    *, actor: Membership, match: SignalMatch, accept: bool, now=None
) -> SignalMatch:
    side = _side(actor, match)
    now = now or timezone.now()
    with transaction.atomic():
        current = SignalMatch.objects.select_for_update().get(pk=match.pk)
        if current.lead_status != SignalMatch.Lead.PROPOSED or current.lead_side == side:
            raise ValidationError(
                {"lead": _("Er is geen voorstel van de andere organisatie om te beantwoorden.")}
            )
        current.lead_status = SignalMatch.Lead.ACCEPTED if accept else SignalMatch.Lead.DECLINED
        current.lead_answered_by, current.lead_answered_at = actor, now
        current.save()
        _log(actor, [match.own(side)], "update")
    return current


def cases_to_invite_into(*, actor: Membership, match: SignalMatch) -> list:
    """The open cases of the actor's organisation about the registered person, which the actor
    leads or backs up: the registration's own case, or cases of its person."""
    from schakel.cases.models import Case

    side = match.side_of(actor.organisation_id)
    if not side:
        return []
    own = match.own(side)
    rows = Case.objects.filter(organisation_id=actor.organisation_id, status=Case.Status.OPEN)
    condition = Q(pk=own.case_id) if own.case_id else Q(pk__in=[])
    if own.person_id:
        condition |= Q(person_id=own.person_id)
    return list(
        rows.filter(condition).filter(Q(lead=actor) | Q(backup=actor)).order_by("opened_on")
    )


def signal_match_case_invite(*, actor: Membership, match: SignalMatch, case=None):
    """The side that holds the lead invites the other side's registering professional into its
    case. Raises SharingNotAllowed when the privacy gate refuses (through case_member_add)."""
    from schakel.cases import services as case_services
    from schakel.cases.models import MemberRole

    side = _side(actor, match)
    if match.lead_status != SignalMatch.Lead.ACCEPTED or match.lead_side != side:
        raise ValidationError(
            {"lead": _("Alleen de organisatie met de afgesproken regie kan uitnodigen.")}
        )
    candidates = cases_to_invite_into(actor=actor, match=match)
    if case is None and len(candidates) == 1:
        case = candidates[0]
    if case is None or case.pk not in {c.pk for c in candidates}:
        raise ValidationError(
            {
                "case": _(
                    "Kies een open casus over deze persoon waarvan u regiehouder of achtervang "
                    "bent."
                )
            }
        )
    other = match.other(side)
    membership = other.created_by
    if membership is None or not membership.is_active:
        raise ValidationError(
            {"case": _("De professional die de andere melding deed, werkt daar niet meer.")}
        )
    domain_roles = {
        Organisation.Domain.POLITIE: MemberRole.POLICE,
        Organisation.Domain.ONDERWIJS: MemberRole.EDUCATION,
        Organisation.Domain.GEMEENTE: MemberRole.MUNICIPALITY,
    }
    role = domain_roles.get(other.domain, MemberRole.CAREGIVER)
    return case_services.case_member_add(actor=actor, case=case, membership=membership, role=role)


# -- bulk import ------------------------------------------------------------------------------


class ImportRejected(ValidationError):
    """The file was not imported; `errors` is [(line, field, message)]."""

    def __init__(self, errors: list[tuple[int, str, str]]):
        self.errors = errors
        super().__init__(
            [f"regel {line}: {name}: {message}" for line, name, message in errors[:50]]
        )


@dataclass
class ImportReport:
    rows: int
    created: int
    renewed: int
    matches: int


IMPORT_COLUMNS = (
    "bsn", "surname", "given_names", "birth_date", "context", "contact_function", "contact_phone",
)  # fmt: skip


def _import_row(line, row, *, today, reasons, errors):
    local: dict = {}
    try:
        ids = clean_identifiers(
            bsn=row.get("bsn") or "",
            surname=row.get("surname") or "",
            given_names=row.get("given_names") or "",
            birth_date=row.get("birth_date") or None,
            today=today,
        )
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.append((line, name, " ".join(messages)))
        return None
    context = (row.get("context") or "").strip()
    if context not in reasons:
        local["context"] = _(
            "Gebruik een reden uit de lijst (bijvoorbeeld zorgen_over_uitbuiting)."
        )
    function, phone = clean_contact(row.get("contact_function"), row.get("contact_phone"), local)
    ends_on, because = end_date(start=today, date_of_birth=ids.date_of_birth)
    if ends_on <= today:
        local["birth_date"] = _("Deze persoon is 23 jaar of ouder.")
    for name, message in local.items():
        errors.append((line, name, str(message)))
    if local:
        return None
    return ids, context, function, phone, ends_on, because


def signal_registrations_import(
    *,
    actor: Membership | None,
    rows,
    organisation: Organisation | None = None,
    today: datetime.date | None = None,
    now: datetime.datetime | None = None,
    batch_size: int = IMPORT_BATCH,
) -> ImportReport:
    """Load many registrations of one organisation at once (an existing index, a migration).

    All or nothing: every row is checked first (a reason category is the context; identifiers as
    on the form), errors come back by line number (the header is line 1) and nothing is stored.
    Then in one transaction, in batches: bulk inserts with the pseudonyms computed in Python, a
    processing-log entry per registration, matching against other organisations. A row whose
    person the organisation already registered renews that registration. `actor` None is the
    system (the command), with `organisation` given.
    """
    if actor is not None:
        ensure_can(actor, "signal.register")
        organisation = actor.organisation
    if organisation is None:
        raise ValueError("an organisation is needed")
    today = _today(today)
    now = now or timezone.now()
    reasons = set(reason_keys())
    errors: list = []
    parsed = []
    first_line: dict[str, int] = {}
    for line, row in enumerate(rows, start=2):
        result = _import_row(line, row, today=today, reasons=reasons, errors=errors)
        if result is None:
            continue
        firsts = keys.first_versions(result[0])
        chains = [keys.chain(f) for f in firsts]
        for c in chains:
            earlier = first_line.get(c[0][1])
            if earlier is not None:
                message = _("Dezelfde persoon staat al op regel %(n)d.") % {"n": earlier}
                errors.append((line, "bsn", message))
                break
        else:
            for c in chains:
                first_line[c[0][1]] = line
            parsed.append((result, chains))
    if errors:
        raise ImportRejected(errors)
    if not parsed:
        raise ImportRejected([(1, "", _("Het bestand bevat geen meldingen."))])
    created = renewed = matched = 0
    with transaction.atomic():
        for start in range(0, len(parsed), batch_size):
            c, r, m = _import_batch(
                parsed[start : start + batch_size], actor, organisation, today, now
            )
            created, renewed, matched = created + c, renewed + r, matched + m
    return ImportReport(rows=len(parsed), created=created, renewed=renewed, matches=matched)


def _import_batch(batch, actor, organisation, today, now) -> tuple[int, int, int]:
    all_values = [v for _res, chains in batch for c in chains for _ver, v in c]
    own = dict(
        SignalPseudonym.objects.filter(
            value__in=all_values,
            registration__organisation=organisation,
            registration__ended_at__isnull=True,
            registration__ends_on__gt=today,
        ).values_list("value", "registration_id")
    )
    new_regs, new_chains, renew = [], [], {}
    for (_ids, context, function, phone, ends_on, because), chains in batch:
        hit = next((own[v] for c in chains for _ver, v in c if v in own), None)
        if hit is not None:
            renew[hit] = (ends_on, because, function, phone, chains)
            continue
        new_regs.append(
            SignalRegistration(
                organisation=organisation,
                domain=organisation.domain,
                created_by=actor,
                contact_function=function,
                contact_phone=phone,
                context_kind=ContextKind.CATEGORY,
                context_ref=context,
                started_on=today,
                ends_on=ends_on,
                ends_because=because,
                created_at=now,
            )
        )
        new_chains.append(chains)
    SignalRegistration.objects.bulk_create(new_regs, batch_size=1000)
    if any(r.pk is None for r in new_regs):  # a backend that does not return ids
        by_id = dict(
            SignalRegistration.objects.filter(
                public_id__in=[r.public_id for r in new_regs]
            ).values_list("public_id", "pk")
        )
        for r in new_regs:
            r.pk = by_id[r.public_id]
    SignalPseudonym.objects.bulk_create(
        [
            SignalPseudonym(registration=r, value=c[-1][1], key_version=c[-1][0])
            for r, chains in zip(new_regs, new_chains, strict=True)
            for c in chains
        ],
        batch_size=2000,
    )
    # every version of every value -> the registration of this organisation it belongs to
    owner = {v: r.pk for r, chains in zip(new_regs, new_chains, strict=True) for c in chains
             for _ver, v in c}  # fmt: skip
    renewed = []
    if renew:
        existing = SignalRegistration.objects.in_bulk(list(renew))
        for pk, (ends_on, because, function, phone, chains) in renew.items():
            r = existing[pk]
            r.ends_on, r.ends_because, r.renewed_at = ends_on, because, now
            r.contact_function, r.contact_phone, r.version = function, phone, r.version + 1
            renewed.append(r)
            owner.update({v: pk for c in chains for _ver, v in c})
        SignalRegistration.objects.bulk_update(
            renewed,
            [
                "ends_on",
                "ends_because",
                "renewed_at",
                "contact_function",
                "contact_phone",
                "version",
            ],  # fmt: skip
        )
        # As a renewal on the form: this row's variants are stored anew at the newest key
        # version (a variant the registration lacked, say the BSN, is added).
        SignalPseudonym.objects.filter(
            registration_id__in=list(renew),
            value__in=[v for *_rest, chains in renew.values() for c in chains for _ver, v in c],
        ).delete()
        SignalPseudonym.objects.bulk_create(
            [
                SignalPseudonym(registration_id=pk, value=c[-1][1], key_version=c[-1][0])
                for pk, (*_rest, chains) in renew.items()
                for c in chains
            ]
        )
    if new_regs:
        _log(actor, new_regs, "create")
    if renewed:
        _log(actor, renewed, "update")
    matches = _import_matches(actor, owner, organisation, today, now)
    return len(new_regs), len(renewed), len(matches)


def _import_matches(actor, owner: dict, organisation, today, now) -> list[SignalMatch]:
    others = SignalPseudonym.objects.filter(
        value__in=list(owner), registration__ended_at__isnull=True, registration__ends_on__gt=today
    ).exclude(registration__organisation=organisation)
    pairs = set()
    for value, other_id in others.values_list("value", "registration_id"):
        own_id = owner[value]
        pairs.add((min(own_id, other_id), max(own_id, other_id)))
    if not pairs:
        return []
    existing = set(
        SignalMatch.objects.filter(registration_a_id__in={a for a, _b in pairs}).values_list(
            "registration_a_id", "registration_b_id"
        )
    )
    pairs -= existing
    if not pairs:
        return []
    regs = SignalRegistration.objects.select_related("person").in_bulk(
        {pk for pair in pairs for pk in pair}
    )
    new = [
        SignalMatch(
            registration_a=regs[a],
            registration_b=regs[b],
            created_at=now,
            cross_domain=regs[a].domain != regs[b].domain,
        )
        for a, b in sorted(pairs)
    ]
    SignalMatch.objects.bulk_create(new)
    _log(actor, [m.registration_a for m in new] + [m.registration_b for m in new], "share")
    _notify(new)
    return new


# -- retention of the archive -----------------------------------------------------------------


def retention_find(cutoff, now):
    return list(
        SignalRegistration.objects.filter(ended_at__lt=cutoff)
        .select_related("person")
        .order_by("pk")
    )


def retention_apply(items, now) -> int:
    for start in range(0, len(items), IMPORT_BATCH):
        batch = items[start : start + IMPORT_BATCH]
        _log(None, batch, "delete")
        SignalRegistration.objects.filter(pk__in=[r.pk for r in batch]).delete()
    return len(items)


def retention_describe(item) -> str:
    ended = timezone.localtime(item.ended_at).date().isoformat()
    return f"signaleringsindex {str(item.public_id)[:8]} (ended_at {ended})"


# -- key rotation -----------------------------------------------------------------------------


@dataclass
class RotationReport:
    newest: int
    to_lift: int
    lifted: int
    batches: int


def signal_keys_rotate(
    *, batch_size: int = ROTATE_BATCH, dry_run: bool = False, max_batches: int | None = None
) -> RotationReport:
    """Lift every stored pseudonym to the newest key version, batch by batch (each batch its own
    transaction, so an interrupted run resumes where it stopped; a finished run does nothing).
    Matching keeps working meanwhile: it looks for every version."""
    keys.check_key_ring()
    newest = keys.current_version()
    behind = SignalPseudonym.objects.filter(key_version__lt=newest)
    to_lift = behind.count()
    if dry_run:
        return RotationReport(newest, to_lift, 0, 0)
    lifted = batches = 0
    while max_batches is None or batches < max_batches:
        with transaction.atomic():
            rows = list(
                SignalPseudonym.objects.select_for_update()
                .filter(key_version__lt=newest)
                .order_by("pk")[:batch_size]
            )
            if not rows:
                break
            for row in rows:
                row.value = keys.lift(row.value, from_version=row.key_version, to_version=newest)
                row.key_version = newest
            SignalPseudonym.objects.bulk_update(rows, ["value", "key_version"])
        lifted += len(rows)
        batches += 1
    return RotationReport(newest, to_lift, lifted, batches)
