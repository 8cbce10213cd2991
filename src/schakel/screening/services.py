"""Writes of the screening capability: publishing instrument versions, storing an assessment of a
known person, and counting anonymous use. Validation errors name the offending fields; answer
errors are named `answers.<item id>`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.accounts.models import Membership
from schakel.accounts.permissions import ensure_can
from schakel.privacy.services import processing_record

from . import engine, selectors
from .instruments import Instrument
from .models import Assessment, InstrumentVersion, UsageCount

ACTIVITY = selectors.ACTIVITY


def _answer_errors(error: engine.AnswersInvalid) -> ValidationError:
    return ValidationError(
        {(f"answers.{key}" if key else "answers"): [reason] for key, reason in error.errors.items()}
    )


def instruments_publish(
    *, instruments: Iterable[tuple[Instrument, str]]
) -> list[tuple[InstrumentVersion, bool]]:
    """Store new instrument versions (all or nothing); an unchanged version is left alone.

    A published version never changes: the same id and version with other content is refused,
    because stored assessments render with it. Publish a new version number instead.
    Returns (row, created) per instrument.
    """
    results = []
    with transaction.atomic():
        for instrument, source in instruments:
            row = (
                InstrumentVersion.objects.select_for_update()
                .filter(key=instrument.id, version=instrument.version)
                .first()
            )
            if row is not None:
                if row.checksum != instrument.checksum:
                    raise ValidationError(
                        {
                            "version": _(
                                "%(source)s: %(id)s versie %(version)s is al gepubliceerd met "
                                "een andere inhoud. Verhoog het versienummer."
                            )
                            % {
                                "source": source,
                                "id": instrument.id,
                                "version": instrument.version,
                            }
                        }
                    )
                results.append((row, False))
                continue
            row = InstrumentVersion.objects.create(
                key=instrument.id,
                version=instrument.version,
                title=instrument.title,
                audience=list(instrument.audience),
                definition=instrument.definition,
                checksum=instrument.checksum,
                source=source,
            )
            results.append((row, True))
    return results


def _count_use(*, instrument: Instrument, mode: str, outcome: str) -> None:
    period = timezone.localdate().replace(day=1)
    key = {
        "period": period,
        "instrument_key": instrument.id,
        "instrument_version": instrument.version,
        "mode": mode,
        "outcome": outcome,
    }
    if UsageCount.objects.filter(**key).update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            UsageCount.objects.create(**key, count=1)
    except IntegrityError:  # another request created the row first
        UsageCount.objects.filter(**key).update(count=F("count") + 1)


def consultation_score(
    *, actor: Membership | None, instrument: Instrument, answers
) -> tuple[dict, dict]:
    """Score answers without naming anyone: nothing personal is stored, only a use count.

    Works without an actor (the public flows). Returns (clean answers, result).
    Raises ValidationError naming `answers.<item>` for every bad answer.
    """
    try:
        clean = engine.clean_answers(instrument, answers)
    except engine.AnswersInvalid as error:
        raise _answer_errors(error) from None
    result = engine.evaluate(instrument, clean)
    with transaction.atomic():
        _count_use(instrument=instrument, mode=UsageCount.Mode.ANONYMOUS, outcome=result["outcome"])
    return clean, result


def assessment_create(
    *, actor: Membership, person, instrument_row: InstrumentVersion, answers
) -> Assessment:
    """Store a screening of a person the actor may see, with the instrument version used.

    Needs "screening.assess"; the person must be visible to the actor (the caller got it through
    people.selectors). Logs a "create" under the activity "screening".
    """
    ensure_can(actor, "screening.assess")
    instrument = selectors.instrument_of(instrument_row)
    if not instrument.storable:
        raise ValidationError(
            {
                "person": _(
                    "Dit instrument is anoniem en wordt nooit opgeslagen. "
                    "Gebruik het zonder persoon."
                )
            }
        )
    if person.owner_organisation_id != actor.organisation_id:
        raise ValidationError({"person": _("Kies een persoon van uw eigen organisatie.")})
    try:
        clean = engine.clean_answers(instrument, answers)
    except engine.AnswersInvalid as error:
        raise _answer_errors(error) from None
    lvb = selectors.lvb_indication_positive(actor=actor, person=person)
    result = engine.evaluate(instrument, clean, lvb_indication=lvb)
    with transaction.atomic():
        assessment = Assessment.objects.create(
            instrument=instrument_row,
            person=person,
            organisation_id=actor.organisation_id,
            created_by=actor,
            answers=clean,
            result=result,
            outcome=result["outcome"],
            lvb_indication=lvb,
        )
        processing_record(actor=actor, subject=person, activity=ACTIVITY, operation="create")
        _count_use(instrument=instrument, mode=UsageCount.Mode.PERSON, outcome=result["outcome"])
    return assessment


def assessment_lvb_indication_record(*, actor: Membership, assessment: Assessment):
    """Record "LVB suspected" in the person's LVB history, resting on this screening.

    Only for an assessment whose own answers point to an LVB (an LVB scale at "elevated" or
    higher). The entry says what it rests on: the instrument, its version and the date.
    """
    from schakel.people.models import LvbIndication
    from schakel.people.services import lvb_indication_record

    if not assessment.result.get("lvb", {}).get("from_instrument"):
        raise ValidationError(
            {"assessment": _("Deze screening geeft geen duidelijke aanwijzingen voor een LVB.")}
        )
    instrument = assessment.instrument
    source = _("Screening '%(title)s' versie %(version)s van %(date)s") % {
        "title": instrument.title,
        "version": instrument.version,
        "date": assessment.created_at.strftime("%d-%m-%Y"),
    }
    return lvb_indication_record(
        actor=actor,
        person=assessment.person,
        status=LvbIndication.Status.SUSPECTED,
        source_kind=LvbIndication.SourceKind.SCREENING,
        source=source,
        observed_on=timezone.localtime(assessment.created_at).date(),
        note=_("Aanwijzingen uit een screening, geen diagnose. Regel een goede screening."),
    )
