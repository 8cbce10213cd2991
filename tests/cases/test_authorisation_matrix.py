"""The authorisation matrix: every case endpoint, in the web and the API, for every role, as a
member, a former member, a non-member of the same organisation and someone of another
organisation. Only active members whose role may work with cases get anything; everyone else
gets 404 (never 403, so case ids cannot be probed) and nothing changes."""

import pytest
from django.utils import timezone

from schakel.accounts.models import Role
from schakel.accounts.permissions import can
from schakel.accounts.services import api_token_issue
from schakel.cases.models import CaseMember, Event, Handover, Task
from schakel.privacy.models import ProcessingEntry
from tests.accounts.factories import MembershipFactory

from .factories import ALL_CASE_CATEGORIES, full_case

pytestmark = pytest.mark.django_db

RELATIONS = ["member", "former_member", "non_member", "other_organisation"]


def api_endpoints(w) -> list[tuple[str, str, dict]]:
    c = f"/api/v1/cases/{w['case'].public_id}/"
    member = w["guest_member"].pk
    return [
        ("get", c, {}),
        ("patch", c, {"version": 1, "help_question": "x"}),
        ("post", c + "close/", {"version": 1, "reason": "x"}),
        ("post", c + "reopen/", {"version": 1, "reason": "x"}),
        ("post", c + "backup/", {"version": 1, "member": member}),
        ("put", c + "residence/", {"version": 1, "foreign_victim": True}),
        ("get", c + "figures/", {}),
        ("get", c + "timeline/", {}),
        ("post", c + "timeline/", {"kind": "note", "text": "x"}),
        ("post", c + "timeline/", {"corrects": f"e{w['event'].pk}", "text": "x"}),
        ("get", c + "members/", {}),
        ("post", c + "members/", {"organisation": 1, "email": "a@b.nl", "role": "other"}),
        ("get", c + f"members/{member}/", {}),
        ("patch", c + f"members/{member}/", {"version": 1, "role": "other"}),
        ("post", c + f"members/{member}/end/", {"reason": "x"}),
        ("post", c + f"members/{member}/recheck/", {}),
        ("get", c + "handovers/", {}),
        ("post", c + "handovers/", {"to_member": member}),
        ("post", c + f"handovers/{w['handover'].pk}/accept/", {"talked_with_person": True}),
        ("post", c + f"handovers/{w['handover'].pk}/decline/", {"reason": "x"}),
        ("post", c + f"handovers/{w['handover'].pk}/withdraw/", {}),
        ("get", c + "referrals/", {}),
        ("post", c + "referrals/", {"offer": w["offer"].key}),
        ("get", c + "referrals/options/", {}),
        ("get", c + f"referrals/{w['referral'].pk}/", {}),
        ("post", c + f"referrals/{w['referral'].pk}/transition/", {"version": 1, "action": "x"}),
        ("get", c + "placements/", {}),
        ("post", c + "placements/", {"provider_name": "x", "kind": "open"}),
        ("get", c + f"placements/{w['placement'].pk}/", {}),
        ("patch", c + f"placements/{w['placement'].pk}/", {"version": 1}),
        ("get", c + "meetings/", {}),
        ("post", c + "meetings/", {"kind": "mdo", "date": "2026-01-01"}),
        ("get", c + f"meetings/{w['meeting'].pk}/", {}),
        ("patch", c + f"meetings/{w['meeting'].pk}/", {"version": 1}),
        ("post", c + f"meetings/{w['meeting'].pk}/decisions/", {"text": "x"}),
        ("get", c + "tasks/", {}),
        ("post", c + "tasks/", {"title": "x", "owner": member, "due_on": "2026-01-01"}),
        ("get", c + f"tasks/{w['task'].pk}/", {}),
        ("patch", c + f"tasks/{w['task'].pk}/", {"version": 1, "status": "done"}),
        ("get", c + "aftercare/", {}),
        ("put", c + "aftercare/", {"version": 1}),
        ("get", c + "crisis-card/", {}),
        ("put", c + "crisis-card/", {"version": 1, "call_first": "x"}),
        ("get", c + "crisis-card/shares/", {}),
        ("post", c + "crisis-card/shares/", {"recipient": w["police"].pk}),
        ("post", c + f"crisis-card/shares/{w['share'].pk}/revoke/", {}),
    ]


def web_endpoints(w) -> list[tuple[str, str]]:
    c = f"/casussen/{w['case'].public_id}/"
    return [
        ("get", c),
        ("get", c + "wijzigen/"),
        ("post", c + "wijzigen/"),
        ("get", c + "afsluiten/"),
        ("post", c + "afsluiten/"),
        ("get", c + "heropenen/"),
        ("get", c + "verblijf/"),
        ("post", c + "verblijf/"),
        ("get", c + "tijdlijn/"),
        ("post", c + "tijdlijn/"),
        ("get", c + f"tijdlijn/{w['event'].pk}/corrigeren/"),
        ("post", c + f"tijdlijn/{w['event'].pk}/corrigeren/"),
        ("get", c + "team/"),
        ("get", c + "team/toevoegen/"),
        ("post", c + "team/toevoegen/"),
        ("get", c + f"team/{w['guest_member'].pk}/"),
        ("post", c + f"team/{w['guest_member'].pk}/stoppen/"),
        ("post", c + f"team/{w['guest_member'].pk}/opnieuw-toetsen/"),
        ("get", c + "achtervang/"),
        ("get", c + "overdracht/"),
        ("get", c + f"overdracht/{w['handover'].pk}/"),
        ("post", c + f"overdracht/{w['handover'].pk}/"),
        ("get", c + "hulp/"),
        ("get", c + "hulp/zoeken/"),
        ("get", c + f"hulp/verwijzen/{w['offer'].key}/"),
        ("get", c + f"hulp/verwijzingen/{w['referral'].pk}/"),
        ("post", c + f"hulp/verwijzingen/{w['referral'].pk}/"),
        ("get", c + "hulp/plaatsing/"),
        ("get", c + f"hulp/plaatsingen/{w['placement'].pk}/"),
        ("get", c + "overleg/"),
        ("get", c + "overleg/nieuw/"),
        ("get", c + f"overleg/{w['meeting'].pk}/"),
        ("post", c + f"overleg/{w['meeting'].pk}/"),
        ("get", c + "taken/"),
        ("get", c + "taken/nieuw/"),
        ("get", c + f"taken/{w['task'].pk}/"),
        ("post", c + f"taken/{w['task'].pk}/"),
        ("get", c + "nazorg/"),
        ("post", c + "nazorg/"),
        ("get", c + "hulpkaart/"),
        ("post", c + "hulpkaart/"),
        ("get", c + "hulpkaart/afdrukken/"),
        ("post", c + "hulpkaart/delen/"),
        ("post", c + f"hulpkaart/gedeeld/{w['share'].pk}/stoppen/"),
        ("get", c + "voor-de-persoon/"),
    ]


@pytest.fixture
def world():
    return full_case()


def _actor_for(world, role: str, relation: str):
    case = world["case"]
    if relation == "other_organisation":
        return MembershipFactory(role=role)
    membership = MembershipFactory(role=role, organisation=case.organisation)
    if relation in ("member", "former_member"):
        # Rows written directly: a role without "case.view" could have joined before its role
        # changed. The matrix must hold for that as well.
        CaseMember.objects.create(
            case=case,
            membership=membership,
            organisation=membership.organisation,
            role="other",
            data_categories=ALL_CASE_CATEGORIES,
            ended_at=timezone.now() if relation == "former_member" else None,
        )
    return membership


def _fingerprint(world) -> tuple:
    case = world["case"]
    case.refresh_from_db()
    return (
        case.version,
        case.lead_id,
        case.backup_id,
        Event.objects.filter(case=case).count(),
        CaseMember.objects.filter(case=case, ended_at__isnull=True).count(),
        Task.objects.filter(case=case).count(),
        Handover.objects.get(pk=world["handover"].pk).status,
    )


def _sees(role: str, relation: str) -> bool:
    return relation == "member" and can(MembershipFactory.build(role=role), "case.view")


@pytest.mark.parametrize("relation", RELATIONS)
@pytest.mark.parametrize("role", Role.values)
def test_api_matrix(client, world, role, relation):
    actor = _actor_for(world, role, relation)
    _token, secret = api_token_issue(membership=actor)
    headers = {"Authorization": f"Bearer {secret}"}
    before = _fingerprint(world)
    sees = _sees(role, relation)
    for method, path, body in api_endpoints(world):
        response = getattr(client, method)(
            path, body, content_type="application/json", headers=headers
        )
        if sees:
            assert response.status_code != 404, (method, path, response.content[:300])
            if method == "get":
                assert response.status_code == 200, (path, response.content[:300])
        else:
            assert response.status_code == 404, (role, relation, method, path, response.status_code)
            assert response["Content-Type"] == "application/problem+json"
    if not sees:
        assert _fingerprint(world) == before
    listed = client.get("/api/v1/cases/", headers=headers)
    ids = [c["id"] for c in listed.json()] if listed.status_code == 200 else []
    assert (str(world["case"].public_id) in ids) == sees


@pytest.mark.parametrize("relation", RELATIONS)
@pytest.mark.parametrize("role", Role.values)
def test_web_matrix(actor_client, world, role, relation):
    actor = _actor_for(world, role, relation)
    client, _membership = actor_client(actor)
    before = _fingerprint(world)
    sees = _sees(role, relation)
    for method, path in web_endpoints(world):
        response = getattr(client, method)(path)
        if sees:
            assert response.status_code != 404, (method, path)
        else:
            assert response.status_code == 404, (role, relation, method, path, response.status_code)
    if not sees:
        assert _fingerprint(world) == before
    start = client.get("/casussen/")
    if can(actor, "case.view"):
        assert (world["case"].reference in start.content.decode()) == sees
    else:
        assert start.status_code in (302, 404)


def test_non_members_leave_no_read_in_the_processing_log(client, world):
    """A refused look is not a read of the person's data: nothing is logged as read."""
    outsider = MembershipFactory(role=Role.PROFESSIONAL)
    _token, secret = api_token_issue(membership=outsider)
    before = ProcessingEntry.objects.filter(organisation_id=outsider.organisation_id).count()
    client.get(
        f"/api/v1/cases/{world['case'].public_id}/timeline/",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert (
        ProcessingEntry.objects.filter(organisation_id=outsider.organisation_id).count() == before
    )


def test_unknown_and_malformed_ids_are_404(client, world):
    member = world["lead"]
    _token, secret = api_token_issue(membership=member)
    headers = {"Authorization": f"Bearer {secret}"}
    case = world["case"]
    assert (
        client.get(
            "/api/v1/cases/00000000-0000-0000-0000-000000000000/", headers=headers
        ).status_code
        == 404
    )
    for path in ("tasks/999999/", "meetings/999999/", "referrals/999999/", "members/999999/"):
        assert (
            client.get(f"/api/v1/cases/{case.public_id}/{path}", headers=headers).status_code == 404
        )


def test_nested_ids_of_another_case_are_404(client, world):
    """A task of case A cannot be reached through case B, even by a member of both."""
    other = full_case(lead=world["lead"])
    _token, secret = api_token_issue(membership=world["lead"])
    headers = {"Authorization": f"Bearer {secret}"}
    path = f"/api/v1/cases/{other['case'].public_id}/tasks/{world['task'].pk}/"
    assert client.get(path, headers=headers).status_code == 404
    path = f"/api/v1/cases/{other['case'].public_id}/meetings/{world['meeting'].pk}/"
    assert client.get(path, headers=headers).status_code == 404
