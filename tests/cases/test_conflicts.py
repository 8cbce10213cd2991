"""Every editable record carries a version: a stale edit is refused (409 in the API, a clear
message with the stored values in the web), never a silent overwrite."""

import datetime

import pytest

from schakel.accounts.services import api_token_issue
from schakel.cases import services
from schakel.cases.models import AftercarePlan, Case, CrisisCard, Meeting, Placement, Referral, Task

from .factories import full_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return full_case()


def stale_calls(w):
    """(model, pk, service call with a stale version) for each editable record."""
    lead, case = w["lead"], w["case"]
    return [
        (
            Case,
            case.pk,
            lambda v: services.case_update(
                actor=lead, case=case, expected_version=v, help_question="nieuw"
            ),
        ),
        (
            Case,
            case.pk,
            lambda v: services.residence_update(
                actor=lead, case=case, expected_version=v, foreign_victim=True
            ),
        ),
        (
            Case,
            case.pk,
            lambda v: services.case_close(actor=lead, case=case, expected_version=v, reason="x"),
        ),
        (
            Referral,
            w["referral"].pk,
            lambda v: services.referral_transition(
                actor=lead, case=case, referral=w["referral"], action="accept", expected_version=v
            ),
        ),
        (
            Placement,
            w["placement"].pk,
            lambda v: services.placement_end(
                actor=lead,
                case=case,
                placement=w["placement"],
                expected_version=v,
                ended_on=datetime.date(2026, 2, 1),
                reason="x",
            ),
        ),
        (
            Meeting,
            w["meeting"].pk,
            lambda v: services.meeting_update(
                actor=lead, case=case, meeting=w["meeting"], expected_version=v, agenda="y"
            ),
        ),
        (
            Task,
            w["task"].pk,
            lambda v: services.task_update(
                actor=lead, case=case, task=w["task"], expected_version=v, status="done"
            ),
        ),
        (
            AftercarePlan,
            case.aftercare.pk,
            lambda v: services.aftercare_plan_save(
                actor=lead, case=case, expected_version=v, domains={}
            ),
        ),
        (
            CrisisCard,
            case.crisis_card.pk,
            lambda v: services.crisis_card_save(
                actor=lead, case=case, expected_version=v, agreed_by_person=False, call_first="z"
            ),
        ),
    ]


def test_every_stale_edit_is_refused_and_changes_nothing(world):
    for model, pk, call in stale_calls(world):
        row = model.objects.get(pk=pk)
        before = {f.attname: getattr(row, f.attname) for f in model._meta.concrete_fields}
        with pytest.raises(services.StaleEdit) as conflict:
            call(row.version + 7)
        assert conflict.value.current_version == row.version
        assert conflict.value.current is not None
        after = model.objects.get(pk=pk)
        assert {f.attname: getattr(after, f.attname) for f in model._meta.concrete_fields} == (
            before
        ), model.__name__


def test_a_new_plan_or_card_needs_version_zero(lead, colleague):
    from .factories import make_case

    case = make_case(lead=lead, backup=colleague)
    with pytest.raises(services.StaleEdit):
        services.aftercare_plan_save(actor=lead, case=case, expected_version=3, domains={})
    plan = services.aftercare_plan_save(actor=lead, case=case, expected_version=0, domains={})
    assert plan.version == 1
    with pytest.raises(services.StaleEdit):  # someone else made it meanwhile
        services.aftercare_plan_save(actor=lead, case=case, expected_version=0, domains={})


def test_the_api_answers_409_with_the_stored_version(client, world):
    case = world["case"]
    _token, secret = api_token_issue(membership=world["lead"])
    headers = {"Authorization": f"Bearer {secret}"}
    base = f"/api/v1/cases/{case.public_id}/"
    stale = [
        ("patch", base, {"version": 99, "help_question": "x"}),
        ("put", base + "residence/", {"version": 99, "foreign_victim": True}),
        ("post", base + "close/", {"version": 99, "reason": "x"}),
        (
            "post",
            base + f"referrals/{world['referral'].pk}/transition/",
            {"version": 99, "action": "accept"},
        ),
        (
            "patch",
            base + f"placements/{world['placement'].pk}/",
            {"version": 99, "ended_on": "2026-02-01", "end_reason": "x"},
        ),
        ("patch", base + f"meetings/{world['meeting'].pk}/", {"version": 99, "agenda": "x"}),
        ("patch", base + f"tasks/{world['task'].pk}/", {"version": 99, "status": "done"}),
        ("put", base + "aftercare/", {"version": 99}),
        ("put", base + "crisis-card/", {"version": 99, "call_first": "x"}),
        (
            "patch",
            base + f"members/{world['guest_member'].pk}/",
            {"version": 99, "role": "police"},
        ),
        ("post", base + "backup/", {"version": 99, "member": world["guest_member"].pk}),
    ]
    for method, path, body in stale:
        response = getattr(client, method)(
            path, body, content_type="application/json", headers=headers
        )
        assert response.status_code == 409, (path, response.content)
        problem = response.json()
        assert problem["type"].endswith("/conflict")
        assert isinstance(problem["current_version"], int)


def test_the_web_explains_the_conflict_and_shows_the_other_change(actor_client, world):
    case = world["case"]
    client, lead = actor_client(world["lead"])
    read = case.version
    services.case_update(
        actor=world["backup"], case=case, expected_version=read, help_question="Van de ander"
    )
    response = client.post(
        f"/casussen/{case.public_id}/wijzigen/",
        {"version": read, "involvement": "victim", "help_question": "Van mij"},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Iemand anders heeft dit net gewijzigd" in html
    assert "Dit is nu opgeslagen" in html
    assert "Van de ander" in html  # the other change
    assert "Van mij" in html  # what the user typed is kept
    case.refresh_from_db()
    assert case.help_question == "Van de ander"
    # The form now carries the stored version: saving again works.
    response = client.post(
        f"/casussen/{case.public_id}/wijzigen/",
        {"version": case.version, "involvement": "victim", "help_question": "Van mij"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.help_question == "Van mij"


def test_the_web_task_page_keeps_the_checklist_conflict_visible(actor_client, world):
    task = world["task"]
    client, _lead = actor_client(world["lead"])
    services.task_update(
        actor=world["lead"], case=world["case"], task=task, expected_version=1, status="cancelled"
    )
    response = client.post(
        f"/casussen/{world['case'].public_id}/taken/{task.pk}/",
        {"version": 1, "status": "done"},
    )
    assert response.status_code == 409
    assert "vervallen" in response.content.decode()
