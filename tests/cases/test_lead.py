"""Exactly one lead and a named backup at every moment; the lead changes only when the new lead
accepts the handover, after the warm-handover checklist."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schakel.accounts.models import Role
from schakel.accounts.services import user_deactivate
from schakel.cases import access, services
from schakel.cases.models import Case, CaseMember, Event, Handover, Task
from tests.accounts.factories import MembershipFactory, OrganisationFactory

from .factories import add_member, make_case

pytestmark = pytest.mark.django_db

CHECKLIST = {"talked_with_person": True, "history_read": True, "appointments_moved": True}


def assert_lead_invariant(case: Case) -> None:
    case.refresh_from_db()
    assert case.lead_id is not None and case.backup_id is not None
    assert case.lead_id != case.backup_id
    active = set(
        CaseMember.objects.filter(case=case, ended_at__isnull=True).values_list(
            "membership_id", flat=True
        )
    )
    assert {case.lead_id, case.backup_id} <= active


def test_a_new_case_has_the_creator_as_lead_and_a_named_backup(case, lead, colleague):
    assert case.lead == lead and case.backup == colleague
    assert_lead_invariant(case)
    assert case.events.filter(kind=Event.Kind.CASE_OPENED).exists()


def test_a_case_needs_a_backup_other_than_the_lead(lead):
    with pytest.raises(ValidationError) as error:
        make_case(lead=lead, backup=lead)
    assert "backup" in error.value.message_dict
    analyst = MembershipFactory(role=Role.ANALYST, organisation=lead.organisation)
    with pytest.raises(ValidationError) as error:
        make_case(lead=lead, backup=analyst)
    assert "backup" in error.value.message_dict
    elsewhere = MembershipFactory(role=Role.PROFESSIONAL)
    with pytest.raises(ValidationError) as error:
        make_case(lead=lead, backup=elsewhere)
    assert "backup" in error.value.message_dict
    assert not Case.objects.exists()


def test_the_database_refuses_lead_equal_to_backup(case):
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(backup=case.lead)


def test_handover_takes_effect_only_on_acceptance(case, lead, colleague):
    newcomer = MembershipFactory(role=Role.PROFESSIONAL, organisation=lead.organisation)
    member = add_member(case, newcomer)
    handover = services.handover_offer(actor=lead, case=case, to_member=member, message="Graag")
    case.refresh_from_db()
    assert case.lead == lead, "offering changes nothing"
    assert handover.status == Handover.Status.OFFERED
    case = services.handover_accept(actor=newcomer, handover=handover, **CHECKLIST)
    assert case.lead == newcomer and case.backup == colleague
    handover.refresh_from_db()
    assert handover.status == Handover.Status.ACCEPTED
    assert case.events.filter(kind=Event.Kind.HANDOVER_ACCEPTED).count() == 1
    assert_lead_invariant(case)


@pytest.mark.parametrize("missing", ["talked_with_person", "history_read", "appointments_moved"])
def test_acceptance_needs_the_whole_checklist(case, lead, missing):
    newcomer = MembershipFactory(role=Role.PROFESSIONAL, organisation=lead.organisation)
    member = add_member(case, newcomer)
    handover = services.handover_offer(actor=lead, case=case, to_member=member)
    checks = {**CHECKLIST, missing: False}
    with pytest.raises(ValidationError) as error:
        services.handover_accept(actor=newcomer, handover=handover, **checks)
    assert list(error.value.message_dict) == [missing]
    case.refresh_from_db()
    assert case.lead == lead


def test_only_the_offered_member_accepts(case, lead, colleague):
    newcomer = MembershipFactory(role=Role.PROFESSIONAL, organisation=lead.organisation)
    member = add_member(case, newcomer)
    handover = services.handover_offer(actor=lead, case=case, to_member=member)
    with pytest.raises(PermissionDenied):
        services.handover_accept(actor=colleague, handover=handover, **CHECKLIST)
    with pytest.raises(PermissionDenied):
        services.handover_accept(actor=lead, handover=handover, **CHECKLIST)


def test_only_the_lead_offers_while_the_lead_can_act(case, colleague):
    member = CaseMember.objects.get(case=case, membership=colleague)
    with pytest.raises(PermissionDenied):
        services.handover_offer(actor=colleague, case=case, to_member=member)


def test_handing_over_to_the_backup_makes_the_old_lead_backup(case, lead, colleague):
    member = CaseMember.objects.get(case=case, membership=colleague)
    handover = services.handover_offer(actor=lead, case=case, to_member=member)
    case = services.handover_accept(actor=colleague, handover=handover, **CHECKLIST)
    assert case.lead == colleague and case.backup == lead
    assert_lead_invariant(case)


def test_decline_and_withdraw_leave_the_lead(case, lead):
    newcomer = MembershipFactory(role=Role.PROFESSIONAL, organisation=lead.organisation)
    member = add_member(case, newcomer)
    handover = services.handover_offer(actor=lead, case=case, to_member=member)
    with pytest.raises(ValidationError) as error:
        services.handover_decline(actor=newcomer, handover=handover, reason="")
    assert "reason" in error.value.message_dict
    services.handover_decline(actor=newcomer, handover=handover, reason="Geen tijd")
    second = services.handover_offer(actor=lead, case=case, to_member=member)
    services.handover_withdraw(actor=lead, handover=second)
    case.refresh_from_db()
    assert case.lead == lead
    with pytest.raises(ValidationError):
        services.handover_accept(actor=newcomer, handover=second, **CHECKLIST)


def test_one_open_handover_at_a_time(case, lead):
    a = add_member(case, MembershipFactory(role=Role.PROFESSIONAL, organisation=lead.organisation))
    b = add_member(case, MembershipFactory(role=Role.PROFESSIONAL, organisation=lead.organisation))
    services.handover_offer(actor=lead, case=case, to_member=a)
    with pytest.raises(ValidationError) as error:
        services.handover_offer(actor=lead, case=case, to_member=b)
    assert "to_member" in error.value.message_dict


def test_a_handover_to_another_organisation_passes_the_gate(case, lead):
    from schakel.privacy.rules import SharingNotAllowed

    guest = MembershipFactory(role=Role.PROFESSIONAL)
    member = add_member(case, guest, categories=["tijdlijn", "identificatie"])
    # The agreement made by add_member covers every category: the handover passes.
    handover = services.handover_offer(actor=lead, case=case, to_member=member)
    assert handover.basis is not None
    services.handover_withdraw(actor=lead, handover=handover)
    # Without a basis for the whole case, offering the lead is refused.
    stranger = MembershipFactory(role=Role.PROFESSIONAL, organisation=OrganisationFactory())
    CaseMember.objects.create(
        case=case,
        membership=stranger,
        organisation=stranger.organisation,
        role="other",
        data_categories=["tijdlijn"],
    )
    member = CaseMember.objects.get(case=case, membership=stranger)
    with pytest.raises(SharingNotAllowed):
        services.handover_offer(actor=lead, case=case, to_member=member)
    assert not Handover.objects.filter(case=case, status=Handover.Status.OFFERED).exists()


def test_lead_and_backup_cannot_leave(case, lead, colleague):
    for membership in (lead, colleague):
        member = CaseMember.objects.get(case=case, membership=membership)
        with pytest.raises(ValidationError):
            services.case_member_end(actor=lead, case=case, member=member)
    assert_lead_invariant(case)


def test_when_the_lead_is_gone_the_backup_takes_over(case, lead, colleague):
    """The lead's account ends: the case keeps its lead until the backup takes over."""
    admin = MembershipFactory(role=Role.ORG_ADMIN, organisation=lead.organisation)
    user_deactivate(actor=admin, user=lead.user)
    case.refresh_from_db()
    assert case.lead_id == lead.pk, "a case never loses its lead by itself"
    assert not access.lead_can_act(case)
    member = CaseMember.objects.get(case=case, membership=colleague)
    other = add_member(
        case,
        MembershipFactory(role=Role.PROFESSIONAL, organisation=lead.organisation),
        by=colleague,
    )
    with pytest.raises(ValidationError) as error:
        services.handover_offer(actor=colleague, case=case, to_member=member)
    assert "new_backup" in error.value.message_dict
    handover = services.handover_offer(
        actor=colleague, case=case, to_member=member, new_backup=other
    )
    case = services.handover_accept(actor=colleague, handover=handover, **CHECKLIST)
    assert case.lead == colleague and case.backup == other.membership


def test_system_tasks_follow_the_new_lead(lead, colleague):
    import datetime

    case = make_case(
        lead=lead,
        backup=colleague,
        date_of_birth=datetime.date(2009, 1, 1),
        today=datetime.date(2026, 8, 1),
    )
    task = Task.objects.get(case=case, kind=Task.Kind.TRANSITION)
    assert task.owner == lead
    member = CaseMember.objects.get(case=case, membership=colleague)
    handover = services.handover_offer(actor=lead, case=case, to_member=member)
    services.handover_accept(actor=colleague, handover=handover, **CHECKLIST)
    task.refresh_from_db()
    assert task.owner == colleague


def test_backup_change_by_the_lead_only(case, lead, colleague):
    other = add_member(
        case, MembershipFactory(role=Role.PROFESSIONAL, organisation=lead.organisation)
    )
    with pytest.raises(PermissionDenied):
        services.case_backup_set(
            actor=colleague, case=case, member=other, expected_version=case.version
        )
    case = services.case_backup_set(
        actor=lead, case=case, member=other, expected_version=case.version
    )
    assert case.backup == other.membership
    assert case.events.filter(kind=Event.Kind.BACKUP_CHANGED).exists()
    assert_lead_invariant(case)


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["add", "offer", "accept", "decline", "withdraw", "backup", "end"]),
        st.integers(min_value=0, max_value=5),
    ),
    max_size=14,
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=OPERATIONS)
def test_no_sequence_of_operations_breaks_the_lead_invariant(lead, colleague, operations):
    """Whatever members, offers, answers, backup changes and departures happen, in whatever
    order: always exactly one lead and a backup, both active members, and the lead changes
    only through an accepted handover."""
    case = make_case(lead=lead, backup=colleague)
    accepted = 0
    for name, index in operations:
        case.refresh_from_db()
        members = list(
            CaseMember.objects.filter(case=case, ended_at__isnull=True).select_related("membership")
        )
        member = members[index % len(members)]
        open_offer = Handover.objects.filter(case=case, status=Handover.Status.OFFERED).first()
        previous_lead = case.lead_id
        try:
            if name == "add":
                add_member(
                    case,
                    MembershipFactory(role=Role.PROFESSIONAL, organisation=lead.organisation),
                    by=case.lead,
                )
            elif name == "offer":
                services.handover_offer(actor=case.lead, case=case, to_member=member)
            elif name == "accept" and open_offer:
                services.handover_accept(actor=open_offer.to_lead, handover=open_offer, **CHECKLIST)
                accepted += 1
            elif name == "decline" and open_offer:
                services.handover_decline(actor=open_offer.to_lead, handover=open_offer, reason="x")
            elif name == "withdraw" and open_offer:
                services.handover_withdraw(actor=case.lead, handover=open_offer)
            elif name == "backup":
                services.case_backup_set(
                    actor=case.lead, case=case, member=member, expected_version=case.version
                )
            elif name == "end":
                services.case_member_end(actor=case.lead, case=case, member=member, reason="x")
        except (ValidationError, PermissionDenied):
            pass
        assert_lead_invariant(case)
        if case.lead_id != previous_lead:
            assert name == "accept"
    assert Handover.objects.filter(case=case, status=Handover.Status.ACCEPTED).count() == accepted
