"""Retention of cases and of persons' files, with frozen time (the `now` of retention_apply)."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from schakel.cases import services
from schakel.cases.models import (
    Case,
    CaseMember,
    CrisisCard,
    Event,
    Handover,
    Meeting,
    Placement,
    Referral,
    Task,
)
from schakel.people.models import LvbIndication, Person
from schakel.people.pseudonyms import log_pseudonym
from schakel.privacy.models import ProcessingEntry, SharingBasis
from schakel.privacy.retention import retention_apply
from schakel.privacy.services import processing_log_verify
from schakel.screening.models import Assessment
from tests.accounts.factories import MembershipFactory
from tests.people.factories import LvbIndicationFactory, PersonFactory
from tests.privacy.factories import ConsentFactory

from .factories import full_case, make_case

TWENTY_YEARS = datetime.timedelta(days=7300)


def _assessment(person, *, at=None):
    """A stored screening of `person` (through the service), dated `at`."""
    from schakel.screening import selectors as screening
    from schakel.screening.services import assessment_create
    from tests.screening.factories import answers_all

    call_command("load_instruments", verbosity=0)
    actor = MembershipFactory(organisation=person.owner_organisation)
    key = "aanwijzingen-lvb"
    assessment = assessment_create(
        actor=actor,
        person=person,
        instrument_row=screening.instrument_row_get(key=key),
        answers=answers_all(screening.instrument_get(key=key)),
    )
    if at is not None:
        Assessment.objects.filter(pk=assessment.pk).update(created_at=at)
    return assessment


def _counts(now, **kwargs):
    return {line.key: line.count for line in retention_apply(now=now, **kwargs)}


def _close(case, *, on):
    return services.case_close(
        actor=case.lead,
        case=case,
        expected_version=case.version,
        reason="Hulp is klaar",
        closed_on=on,
        no_aftercare_reason="Geen nazorg nodig",
        today=on,
    )


@pytest.fixture
def closed_case(db):
    made = full_case(today=datetime.date(2026, 1, 2))
    case = made["case"]
    old = services.event_record(actor=made["lead"], case=case, kind="note", text="3 mei")
    fix = services.event_correct(actor=made["lead"], case=case, event=old, text="4 mei")
    services.event_correct(actor=made["lead"], case=case, event=fix, text="5 mei")
    case.refresh_from_db()
    made["case"] = _close(case, on=timezone.localdate())
    return made


def test_an_open_case_is_kept_however_old(db):
    case = make_case()
    far = timezone.now() + 3 * TWENTY_YEARS
    assert _counts(far)["casus"] == 0
    assert Case.objects.filter(pk=case.pk).exists()


def test_a_closed_case_is_kept_until_twenty_years_after_closing(closed_case):
    closed_on = closed_case["case"].closed_on
    just_before = timezone.make_aware(
        datetime.datetime.combine(closed_on + TWENTY_YEARS, datetime.time(12))
    )
    assert _counts(just_before)["casus"] == 0
    assert _counts(just_before + datetime.timedelta(days=1), dry_run=True)["casus"] == 1
    assert Case.objects.count() == 1  # the dry run changed nothing


def test_a_closed_case_goes_with_everything_under_it_and_the_log_keeps_the_fact(closed_case):
    case = closed_case["case"]
    person = case.person
    pseudonym = log_pseudonym(person)
    before = ProcessingEntry.objects.count()
    far = timezone.now() + TWENTY_YEARS + datetime.timedelta(days=2)

    counts = _counts(far)

    assert counts["casus"] == 1
    for model in (Case, CaseMember, Event, Handover, Referral, Placement, Meeting, Task):
        assert not model.objects.exists(), model.__name__
    assert not CrisisCard.objects.exists()
    assert SharingBasis.objects.exists()  # disclosures keep their own retention
    deletions = ProcessingEntry.objects.order_by("seq")[before:]
    case_deletions = [e for e in deletions if e.activity == "case_coordination"]
    assert [(e.operation, e.role, e.subject_pseudonym) for e in case_deletions] == [
        ("delete", "system", pseudonym)
    ]
    assert processing_log_verify().ok
    assert _counts(far)["casus"] == 0  # idempotent


def test_a_reopened_case_counts_from_its_new_closing(closed_case):
    case = closed_case["case"]
    case = services.case_reopen(
        actor=case.lead, case=case, expected_version=case.version, reason="Nieuwe zorgen"
    )
    far = timezone.now() + TWENTY_YEARS + datetime.timedelta(days=2)
    assert _counts(far)["casus"] == 0
    case = _close(case, on=timezone.localdate())
    assert _counts(far)["casus"] == 1


def test_a_person_goes_only_after_their_last_case(closed_case):
    person = closed_case["case"].person
    far = timezone.now() + TWENTY_YEARS + datetime.timedelta(days=2)
    counts = _counts(far)
    # The register lists `casus` before `persoonsdossier`: the case goes first, then the file.
    assert counts["casus"] == 1 and counts["persoonsdossier"] == 1
    assert not Person.objects.filter(pk=person.pk).exists()


def test_a_person_with_a_case_is_kept_however_old(db):
    case = make_case()
    far = timezone.now() + 3 * TWENTY_YEARS
    assert _counts(far)["persoonsdossier"] == 0
    assert Person.objects.filter(pk=case.person_id).exists()


@pytest.mark.parametrize("activity", ["screening", "lvb", "consent"])
def test_recent_activity_in_the_file_keeps_the_person(db, activity):
    person = PersonFactory()
    far = timezone.now() + TWENTY_YEARS + datetime.timedelta(days=30)
    later = far - datetime.timedelta(days=10)  # within twenty years before `far`
    if activity == "screening":
        _assessment(person, at=later)
    elif activity == "lvb":
        LvbIndicationFactory(person=person, recorded_at=later)
    else:
        day = timezone.localtime(later).date()
        consent = ConsentFactory(
            person=person, valid_from=day, valid_until=day + datetime.timedelta(days=90)
        )
        consent.events.update(at=later)
    assert _counts(far)["persoonsdossier"] == 0
    assert _counts(far + TWENTY_YEARS)["persoonsdossier"] == 1


def test_a_consent_still_valid_keeps_the_person(db):
    person = PersonFactory()
    far = timezone.now() + TWENTY_YEARS + datetime.timedelta(days=30)
    ConsentFactory(
        person=person,
        valid_from=timezone.localdate(),
        valid_until=timezone.localdate() + TWENTY_YEARS + datetime.timedelta(days=40),
    )
    assert _counts(far)["persoonsdossier"] == 0


def test_a_person_goes_with_screenings_and_corrected_lvb_history(db):
    person = PersonFactory()
    _assessment(person)
    first = LvbIndicationFactory(person=person)
    second = LvbIndicationFactory(person=person, corrects=first)
    LvbIndicationFactory(person=person, corrects=second)
    other = PersonFactory()
    other.save()
    Person.objects.filter(pk=other.pk).update(updated_at=timezone.now() + TWENTY_YEARS)
    pseudonym = log_pseudonym(person)
    before = ProcessingEntry.objects.count()
    far = timezone.now() + TWENTY_YEARS + datetime.timedelta(days=2)

    assert _counts(far)["persoonsdossier"] == 1

    assert list(Person.objects.all()) == [other]
    assert not Assessment.objects.exists() and not LvbIndication.objects.exists()
    entries = ProcessingEntry.objects.order_by("seq")[before:]
    assert [(e.activity, e.operation, e.subject_pseudonym) for e in entries] == [
        ("person_record", "delete", pseudonym)
    ]


def test_the_command_lists_and_applies_case_and_person_retention(db, monkeypatch):
    lead = MembershipFactory()
    case = make_case(lead=lead)
    _close(case, on=timezone.localdate())
    far = timezone.now() + TWENTY_YEARS + datetime.timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: far)
    out = StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert "casus: 1 would be deleted" in out.getvalue()
    assert Case.objects.count() == 1
    out = StringIO()
    call_command("apply_retention", stdout=out)
    assert "casus: 1 were deleted" in out.getvalue()
    assert "persoonsdossier: 1 were deleted" in out.getvalue()
    assert not Case.objects.exists() and not Person.objects.exists()
