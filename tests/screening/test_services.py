"""Services: who may store a screening, and what anonymous use leaves behind."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from schakel.accounts.models import Role
from schakel.screening import selectors, services
from schakel.screening.models import Assessment, UsageCount
from tests.accounts.factories import MembershipFactory
from tests.people.factories import PersonFactory

from .factories import answers_all

pytestmark = pytest.mark.django_db


def row(key):
    return selectors.instrument_row_get(key=key)


def test_anonymous_use_counts_per_instrument_outcome_and_month(instruments):
    instrument = selectors.instrument_get(key="zelfcheck-jongeren")
    quiet = answers_all(instrument, "no")
    for _ in range(3):
        services.consultation_score(actor=None, instrument=instrument, answers=quiet)
    services.consultation_score(
        actor=None, instrument=instrument, answers={**quiet, "nu_gevaar": "yes"}
    )
    counts = {c.outcome: c.count for c in UsageCount.objects.all()}
    assert counts == {"none": 3, "urgent": 1}
    assert {c.mode for c in UsageCount.objects.all()} == {"anonymous"}
    assert all(c.period.day == 1 for c in UsageCount.objects.all())
    assert not Assessment.objects.exists()


def test_bad_answers_are_named_answers_dot_item(instruments):
    instrument = selectors.instrument_get(key="zelfcheck-jongeren")
    with pytest.raises(ValidationError) as error:
        services.consultation_score(actor=None, instrument=instrument, answers={"x": "yes"})
    names = set(error.value.message_dict)
    assert "answers.x" in names and "answers.nu_gevaar" in names
    assert not UsageCount.objects.exists()


def test_storing_needs_the_screening_permission(instruments, person):
    analyst = MembershipFactory(role=Role.ANALYST, organisation=person.owner_organisation)
    with pytest.raises(PermissionDenied):
        services.assessment_create(
            actor=analyst,
            person=person,
            instrument_row=row("aanwijzingen-lvb"),
            answers=answers_all(selectors.instrument_get(key="aanwijzingen-lvb")),
        )


def test_only_persons_of_the_own_organisation(instruments, professional):
    stranger = PersonFactory()
    with pytest.raises(ValidationError) as error:
        services.assessment_create(
            actor=professional,
            person=stranger,
            instrument_row=row("aanwijzingen-lvb"),
            answers=answers_all(selectors.instrument_get(key="aanwijzingen-lvb")),
        )
    assert set(error.value.message_dict) == {"person"}


def test_a_never_stored_instrument_is_refused(instruments, professional, person):
    with pytest.raises(ValidationError) as error:
        services.assessment_create(
            actor=professional,
            person=person,
            instrument_row=row("zelfcheck-jongeren"),
            answers=answers_all(selectors.instrument_get(key="zelfcheck-jongeren")),
        )
    assert set(error.value.message_dict) == {"person"}
    assert not Assessment.objects.exists()


def test_a_stored_assessment_keeps_answers_result_and_counts_as_person_use(
    instruments, professional, person
):
    instrument = selectors.instrument_get(key="quickscan-ouders")
    answers = {**answers_all(instrument, "no"), "eigen_notitie": "  eerste gesprek  "}
    assessment = services.assessment_create(
        actor=professional, person=person, instrument_row=row("quickscan-ouders"), answers=answers
    )
    assert assessment.answers["eigen_notitie"] == "eerste gesprek"
    assert assessment.result["instrument"] == {
        "id": "quickscan-ouders",
        "version": 1,
        "title": instrument.title,
    }
    assert assessment.outcome == "none"
    assert UsageCount.objects.get().mode == "person"


def test_assessments_of_a_person_are_listed_newest_first(instruments, professional, person):
    first = services.assessment_create(
        actor=professional,
        person=person,
        instrument_row=row("aanwijzingen-lvb"),
        answers=answers_all(selectors.instrument_get(key="aanwijzingen-lvb")),
    )
    second = services.assessment_create(
        actor=professional,
        person=person,
        instrument_row=row("signalen-uitbuiting"),
        answers=answers_all(selectors.instrument_get(key="signalen-uitbuiting")),
    )
    listed = selectors.assessment_list_for_person(actor=professional, person=person)
    assert listed == [second, first]
