import uuid

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from schakel.accounts.models import Role
from schakel.people.pseudonyms import log_pseudonym
from schakel.people.selectors import (
    lvb_current_for,
    lvb_history_for,
    lvb_indication_get_for,
    person_get_for,
    person_list_for,
)
from schakel.privacy.models import ProcessingEntry
from schakel.privacy.services import processing_log_verify
from tests.accounts.factories import MembershipFactory

from .factories import LvbIndicationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_list_shows_only_the_own_organisation(professional, person, outsider):
    PersonFactory(owner_organisation=outsider.organisation)
    page = person_list_for(actor=professional)
    assert page.object_list == [person]
    assert page.paginator.count == 1


@pytest.mark.parametrize("role", [Role.ANALYST, Role.ORG_ADMIN, Role.FUNCTIONAL_ADMIN])
def test_list_is_empty_without_permission(role, person):
    actor = MembershipFactory(role=role, organisation=person.owner_organisation)
    assert person_list_for(actor=actor).object_list == []
    assert person_list_for(actor=None).object_list == []
    assert not ProcessingEntry.objects.exists()


def test_list_pages_hold_25_and_log_a_read_per_shown_person(professional):
    PersonFactory.create_batch(30, owner_organisation=professional.organisation)
    first = person_list_for(actor=professional)
    assert len(first.object_list) == 25 and first.has_next()
    reads = ProcessingEntry.objects.filter(operation="read")
    assert sorted(reads.values_list("subject_pseudonym", flat=True)) == sorted(
        log_pseudonym(p) for p in first.object_list
    )
    second = person_list_for(actor=professional, page=2)
    assert len(second.object_list) == 5
    assert reads.count() == 30
    assert processing_log_verify().ok
    assert person_list_for(actor=professional, page="x").number == 1  # lenient for the web
    with pytest.raises(Http404):
        person_list_for(actor=professional, page=9, strict=True)


def test_list_reads_persons_in_a_fixed_number_of_queries(professional):
    def person_queries(count):
        PersonFactory.create_batch(count, owner_organisation=professional.organisation)
        with CaptureQueriesContext(connection) as queries:
            person_list_for(actor=professional)
        return [q for q in queries.captured_queries if '"people_' in q["sql"]]

    assert len(person_queries(3)) == len(person_queries(10)) == 2  # count + page


def test_get_returns_the_person_and_logs_a_read(professional, person):
    assert person_get_for(actor=professional, public_id=person.public_id) == person
    assert person_get_for(actor=professional, public_id=str(person.public_id)) == person
    reads = ProcessingEntry.objects.filter(operation="read")
    assert reads.count() == 2
    assert reads.first().subject_pseudonym == log_pseudonym(person)


@pytest.mark.parametrize(
    "actor_kind", ["outsider", "analyst", "none", "ended_membership", "inactive_user"]
)
def test_get_answers_404_to_whoever_may_not_see_the_person(actor_kind, person, outsider):
    org = person.owner_organisation
    actor = {
        "outsider": outsider,
        "analyst": MembershipFactory(role=Role.ANALYST, organisation=org),
        "none": None,
        "ended_membership": MembershipFactory(organisation=org, is_active=False),
        "inactive_user": MembershipFactory(organisation=org, user__is_active=False),
    }[actor_kind]
    with pytest.raises(Http404):
        person_get_for(actor=actor, public_id=person.public_id)
    assert not ProcessingEntry.objects.exists()


@pytest.mark.parametrize("public_id", [uuid.uuid4(), "not-a-uuid", "", None, 1])
def test_get_answers_404_to_unknown_ids(professional, person, public_id):
    with pytest.raises(Http404):
        person_get_for(actor=professional, public_id=public_id)


def test_history_links_corrections_without_extra_queries(professional, person):
    old = LvbIndicationFactory(person=person, recorded_by=professional)
    newer = LvbIndicationFactory(person=person, corrects=old, status="disputed")
    LvbIndicationFactory()  # someone else's
    with CaptureQueriesContext(connection) as queries:
        history = lvb_history_for(actor=professional, person=person)
        shown = [(e.corrects and e.corrects.pk, e.corrected_by) for e in history]
    assert len(queries) == 1
    assert len(shown) == 2
    assert {e.pk for e in history} == {old.pk, newer.pk}
    by_pk = {e.pk: e for e in history}
    assert by_pk[old.pk].corrected_by == [by_pk[newer.pk]]
    assert by_pk[newer.pk].corrects is by_pk[old.pk]
    assert lvb_current_for(history) == newer


def test_history_and_entries_are_404_for_outsiders(outsider, person):
    entry = LvbIndicationFactory(person=person)
    with pytest.raises(Http404):
        lvb_history_for(actor=outsider, person=person)
    with pytest.raises(Http404):
        lvb_indication_get_for(actor=outsider, person=person, pk=entry.pk)


def test_entry_lookup_only_finds_entries_of_this_person(professional, person):
    own = LvbIndicationFactory(person=person)
    foreign = LvbIndicationFactory(
        person=PersonFactory(owner_organisation=person.owner_organisation)
    )
    assert lvb_indication_get_for(actor=professional, person=person, pk=own.pk) == own
    assert lvb_indication_get_for(actor=professional, person=person, pk=foreign.pk) is None
    assert lvb_indication_get_for(actor=professional, person=person, pk="x") is None
