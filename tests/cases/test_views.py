"""The web pages: forms without JavaScript, errors that name the field, the notices that must
show wherever they apply."""

import datetime

import pytest

from schakel.accounts.models import Role
from schakel.cases.models import Case, CaseMember, Handover, Meeting, Referral, Task
from tests.accounts.factories import MembershipFactory
from tests.people.factories import PersonFactory

from .factories import OfferFactory, add_member, full_case, make_case

pytestmark = pytest.mark.django_db


def test_start_a_case_in_the_web(actor_client, lead, colleague):
    person = PersonFactory(owner_organisation=lead.organisation, surname="Visser")
    client, _m = actor_client(lead)
    page = client.get("/casussen/nieuw/")
    assert "Visser" in page.content.decode()
    response = client.post("/casussen/nieuw/", {"person": str(person.public_id)})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Controleer wat u hebt ingevuld" in html and 'href="#id_involvement_0"' in html
    response = client.post(
        "/casussen/nieuw/",
        {
            "person": str(person.public_id),
            "involvement": "victim",
            "exploitation": ["seksuele_uitbuiting"],
            "backup": str(colleague.pk),
            "help_question": "Veilig wonen",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/casussen/{case.public_id}/"
    assert case.lead == lead and case.backup == colleague


def test_new_case_form_takes_a_person_from_the_people_page(actor_client, lead):
    person = PersonFactory(owner_organisation=lead.organisation, surname="Smit")
    client, _m = actor_client(lead)
    page = client.get(f"/casussen/nieuw/?persoon={person.public_id}").content.decode()
    assert f'value="{person.public_id}" selected' in page


def test_the_non_punishment_notice_shows_on_every_tab(actor_client, lead, colleague):
    case = make_case(lead=lead, backup=colleague, involvement="both", lvb=True)
    client, _m = actor_client(lead)
    for tab in ("", "tijdlijn/", "team/", "hulp/", "overleg/", "taken/", "nazorg/"):
        html = client.get(f"/casussen/{case.public_id}/{tab}").content.decode()
        assert "non-punishment" in html, tab
        assert "Praten met iemand met een (mogelijke) LVB" in html, tab
    victim = make_case(lead=lead, backup=colleague, involvement="victim")
    assert "non-punishment" not in client.get(f"/casussen/{victim.public_id}/").content.decode()


def test_lvb_guidance_without_the_indication_for_members_without_that_data(
    actor_client, lead, colleague, outsider
):
    case = make_case(lead=lead, backup=colleague, lvb=True)
    add_member(case, outsider, categories=["tijdlijn"])
    html = actor_client(outsider)[0].get(f"/casussen/{case.public_id}/").content.decode()
    assert "Praten met iemand met een (mogelijke) LVB" in html
    assert "Bron van de indicatie" not in html
    assert case.person.surname not in html
    assert "naam niet gedeeld" in html


def test_add_a_member_refused_by_the_gate_shows_the_reasons(actor_client, case, lead, outsider):
    client, _m = actor_client(lead)
    response = client.post(
        f"/casussen/{case.public_id}/team/toevoegen/",
        {
            "organisation": outsider.organisation_id,
            "email": outsider.user.email,
            "role": "police",
            "data_categories": ["tijdlijn", "identificatie"],
        },
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "Delen mag (nog) niet" in html and "Mag ik dit delen?" in html
    assert not CaseMember.objects.filter(membership=outsider).exists()
    response = client.post(
        f"/casussen/{case.public_id}/team/toevoegen/",
        {
            "organisation": outsider.organisation_id,
            "email": "niemand@example.org",
            "role": "police",
            "data_categories": ["tijdlijn"],
        },
    )
    assert response.status_code == 400


def test_warm_handover_in_the_web(actor_client, case, lead):
    newcomer = MembershipFactory(role=Role.PROFESSIONAL, organisation=lead.organisation)
    member = add_member(case, newcomer)
    client, _m = actor_client(lead)
    response = client.post(
        f"/casussen/{case.public_id}/overdracht/", {"to_member": str(member.pk), "message": "Hoi"}
    )
    assert response.status_code == 302
    handover = Handover.objects.get()
    newcomer_client, _n = actor_client(newcomer)
    start = newcomer_client.get("/casussen/").content.decode()
    assert "Gevraagd om de regie over te nemen" in start
    url = f"/casussen/{case.public_id}/overdracht/{handover.pk}/"
    response = newcomer_client.post(url, {"action": "accept", "talked_with_person": "on"})
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.lead == lead
    response = newcomer_client.post(
        url,
        {
            "action": "accept",
            "talked_with_person": "on",
            "history_read": "on",
            "appointments_moved": "on",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.lead == newcomer


def test_refer_decline_and_see_the_next_options(actor_client, case, lead):
    first = OfferFactory(name="Eerste programma")
    OfferFactory(name="Ander programma")
    client, _m = actor_client(lead)
    search = client.get(f"/casussen/{case.public_id}/hulp/zoeken/?need=&q=").content.decode()
    assert "Eerste programma" in search
    response = client.post(
        f"/casussen/{case.public_id}/hulp/verwijzen/{first.key}/",
        {"need": "", "note": "Graag snel", "data_categories": ["identificatie"]},
    )
    referral = Referral.objects.get()
    assert response.status_code == 302
    url = f"/casussen/{case.public_id}/hulp/verwijzingen/{referral.pk}/"
    response = client.post(
        url,
        {
            "action": "decline",
            "decline-version": 1,
            "decline-on": "2026-01-01",
            "decline-reason": "",
        },
    )
    assert response.status_code == 400
    response = client.post(
        url,
        {
            "action": "decline",
            "decline-version": 1,
            "decline-on": datetime.date.today().isoformat(),
            "decline-reason": "Vol",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#volgende-opties")
    page = client.get(url).content.decode()
    assert "De volgende opties van de wegwijzer" in page and "Ander programma" in page


def test_meeting_decision_and_agreement_in_the_web(actor_client, case, lead, colleague):
    client, _m = actor_client(lead)
    lead_member = case.members.get(membership=lead)
    response = client.post(
        f"/casussen/{case.public_id}/overleg/nieuw/",
        {"kind": "regietafel", "date": "2026-01-05", "participants": [str(lead_member.pk)]},
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    url = f"/casussen/{case.public_id}/overleg/{meeting.pk}/"
    assert client.post(url, {"what": "decision", "text": "Aanmelden bij opvang"}).status_code == 302
    response = client.post(
        url,
        {
            "what": "task",
            "taak-title": "Opvang bellen",
            "taak-owner": str(colleague.pk),
            "taak-due_on": "2026-01-12",
        },
    )
    assert response.status_code == 302
    task = Task.objects.get(meeting=meeting)
    assert task.owner == colleague
    page = client.get(url).content.decode()
    assert "Aanmelden bij opvang" in page and "Opvang bellen" in page
    assert "niet aanwezig" in page  # no LVB expertise at the table


def test_aftercare_and_crisis_card_forms(actor_client, lead):
    world = full_case(lead=lead)
    case = world["case"]
    client, _m = actor_client(lead)
    response = client.post(
        f"/casussen/{case.public_id}/nazorg/",
        {"version": 1, "housing_goal": "Eigen woning", "coach_kind": "coach"},
    )
    assert response.status_code == 302
    case.aftercare.refresh_from_db()
    assert case.aftercare.domains == {"housing": {"situation": "", "goal": "Eigen woning"}}
    response = client.post(
        f"/casussen/{case.public_id}/hulpkaart/",
        {"version": 1, "call_first": "Oom Kees", "agreed_by_person": "on"},
    )
    assert response.status_code == 302
    printed = client.get(f"/casussen/{case.public_id}/hulpkaart/afdrukken/").content.decode()
    assert "Oom Kees" in printed
    response = client.post(
        f"/casussen/{case.public_id}/hulpkaart/delen/", {"recipient": world["police"].pk}
    )
    assert response.status_code == 302
    officer = MembershipFactory(role=Role.PROFESSIONAL, organisation=world["police"])
    police_client, _o = actor_client(officer)
    listing = police_client.get("/casussen/hulpkaarten/").content.decode()
    assert case.person.display_name in listing


def test_managers_see_totals_not_cases(actor_client, case, lead):
    manager = MembershipFactory(role=Role.ORG_ADMIN, organisation=lead.organisation)
    client, _m = actor_client(manager)
    response = client.get("/casussen/")
    assert response.status_code == 302 and response["Location"] == "/casussen/cijfers/"
    html = client.get("/casussen/cijfers/").content.decode()
    assert "lopende casussen" in html
    assert case.person.surname not in html
    assert actor_client(lead)[0].get("/casussen/cijfers/").status_code == 404


def test_close_the_case_in_the_web(actor_client, lead, colleague):
    case = make_case(
        lead=lead,
        backup=colleague,
        opened_on=datetime.date(2026, 1, 1),
        today=datetime.date(2026, 1, 1),
    )
    client, _m = actor_client(lead)
    url = f"/casussen/{case.public_id}/afsluiten/"
    assert "Er is nog geen nazorgplan" in client.get(url).content.decode()
    response = client.post(url, {"version": 1, "closed_on": "2026-02-01", "reason": "Klaar"})
    assert response.status_code == 400
    response = client.post(
        url,
        {
            "version": 1,
            "closed_on": "2026-02-01",
            "reason": "Klaar",
            "no_aftercare_reason": "Verhuisd",
        },
    )
    assert response.status_code == 302
    assert Task.objects.filter(case=case, kind="aftercare").count() == 3
