"""Need-to-know: who sees a case and which parts; joining passes the privacy gate; access ends
when the membership ends or the basis lapses; every read and write leaves a processing entry."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from schakel.accounts.models import Role
from schakel.cases import selectors, services
from schakel.cases.models import CaseMember, Event
from schakel.privacy.models import ProcessingEntry
from schakel.privacy.rules import SharingNotAllowed
from schakel.privacy.services import consent_withdraw
from tests.accounts.factories import MembershipFactory
from tests.privacy.factories import ConsentFactory

from .factories import OfferFactory, add_member

pytestmark = pytest.mark.django_db


def entries(activity="case_coordination", **filters):
    return ProcessingEntry.objects.filter(activity=activity, **filters)


def test_joining_from_another_organisation_needs_a_basis(case, lead, outsider):
    before = CaseMember.objects.count()
    with pytest.raises(SharingNotAllowed) as refusal:
        services.case_member_add(
            actor=lead,
            case=case,
            membership=outsider,
            role="education",
            data_categories=["tijdlijn", "identificatie"],
        )
    assert refusal.value.reasons
    assert CaseMember.objects.count() == before
    with pytest.raises(Http404):
        selectors.case_get_for(actor=outsider, public_id=case.public_id)


def test_consent_is_a_basis_and_withdrawing_it_ends_access_at_once(case, lead, outsider):
    consent = ConsentFactory(
        person=case.person,
        purposes=["case_coordination"],
        data_categories=["identificatie", "tijdlijn"],
        recipients=[outsider.organisation],
    )
    member = services.case_member_add(
        actor=lead,
        case=case,
        membership=outsider,
        role="education",
        data_categories=["identificatie", "tijdlijn"],
    )
    assert member.basis.kind == "consent"
    assert selectors.case_get_for(actor=outsider, public_id=case.public_id)
    consent_withdraw(actor=lead, consent=consent, note="De persoon wil dit niet meer")
    with pytest.raises(Http404):
        selectors.case_get_for(actor=outsider, public_id=case.public_id)
    assert selectors.case_list_for(actor=outsider) == []
    lapsed = next(
        m
        for m in selectors.members_for(
            actor=lead, case=selectors.case_get_for(actor=lead, public_id=case.public_id)
        )
        if m.pk == member.pk
    )
    assert lapsed.in_force is False


def test_a_former_member_gets_404(case, lead, outsider):
    member = add_member(case, outsider)
    assert selectors.case_get_for(actor=outsider, public_id=case.public_id)
    services.case_member_end(actor=outsider, case=case, member=member, reason="Klaar")
    with pytest.raises(Http404):
        selectors.case_get_for(actor=outsider, public_id=case.public_id)
    assert case.events.filter(kind=Event.Kind.MEMBER_LEFT).exists()


def test_open_tasks_of_a_leaving_member_go_to_the_lead(case, lead, outsider):
    member = add_member(case, outsider)
    task = services.task_create(
        actor=lead, case=case, title="Bellen", owner=outsider, due_on=datetime.date(2026, 12, 1)
    )
    services.case_member_end(actor=lead, case=case, member=member, reason="")
    task.refresh_from_db()
    assert task.owner == lead


def test_a_member_sees_only_the_shared_categories(case, lead, outsider):
    services.event_record(actor=lead, case=case, kind="signal", text="Dure spullen")
    services.event_record(actor=lead, case=case, kind="note", text="Gesprek gehad")
    add_member(case, outsider, categories=["tijdlijn"])
    seen = selectors.case_get_for(actor=outsider, public_id=case.public_id)
    kinds = {e.kind for e in selectors.timeline_for(actor=outsider, case=seen)}
    assert "note" in kinds and "signal" not in kinds
    assert not seen.access.sees_identity
    with pytest.raises(PermissionDenied):
        selectors.referrals_for(actor=outsider, case=seen)
    with pytest.raises(PermissionDenied):
        services.event_record(actor=outsider, case=seen, kind="signal", text="x")


def test_the_holders_colleagues_on_the_case_see_everything(case, lead, colleague):
    member = MembershipFactory(role=Role.PROFESSIONAL, organisation=lead.organisation)
    add_member(case, member, categories=["tijdlijn"])
    seen = selectors.case_get_for(actor=member, public_id=case.public_id)
    assert seen.access.sees_identity and seen.access.sees_help


def test_colleagues_who_are_not_members_get_404(case, lead):
    colleague = MembershipFactory(role=Role.PROFESSIONAL, organisation=lead.organisation)
    with pytest.raises(Http404):
        selectors.case_get_for(actor=colleague, public_id=case.public_id)


def test_reads_and_writes_leave_a_processing_entry(case, lead):
    reads = entries(operation="read").count()
    writes = entries(operation="update").count()
    seen = selectors.case_get_for(actor=lead, public_id=case.public_id)
    assert entries(operation="read").count() == reads + 1
    services.event_record(actor=lead, case=seen, kind="note", text="x")
    assert entries(operation="update").count() == writes + 1
    selectors.case_list_for(actor=lead)
    assert entries(operation="read").count() == reads + 2


def test_sharing_a_referral_is_logged_as_a_share(case, lead):
    from schakel.privacy.models import SharingBasis
    from tests.accounts.factories import OrganisationFactory

    from .factories import ProviderFactory, agreement_between

    provider_org = OrganisationFactory()
    agreement_between(lead.organisation, provider_org)
    offer = OfferFactory(provider=ProviderFactory(organisation=provider_org))
    shares = entries(activity="referral", operation="share").count()
    referral = services.referral_create(actor=lead, case=case, offer=offer)
    assert referral.basis is not None and referral.recipient == provider_org
    assert SharingBasis.objects.filter(purpose="referral", recipient=provider_org).exists()
    assert entries(activity="referral", operation="share").count() == shares + 1


def test_a_persons_access_request_includes_their_cases(case, lead):
    from schakel.cases.subject_access import build
    from schakel.privacy.subject_access import SECTIONS

    services.event_record(actor=lead, case=case, kind="note", text="Gesprek met Noa")
    assert "cases" in SECTIONS
    rows = build(person=case.person)
    assert len(rows) == 1
    assert rows[0]["Casus"] == case.reference
    assert any("Gesprek met Noa" in line for line in rows[0]["Tijdlijn"])


def test_a_failing_insert_leaves_no_basis_and_no_share_entry(case, lead, outsider, monkeypatch):
    """Issue 14.6: the gate's basis and its "share" entry are written with the member or not at
    all; a refusal before that stays logged."""
    from django.db import IntegrityError

    from schakel.privacy.models import SharingBasis

    ConsentFactory(
        person=case.person,
        purposes=["case_coordination"],
        data_categories=["identificatie", "tijdlijn"],
        recipients=[outsider.organisation],
    )
    bases, shares = SharingBasis.objects.count(), entries(operation="share").count()

    def race(**kwargs):  # another request added the same member a moment earlier
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(CaseMember.objects, "create", race)
    with pytest.raises(ValidationError):
        services.case_member_add(
            actor=lead,
            case=case,
            membership=outsider,
            role="education",
            data_categories=["identificatie", "tijdlijn"],
        )
    assert SharingBasis.objects.count() == bases
    assert entries(operation="share").count() == shares


def test_a_refusal_stays_in_the_log(case, lead, outsider):
    denied = ProcessingEntry.objects.filter(outcome="denied").count()
    with pytest.raises(SharingNotAllowed):
        services.case_member_add(
            actor=lead,
            case=case,
            membership=outsider,
            role="education",
            data_categories=["tijdlijn"],
        )
    assert ProcessingEntry.objects.filter(outcome="denied").count() == denied + 1
