"""Referrals to the wegwijzer (steps, reasons, waiting time, the next options after a decline),
placements, meetings with the LVB check, tasks on the start page."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from schakel.accounts.models import Role
from schakel.cases import display, selectors, services
from schakel.cases.models import Case, Referral
from tests.accounts.factories import MembershipFactory, OrganisationFactory

from .factories import OfferFactory, ProviderFactory, add_member, agreement_between, make_case

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 5, 1)


def seen(actor, case):
    return selectors.case_get_for(actor=actor, public_id=case.public_id)


def step(actor, case, referral, action, **kw):
    referral.refresh_from_db()
    return services.referral_transition(
        actor=actor,
        case=case,
        referral=referral,
        action=action,
        expected_version=referral.version,
        **kw,
    )


def test_referral_steps_and_waiting_time(case, lead):
    offer = OfferFactory()
    referral = services.referral_create(
        actor=lead, case=case, offer=offer, need="ambulant", today=datetime.date(2026, 4, 1)
    )
    assert referral.status == Referral.Status.REQUESTED
    assert display.referral_waiting_days(referral, today=TODAY) == 30
    step(lead, case, referral, "accept", on=datetime.date(2026, 4, 10), today=TODAY)
    referral = step(lead, case, referral, "start", on=datetime.date(2026, 4, 21), today=TODAY)
    assert display.referral_waiting_days(referral) == 20
    with pytest.raises(ValidationError) as error:
        step(lead, case, referral, "end", reason="", today=TODAY)
    assert "reason" in error.value.message_dict
    referral = step(lead, case, referral, "end", reason="Doel bereikt", today=TODAY)
    assert referral.status == Referral.Status.ENDED
    with pytest.raises(ValidationError) as error:
        step(lead, case, referral, "accept", today=TODAY)
    assert "action" in error.value.message_dict
    kinds = list(case.events.filter(referral=referral).values_list("kind", flat=True))
    assert sorted(kinds) == sorted(
        ["referral_requested", "referral_accepted", "referral_started", "referral_ended"]
    )


def test_a_decline_needs_a_reason_and_offers_the_next_options(case, lead):
    first = OfferFactory(name="Eerste keus")
    OfferFactory(name="Tweede keus")
    OfferFactory(name="Derde keus")
    referral = services.referral_create(actor=lead, case=case, offer=first)
    with pytest.raises(ValidationError) as error:
        step(lead, case, referral, "decline", reason=" ")
    assert "reason" in error.value.message_dict
    step(lead, case, referral, "decline", reason="Wachtlijst van een half jaar")
    options = selectors.referral_options_for(actor=lead, case=seen(lead, case))
    names = [o.name for o in options]
    assert "Eerste keus" not in names
    assert {"Tweede keus", "Derde keus"} <= set(names)


def test_the_receiving_organisation_can_record_its_answer(case, lead):
    provider_org = OrganisationFactory()
    agreement_between(lead.organisation, provider_org)
    offer = OfferFactory(provider=ProviderFactory(organisation=provider_org))
    referral = services.referral_create(actor=lead, case=case, offer=offer)
    intake = MembershipFactory(role=Role.PROFESSIONAL, organisation=provider_org)
    add_member(case, intake, categories=["tijdlijn", "hulpverlening", "identificatie"])
    step(intake, case, referral, "accept")
    with pytest.raises(PermissionDenied):
        step(intake, case, referral, "withdraw")
    outsider_member = MembershipFactory(role=Role.PROFESSIONAL)
    add_member(case, outsider_member, categories=["tijdlijn", "hulpverlening"])
    with pytest.raises(PermissionDenied):
        step(outsider_member, case, referral, "start")


def test_a_refused_gate_stops_the_referral(case, lead):
    provider_org = OrganisationFactory()
    offer = OfferFactory(provider=ProviderFactory(organisation=provider_org))
    from schakel.privacy.rules import SharingNotAllowed

    with pytest.raises(SharingNotAllowed):
        services.referral_create(actor=lead, case=case, offer=offer)
    assert not Referral.objects.filter(case=case).exists()


def test_no_referral_from_a_closed_case(case, lead):
    services.case_close(
        actor=lead, case=case, expected_version=case.version, reason="x", no_aftercare_reason="y"
    )
    case.refresh_from_db()
    with pytest.raises(ValidationError):
        services.referral_create(actor=lead, case=case, offer=OfferFactory())


def test_a_placement_ending_changes_nothing_about_the_case(case, lead):
    placement = services.placement_create(
        actor=lead, case=case, provider_name="Opvang", kind="crisis", started_on=TODAY
    )
    before = Case.objects.values("status", "lead_id", "backup_id").get(pk=case.pk)
    with pytest.raises(ValidationError):
        services.placement_end(
            actor=lead,
            case=case,
            placement=placement,
            expected_version=1,
            ended_on=TODAY - datetime.timedelta(days=1),
            reason="x",
        )
    services.placement_end(
        actor=lead,
        case=case,
        placement=placement,
        expected_version=1,
        ended_on=TODAY,
        reason="Naar een open groep",
    )
    assert Case.objects.values("status", "lead_id", "backup_id").get(pk=case.pk) == before


def test_meetings_check_lvb_expertise(lead, colleague):
    case = make_case(lead=lead, backup=colleague, lvb=True)
    expert = MembershipFactory(role=Role.PROFESSIONAL, organisation=lead.organisation)
    expert_member = add_member(case, expert, role="lvb_expert")
    lead_member = case.members.get(membership=lead)
    without = services.meeting_create(
        actor=lead, case=case, kind="mdo", date=TODAY, participants=[lead_member]
    )
    assert not display.lvb_expertise_present(without)
    with_expert = services.meeting_create(
        actor=lead, case=case, kind="regietafel", date=TODAY, participants=[expert_member]
    )
    assert display.lvb_expertise_present(with_expert)
    external = services.meeting_create(
        actor=lead, case=case, kind="mdo", date=TODAY, external_lvb_expert=True
    )
    assert display.lvb_expertise_present(external)
    held = services.meeting_update(
        actor=lead,
        case=case,
        meeting=without,
        expected_version=without.version,
        status="held",
        minutes="Besproken",
        today=TODAY,
    )
    event = case.events.get(kind="meeting_held", meeting=held)
    assert event.data["lvb_expertise"] is False


def test_a_future_meeting_cannot_be_held(case, lead):
    meeting = services.meeting_create(
        actor=lead, case=case, kind="mdo", date=TODAY + datetime.timedelta(days=3)
    )
    with pytest.raises(ValidationError) as error:
        services.meeting_update(
            actor=lead,
            case=case,
            meeting=meeting,
            expected_version=1,
            status="held",
            today=TODAY,
        )
    assert "status" in error.value.message_dict


def test_overdue_tasks_show_on_the_owners_start_page(actor_client, case, lead, outsider):
    add_member(case, outsider)
    services.task_create(
        actor=lead,
        case=case,
        title="Bel de school",
        owner=outsider,
        due_on=datetime.date(2020, 1, 1),
    )
    services.task_create(
        actor=lead, case=case, title="Later", owner=outsider, due_on=datetime.date(2999, 1, 1)
    )
    tasks = selectors.my_tasks_for(actor=outsider)
    assert [t.title for t in tasks] == ["Bel de school", "Later"]
    assert tasks[0].overdue and not tasks[1].overdue
    client, _m = actor_client(outsider)
    html = client.get("/casussen/").content.decode()
    assert "Bel de school" in html and "te laat" in html
    lead_html = actor_client(lead)[0].get("/casussen/").content.decode()
    assert "Bel de school" not in lead_html


def test_task_updates_by_owner_and_managers_only(case, lead, outsider):
    member = add_member(case, outsider)
    other = MembershipFactory(role=Role.PROFESSIONAL, organisation=outsider.organisation)
    add_member(case, other)
    task = services.task_create(actor=lead, case=case, title="Bellen", owner=outsider, due_on=TODAY)
    with pytest.raises(PermissionDenied):
        services.task_update(actor=other, case=case, task=task, expected_version=1, status="done")
    with pytest.raises(PermissionDenied):
        services.task_update(actor=outsider, case=case, task=task, expected_version=1, due_on=TODAY)
    done = services.task_update(
        actor=outsider, case=case, task=task, expected_version=1, status="done"
    )
    assert done.done_by == outsider
    assert case.events.filter(kind="task_done").exists()
    assert member.pk
