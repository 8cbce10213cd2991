"""The cases API: the same rules as the web, problem+json errors naming fields."""

import pytest

from schakel.accounts.models import Role
from schakel.cases.models import Case
from tests.accounts.factories import MembershipFactory
from tests.people.factories import PersonFactory

from .factories import OfferFactory, add_member, full_case, police_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(api):
    def make(membership):
        client, headers = api(membership)

        def request(method, path, body=None):
            kwargs = {"headers": headers}
            if body is not None:
                kwargs.update(data=body, content_type="application/json")
            return getattr(client, method)(f"/api/v1/cases/{path}", **kwargs)

        return request

    return make


def test_create_read_update_a_case(call, lead, colleague):
    person = PersonFactory(owner_organisation=lead.organisation)
    as_lead = call(lead)
    response = as_lead(
        "post",
        "",
        {"person": str(person.public_id), "involvement": "both", "backup": colleague.pk},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["your_role"] == "lead"
    assert body["non_punishment"]
    assert body["lead"]["name"] == lead.user.full_name
    assert response["Location"].endswith(f"/api/v1/cases/{body['id']}/")
    case_id = body["id"]
    response = as_lead("patch", f"{case_id}/", {"version": 1, "forms": ["geen"]})
    assert response.status_code == 400
    assert response.json()["invalid_params"][0]["name"] == "forms"
    response = as_lead("patch", f"{case_id}/", {"version": 1, "forms": ["arbeidsuitbuiting"]})
    assert response.status_code == 200 and response.json()["version"] == 2
    assert [c["id"] for c in as_lead("get", "").json()] == [case_id]


def test_creating_needs_a_person_of_your_own_organisation(call, lead, colleague):
    other_person = PersonFactory()
    response = call(lead)(
        "post",
        "",
        {"person": str(other_person.public_id), "involvement": "victim", "backup": colleague.pk},
    )
    assert response.status_code == 400
    assert response.json()["invalid_params"][0]["name"] == "person"
    analyst = MembershipFactory(role=Role.ANALYST, organisation=lead.organisation)
    response = call(analyst)("post", "", {})
    assert response.status_code == 403
    assert not Case.objects.exists()


def test_refused_by_the_gate_is_403_with_reasons(call, case, lead, outsider):
    response = call(lead)(
        "post",
        f"{case.public_id}/members/",
        {
            "organisation": outsider.organisation_id,
            "email": outsider.user.email,
            "role": "police",
            "data_categories": ["tijdlijn"],
        },
    )
    assert response.status_code == 403
    problem = response.json()
    assert problem["type"].endswith("/sharing-not-allowed")
    assert problem["reasons"]


def test_handover_through_the_api(call, case, lead, outsider):
    member = add_member(case, outsider)
    response = call(lead)("post", f"{case.public_id}/handovers/", {"to_member": member.pk})
    assert response.status_code == 201
    handover = response.json()["id"]
    as_guest = call(outsider)
    response = as_guest(
        "post", f"{case.public_id}/handovers/{handover}/accept/", {"talked_with_person": True}
    )
    assert response.status_code == 400
    names = {p["name"] for p in response.json()["invalid_params"]}
    assert names == {"history_read", "appointments_moved"}
    response = as_guest(
        "post",
        f"{case.public_id}/handovers/{handover}/accept/",
        {"talked_with_person": True, "history_read": True, "appointments_moved": True},
    )
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    assert as_guest("get", f"{case.public_id}/").json()["your_role"] == "lead"


def test_referral_decline_returns_the_next_options(call, case, lead):
    first = OfferFactory()
    OfferFactory(name="Volgende optie")
    as_lead = call(lead)
    response = as_lead("post", f"{case.public_id}/referrals/", {"offer": first.key})
    assert response.status_code == 201
    referral = response.json()
    response = as_lead(
        "post",
        f"{case.public_id}/referrals/{referral['id']}/transition/",
        {"version": referral["version"], "action": "decline", "reason": ""},
    )
    assert response.status_code == 400
    response = as_lead(
        "post",
        f"{case.public_id}/referrals/{referral['id']}/transition/",
        {"version": referral["version"], "action": "decline", "reason": "Vol"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "declined"
    assert "Volgende optie" in [o["name"] for o in body["next_options"]]
    assert first.key not in [o["key"] for o in body["next_options"]]


def test_timeline_meetings_tasks_aftercare_and_card(call, lead):
    world = full_case(lead=lead)
    case = world["case"]
    as_lead = call(lead)
    timeline = as_lead("get", f"{case.public_id}/timeline/?group=meetings").json()
    assert {e["group"] for e in timeline} == {"meetings"}
    assert as_lead("get", f"{case.public_id}/timeline/?group=nope").status_code == 400
    response = as_lead(
        "post",
        f"{case.public_id}/timeline/",
        {"corrects": f"e{world['event'].pk}", "text": "Het was anders"},
    )
    assert response.status_code == 201 and response.json()["corrects"] == f"e{world['event'].pk}"
    meeting = as_lead("get", f"{case.public_id}/meetings/{world['meeting'].pk}/").json()
    assert "lvb_expertise_present" in meeting
    response = as_lead(
        "post",
        f"{case.public_id}/meetings/{world['meeting'].pk}/decisions/",
        {"text": "We verwijzen naar een specialist"},
    )
    assert response.status_code == 201
    response = as_lead(
        "post",
        f"{case.public_id}/tasks/",
        {"title": "Bellen", "owner": world["guest_member"].pk, "due_on": "2020-01-01"},
    )
    assert response.status_code == 201
    mine = call(world["guest"])("get", "tasks/").json()
    assert any(t["title"] == "Bellen" and t["overdue"] for t in mine)
    plan = as_lead("get", f"{case.public_id}/aftercare/").json()
    response = as_lead(
        "put",
        f"{case.public_id}/aftercare/",
        {"version": plan["version"], "domains": {"work": {"goal": "Werkervaring"}}},
    )
    assert response.status_code == 200 and response.json()["domains"]["work"]["goal"]
    card = as_lead("get", f"{case.public_id}/crisis-card/").json()
    response = as_lead(
        "put",
        f"{case.public_id}/crisis-card/",
        {"version": card["version"], "call_first": "Oma", "agreed_by_person": True},
    )
    assert response.status_code == 200
    response = as_lead(
        "post", f"{case.public_id}/crisis-card/shares/", {"recipient": world["police"].pk}
    )
    assert response.status_code == 201
    officer = MembershipFactory(role=Role.PROFESSIONAL, organisation=world["police"])
    received = call(officer)("get", "crisis-cards/").json()
    assert received[0]["card"]["call_first"] == "Oma"
    assert as_lead("get", f"{case.public_id}/figures/").status_code == 200


def test_organisation_figures_for_managers_only(call, case, lead):
    manager = MembershipFactory(role=Role.ORG_ADMIN, organisation=lead.organisation)
    assert call(manager)("get", "figures/").json()["cases_open"] == 1
    assert call(lead)("get", "figures/").status_code == 404


def test_other_police_get_no_shared_card(call):
    world = full_case()
    stranger = MembershipFactory(role=Role.PROFESSIONAL, organisation=police_organisation())
    assert call(stranger)("get", "crisis-cards/").json() == []
    share_id = world["share"].public_id
    assert call(stranger)("get", f"crisis-cards/{share_id}/").status_code == 404


def test_the_schema_documents_the_case_endpoints(client):
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/cases/{public_id}/timeline/" in paths
    assert "/api/v1/cases/{public_id}/handovers/{id}/accept/" in paths
