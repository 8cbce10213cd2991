"""The web pages: register (directly and from a case), own registrations with matches, the match
page with the lead agreement and the invitation into a case, withdrawing; and no browsing."""

import datetime

import pytest
from django.test import override_settings

from schakel.accounts.models import Organisation, Role
from schakel.cases.models import CaseMember
from schakel.signal_index import services
from schakel.signal_index.models import SignalMatch, SignalRegistration
from tests.cases.factories import agreement_between, make_case
from tests.people.factories import PersonFactory, valid_bsn

from .factories import identifiers, professional, register

pytestmark = pytest.mark.django_db
D = Organisation.Domain


def form(**extra):
    data = {"bsn": valid_bsn(1), "reason": "zorgen_over_uitbuiting",
            "contact_function": "Mentor", "contact_phone": "06-12345678"}  # fmt: skip
    data.update(extra)
    return data


def test_register_directly_and_see_it(actor_client):
    client, actor = actor_client(professional(D.ONDERWIJS))
    page = client.get("/signalen/nieuw/")
    assert page.status_code == 200
    assert "Meld" in page.content.decode()
    response = client.post("/signalen/nieuw/", form(), follow=True)
    assert response.status_code == 200
    registration = SignalRegistration.objects.get()
    assert response.redirect_chain[-1][0] == f"/signalen/melding/{registration.public_id}/"
    html = response.content.decode()
    assert "Nog geen match" in html
    listing = client.get("/signalen/").content.decode()
    assert str(registration.public_id)[:8] in listing
    # the next form offers the contact given this time
    again = client.get("/signalen/nieuw/").content.decode()
    assert 'value="Mentor"' in again and 'value="06-12345678"' in again


def test_bad_input_shows_the_field_and_stores_nothing(actor_client):
    client, _actor = actor_client(professional())
    response = client.post("/signalen/nieuw/", form(bsn="123456789"))
    assert response.status_code == 400
    assert "elfproef" in response.content.decode()
    response = client.post("/signalen/nieuw/", form(bsn="", surname="Jansen"))
    assert response.status_code == 400
    assert 'id="id_given_names_error"' in response.content.decode()
    assert not SignalRegistration.objects.exists()


@override_settings(SCHAKEL_SIGNAL_RATE_PER_USER_HOUR=1)
def test_over_the_limit_is_a_clear_message(actor_client):
    client, _actor = actor_client(professional())
    client.post("/signalen/nieuw/", form())
    response = client.post("/signalen/nieuw/", form(bsn=valid_bsn(2)))
    assert response.status_code == 429
    assert "afgelopen uur" in response.content.decode()
    assert SignalRegistration.objects.count() == 1


def test_from_a_case_page(actor_client):
    lead = professional(D.ZORG)
    case = make_case(lead=lead, date_of_birth=datetime.date(2010, 2, 2))
    client, _ = actor_client(lead)
    detail = client.get(f"/casussen/{case.public_id}/").content.decode()
    assert f"/signalen/nieuw/?context=case:{case.public_id}" in detail
    page = client.get(f"/signalen/nieuw/?context=case:{case.public_id}")
    assert page.status_code == 200 and 'name="bsn"' not in page.content.decode()
    response = client.post(
        "/signalen/nieuw/",
        {"context": f"case:{case.public_id}", "contact_function": "Jeugdhulp",
         "contact_phone": "0201234567"},
    )  # fmt: skip
    assert response.status_code == 302
    assert SignalRegistration.objects.get().case == case


def test_a_case_of_another_organisation_is_404(actor_client):
    case = make_case(date_of_birth=datetime.date(2010, 2, 2))
    client, _ = actor_client(professional(D.POLITIE))
    assert client.get(f"/signalen/nieuw/?context=case:{case.public_id}").status_code == 404


def test_the_match_is_seen_by_the_other_organisation_with_only_organisation_and_contact(
    actor_client,
):
    school = professional(D.ONDERWIJS)
    register(school, identifiers(5), contact_function="Mentor")
    police = professional(D.POLITIE)
    register(police, identifiers(5), contact_function="Wijkagent", contact_phone="0900-8844")
    client, _ = actor_client(school)
    home = client.get("/signalen/").content.decode()
    assert police.organisation.name in home and "nieuw" in home
    assert "1 nieuwe match" in home  # the count in the menu
    match = SignalMatch.objects.get()
    page = client.get(f"/signalen/match/{match.public_id}/").content.decode()
    assert "Wijkagent" in page and "0900-8844" in page and "Politie" in page
    assert "zorgen_over_uitbuiting" not in page and "Zorgen over uitbuiting" not in page
    match.refresh_from_db()
    assert match.side_of(school.organisation_id) == "a" and match.a_seen_at is not None
    assert "1 nieuwe match" not in client.get("/signalen/").content.decode()


def test_org_b_can_never_list_or_fetch_org_a_registration(actor_client):
    owner = professional(D.ONDERWIJS)
    registration = register(owner, identifiers(6)).registration
    client, stranger = actor_client(professional(D.POLITIE))
    assert str(registration.public_id)[:8] not in client.get("/signalen/").content.decode()
    for url in (
        f"/signalen/melding/{registration.public_id}/",
        f"/signalen/melding/{registration.public_id}/intrekken/",
    ):
        assert client.get(url).status_code == 404
    assert client.post(f"/signalen/melding/{registration.public_id}/intrekken/",
                       {"version": 1}).status_code == 404  # fmt: skip
    # a match between two others is not visible either
    register(professional(D.GEMEENTE), identifiers(6))
    match = SignalMatch.objects.get()
    assert client.get(f"/signalen/match/{match.public_id}/").status_code == 404
    registration.refresh_from_db()
    assert registration.ended_at is None


def test_without_the_permission_the_index_is_404(actor_client):
    client, _ = actor_client(professional(role=Role.ANALYST))
    assert client.get("/signalen/").status_code == 404
    assert client.get("/signalen/nieuw/").status_code == 404


def test_withdraw_with_confirmation(actor_client):
    owner = professional()
    registration = register(owner, identifiers(7)).registration
    client, _ = actor_client(owner)
    page = client.get(f"/signalen/melding/{registration.public_id}/intrekken/")
    assert page.status_code == 200
    registration.refresh_from_db()
    assert registration.ended_at is None
    response = client.post(
        f"/signalen/melding/{registration.public_id}/intrekken/", {"version": registration.version}
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.end_reason == "withdrawn"


def _lead_and_match(*, agreement: bool):
    lead = professional(D.ZORG)
    person = PersonFactory(
        owner_organisation=lead.organisation, date_of_birth=datetime.date(2008, 1, 1),
        bsn=valid_bsn(50),
    )  # fmt: skip
    case = make_case(lead=lead, person=person)
    register(lead, context=f"case:{case.public_id}")
    teacher = professional(D.ONDERWIJS)
    register(teacher, identifiers(50, names=False))
    if agreement:
        agreement_between(lead.organisation, teacher.organisation)
    return lead, teacher, case, SignalMatch.objects.get()


def test_lead_agreement_and_invite_into_the_case(actor_client, client):
    lead, teacher, case, match = _lead_and_match(agreement=True)
    lead_client, _ = actor_client(lead)
    url = f"/signalen/match/{match.public_id}/"
    lead_client.post(url + "regie/", {"action": "propose"})
    match.refresh_from_db()
    assert match.lead_status == "proposed" and match.lead_proposed_by == lead
    # the proposer cannot answer its own proposal
    with pytest.raises(Exception):  # noqa: B017 - ValidationError from the service
        services.signal_match_lead_answer(actor=lead, match=match, accept=True)
    client.logout()
    teacher_client, _ = actor_client(teacher)
    assert "stelt voor de regie te nemen" in teacher_client.get(url).content.decode()
    teacher_client.post(url + "regie/", {"action": "accept"})
    match.refresh_from_db()
    assert match.lead_status == "accepted" and match.lead_answered_by == teacher
    client.logout()
    lead_client, _ = actor_client(lead)
    page = lead_client.get(url).content.decode()
    assert "Uitnodigen in de casus" in page
    response = lead_client.post(url + "uitnodigen/", {"case": str(case.public_id)})
    assert response.status_code == 302, response.content.decode()
    assert CaseMember.objects.filter(case=case, membership=teacher, ended_at__isnull=True).exists()


def test_invite_refused_by_the_gate_shows_what_is_missing(actor_client):
    lead, teacher, case, match = _lead_and_match(agreement=False)
    services.signal_match_lead_propose(actor=lead, match=match)
    services.signal_match_lead_answer(actor=teacher, match=match, accept=True)
    client, _ = actor_client(lead)
    response = client.post(
        f"/signalen/match/{match.public_id}/uitnodigen/", {"case": str(case.public_id)}
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "Delen mag (nog) niet" in html and "<li>" in html
    assert not CaseMember.objects.filter(case=case, membership=teacher).exists()


def test_only_the_side_with_the_lead_can_invite():
    lead, teacher, case, match = _lead_and_match(agreement=True)
    services.signal_match_lead_propose(actor=teacher, match=match)
    services.signal_match_lead_answer(actor=lead, match=match, accept=True)
    with pytest.raises(Exception, match="regie"):
        services.signal_match_case_invite(actor=lead, match=match, case=case)


def test_a_declined_proposal_can_be_made_again():
    lead, teacher, _case, match = _lead_and_match(agreement=True)
    services.signal_match_lead_propose(actor=lead, match=match)
    services.signal_match_lead_answer(actor=teacher, match=match, accept=False)
    match.refresh_from_db()
    assert match.lead_status == "declined"
    services.signal_match_lead_propose(actor=teacher, match=match)
    match.refresh_from_db()
    assert match.lead_status == "proposed" and match.lead_side == "b"


def test_assessment_page_links_to_the_index(actor_client):
    from django.core.management import call_command

    from schakel.screening.models import Assessment, InstrumentVersion

    call_command("load_instruments", verbosity=0)
    actor = professional()
    person = PersonFactory(owner_organisation=actor.organisation)
    instrument = InstrumentVersion.objects.get(key="aanwijzingen-lvb")
    from schakel.screening import services as screening_services
    from schakel.screening.selectors import instrument_get
    from tests.screening.factories import answers_all

    assessment = screening_services.assessment_create(
        actor=actor, person=person, instrument_row=instrument,
        answers=answers_all(instrument_get(key="aanwijzingen-lvb")),
    )  # fmt: skip
    assert isinstance(assessment, Assessment)
    client, _ = actor_client(actor)
    page = client.get(f"/screening/beoordelingen/{assessment.public_id}/").content.decode()
    assert f"context=assessment:{assessment.public_id}" in page
