"""Registering (or renewing) and withdrawing a registration; matching on registering lives in
`signal_index/hotpath.py` and, after a renewal, in `_matches_for` here."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.accounts.models import Membership
from schakel.accounts.permissions import ensure_can
from schakel.people.pseudonyms import Identifiers
from schakel.people.validators import normalise_bsn

from .. import hotpath, keys
from ..models import ContextKind, EndReason, SignalMatch, SignalRegistration
from ..reasons import reason_keys
from ._common import _log, _notify, _raise, _today, clean_contact, clean_identifiers, end_date


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
        from ..selectors import contact_default_for

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
