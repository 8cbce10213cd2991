"""Closing with aftercare follow-ups, the crisis card and sharing it with the police, residence of
foreign victims, the case figures, the easy-read overview and the demo data."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from schakel.accounts.models import Role
from schakel.cases import selectors, services
from schakel.cases.demo import seed_demo_cases
from schakel.cases.models import Case, CaseMember, Task
from schakel.privacy.rules import SharingNotAllowed
from tests.accounts.factories import MembershipFactory, OrganisationFactory

from .factories import agreement_between, full_case, make_case, police_organisation

pytestmark = pytest.mark.django_db

CLOSED = datetime.date(2026, 3, 31)


def test_closing_needs_a_reason_and_aftercare(case, lead):
    with pytest.raises(ValidationError) as error:
        services.case_close(actor=lead, case=case, expected_version=case.version, reason="")
    assert {"reason", "no_aftercare_reason"} <= set(error.value.message_dict)
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN


def test_closing_plans_follow_ups_at_3_6_and_12_months(lead, colleague):
    case = make_case(
        lead=lead,
        backup=colleague,
        opened_on=datetime.date(2026, 1, 1),
        today=datetime.date(2026, 1, 1),
    )
    services.aftercare_plan_save(
        actor=lead,
        case=case,
        expected_version=0,
        domains={"housing": {"situation": "", "goal": "Eigen kamer"}, "work": {}},
        coach_kind="buddy",
    )
    with pytest.raises(PermissionDenied):
        services.case_close(actor=colleague, case=case, expected_version=1, reason="Klaar")
    services.case_close(
        actor=lead,
        case=case,
        expected_version=case.version,
        reason="Hulp is klaar",
        closed_on=CLOSED,
        today=datetime.date(2026, 4, 1),
    )
    follow_ups = Task.objects.filter(case=case, kind=Task.Kind.AFTERCARE).order_by("due_on")
    assert [(t.due_on, t.owner_id) for t in follow_ups] == [
        (datetime.date(2026, 6, 30), lead.pk),
        (datetime.date(2026, 9, 30), lead.pk),
        (datetime.date(2027, 3, 31), lead.pk),
    ]
    case.refresh_from_db()
    assert case.lead == lead, "closing keeps the lead: aftercare is the lead's"
    services.case_reopen(actor=lead, case=case, expected_version=case.version, reason="Terugval")
    assert not Task.objects.filter(case=case, kind=Task.Kind.AFTERCARE, status="open").exists()


def test_aftercare_domains_are_checked(case, lead):
    with pytest.raises(ValidationError) as error:
        services.aftercare_plan_save(
            actor=lead, case=case, expected_version=0, domains={"sterrenkunde": {"goal": "x"}}
        )
    assert "domains" in error.value.message_dict


def test_the_crisis_card_is_shared_with_the_police_through_the_gate(lead, colleague):
    case = make_case(lead=lead, backup=colleague)
    police = police_organisation()
    services.crisis_card_save(
        actor=lead, case=case, expected_version=0, agreed_by_person=False, call_first="Moeder"
    )
    with pytest.raises(ValidationError) as error:
        services.crisis_card_share(actor=lead, case=case, recipient=police)
    assert "card" in error.value.message_dict
    card = services.crisis_card_save(
        actor=lead, case=case, expected_version=1, agreed_by_person=True, call_first="Moeder"
    )
    assert card.agreed_on is not None
    with pytest.raises(SharingNotAllowed):
        services.crisis_card_share(actor=lead, case=case, recipient=police)
    agreement_between(lead.organisation, police)
    with pytest.raises(ValidationError):
        services.crisis_card_share(actor=lead, case=case, recipient=OrganisationFactory())
    share = services.crisis_card_share(actor=lead, case=case, recipient=police)
    assert share.basis.purpose == "crisis_card"
    assert share.snapshot["call_first"] == "Moeder"
    officer = MembershipFactory(role=Role.PROFESSIONAL, organisation=police)
    received = selectors.crisis_cards_received_for(actor=officer)
    assert [s.pk for s in received] == [share.pk]
    assert selectors.crisis_card_received_get_for(actor=officer, public_id=share.public_id)
    with pytest.raises(Http404):  # the card, not the case
        selectors.case_get_for(actor=officer, public_id=case.public_id)
    other_police = MembershipFactory(role=Role.PROFESSIONAL, organisation=police_organisation())
    with pytest.raises(Http404):
        selectors.crisis_card_received_get_for(actor=other_police, public_id=share.public_id)
    services.crisis_card_share_revoke(actor=lead, case=case, share=share)
    assert selectors.crisis_cards_received_for(actor=officer) == []


def test_changing_the_card_asks_for_agreement_again(case, lead):
    services.crisis_card_save(
        actor=lead, case=case, expected_version=0, agreed_by_person=True, call_first="Moeder"
    )
    card = services.crisis_card_save(
        actor=lead, case=case, expected_version=1, agreed_by_person=False, call_first="Tante"
    )
    assert not card.agreed_by_person and card.agreed_on is None
    with pytest.raises(ValidationError) as error:
        services.crisis_card_save(
            actor=lead, case=case, expected_version=2, agreed_by_person=True, call_first=""
        )
    assert "call_first" in error.value.message_dict


def test_reflection_period_at_most_three_months_with_a_reminder(case, lead):
    today = datetime.date(2026, 5, 1)
    with pytest.raises(ValidationError) as error:
        services.residence_update(
            actor=lead,
            case=case,
            expected_version=case.version,
            foreign_victim=True,
            residence_status="reflection",
            reflection_start=datetime.date(2026, 4, 1),
            reflection_end=datetime.date(2026, 7, 2),
            today=today,
        )
    assert "reflection_end" in error.value.message_dict
    updated = services.residence_update(
        actor=lead,
        case=case,
        expected_version=case.version,
        foreign_victim=True,
        residence_status="reflection",
        reflection_start=datetime.date(2026, 4, 1),
        today=today,
    )
    assert updated.reflection_end == datetime.date(2026, 7, 1)
    reminder = Task.objects.get(case=case, kind=Task.Kind.REFLECTION, status="open")
    assert reminder.due_on == datetime.date(2026, 6, 17)
    assert reminder.owner == lead
    updated = services.residence_update(
        actor=lead,
        case=case,
        expected_version=updated.version,
        reflection_end=datetime.date(2026, 6, 15),
        residence_applied_on=datetime.date(2026, 5, 1),
        today=today,
    )
    open_reminders = Task.objects.filter(case=case, kind=Task.Kind.REFLECTION, status="open")
    assert [t.due_on for t in open_reminders] == [datetime.date(2026, 6, 1)]
    with pytest.raises(ValidationError) as error:
        services.residence_update(
            actor=lead,
            case=case,
            expected_version=updated.version,
            residence_decision="granted",
            today=today,
        )
    assert "residence_decision_on" in error.value.message_dict
    assert case.events.filter(kind="residence").count() == 2


def test_case_figures(lead, colleague):
    case = make_case(lead=lead, backup=colleague)
    services.event_record(
        actor=lead, case=case, kind="signal", text="x", occurred_on=datetime.date(2026, 1, 1)
    )
    services.placement_create(
        actor=lead,
        case=case,
        provider_name="Opvang Noord",
        kind="open",
        started_on=datetime.date(2026, 1, 31),
    )
    member = CaseMember.objects.get(case=case, membership=colleague)
    from .test_lead import CHECKLIST

    handover = services.handover_offer(actor=lead, case=case, to_member=member)
    services.handover_accept(actor=colleague, handover=handover, **CHECKLIST)
    figures = selectors.case_figures(actor=colleague, case=case)
    assert figures.days_to_help == 30
    assert figures.handovers == 1
    assert figures.organisations == 2  # the holder and Opvang Noord
    manager = MembershipFactory(role=Role.ORG_ADMIN, organisation=lead.organisation)
    totals = selectors.organisation_figures_for(actor=manager)
    assert totals.cases_open == 1 and totals.handovers_total == 1
    assert totals.days_to_help_median == 30
    with pytest.raises(Http404):
        selectors.organisation_figures_for(actor=lead)


def test_the_easy_read_overview(actor_client, lead, colleague):
    world = full_case(lead=lead)
    client, _m = actor_client(lead)
    response = client.get(f"/casussen/{world['case'].public_id}/voor-de-persoon/")
    html = response.content.decode()
    assert "Wie helpt jou?" in html and "Bel 112" in html
    assert lead.user.full_name in html


def test_the_demo_cases(settings):
    from schakel.web.demo import seed_demo

    seed_demo()
    first = seed_demo_cases(today=datetime.date(2026, 11, 24))
    assert "Noa" in first and "Milan" in first and "Sem" in first
    assert seed_demo_cases() == "Demo cases: already there."
    cases = Case.objects.all()
    assert cases.count() == 3
    assert {c.lead.user.email for c in cases} == {"professional@zorg.demo"}
    shared = [
        c
        for c in cases
        if CaseMember.objects.filter(case=c).exclude(organisation=c.organisation).exists()
    ]
    assert len(shared) == 1
    teacher = CaseMember.objects.exclude(organisation=shared[0].organisation).get(case=shared[0])
    assert teacher.membership.user.email == "professional@onderwijs.demo"
    assert selectors.case_list_for(actor=teacher.membership) == [shared[0]]
    assert cases.filter(involvement="both").count() == 1
    settings.SCHAKEL_DEMO_ALLOWED = False
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        seed_demo_cases()
