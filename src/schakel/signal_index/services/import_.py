"""The bulk import: many registrations of one organisation at once, all or nothing."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.accounts.models import Membership, Organisation
from schakel.accounts.permissions import ensure_can

from .. import keys
from ..models import ContextKind, SignalMatch, SignalPseudonym, SignalRegistration
from ..reasons import reason_keys
from ._common import IMPORT_BATCH, _log, _notify, _today, clean_contact, clean_identifiers, end_date


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
