"""The timeline is append-only: corrections are new events pointing at the old one. It also shows
the consent history and the screenings, and it can be filtered."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from schakel.cases import selectors, services
from schakel.cases.models import Event
from tests.privacy.factories import ConsentFactory

pytestmark = pytest.mark.django_db


def timeline(actor, case, **filters):
    seen = selectors.case_get_for(actor=actor, public_id=case.public_id)
    return selectors.timeline_for(actor=actor, case=seen, **filters)


def test_a_correction_points_at_the_old_event_which_stays(case, lead):
    old = services.event_record(
        actor=lead, case=case, kind="signal", text="Gezien op 3 mei", domain="onderwijs"
    )
    original = (old.text, old.occurred_on, old.data)
    fix = services.event_correct(actor=lead, case=case, event=old, text="Het was 4 mei, niet 3 mei")
    old.refresh_from_db()
    assert (old.text, old.occurred_on, old.data) == original
    assert fix.corrects == old and fix.kind == Event.Kind.CORRECTION
    by_id = {e.id: e for e in timeline(lead, case)}
    assert by_id[f"e{old.pk}"].corrected_by == [f"e{fix.pk}"]
    assert by_id[f"e{fix.pk}"].corrects == f"e{old.pk}"
    assert by_id[f"e{fix.pk}"].group == "signals"


def test_corrections_need_a_text(case, lead):
    old = services.event_record(actor=lead, case=case, kind="note", text="x")
    with pytest.raises(ValidationError) as error:
        services.event_correct(actor=lead, case=case, event=old, text=" ")
    assert "text" in error.value.message_dict


def test_no_service_edits_or_deletes_events():
    names = [n for n in dir(services) if n.startswith("event_")]
    assert sorted(names) == ["event_correct", "event_record"]


@pytest.mark.parametrize(
    "kind,fields",
    [
        ("signal", {"text": "", "domain": "zorg"}),
        ("note", {"text": ""}),
        ("decision", {"text": ""}),
        ("signal", {"text": "x", "domain": "nergens"}),
        ("signal", {"text": "x", "forms": ["geen_vorm"]}),
        ("note", {"text": "x", "occurred_on": datetime.date(2999, 1, 1)}),
        ("case_closed", {"text": "x"}),
    ],
)
def test_event_validation_names_the_field(case, lead, kind, fields):
    with pytest.raises(ValidationError) as error:
        services.event_record(actor=lead, case=case, kind=kind, **fields)
    assert error.value.message_dict


def test_police_steps_and_the_lvb_warning(lead, colleague):
    from .factories import make_case

    case = make_case(lead=lead, backup=colleague, lvb=True)
    services.event_record(actor=lead, case=case, kind="police_first_contact", text="Gebeld")
    services.event_record(actor=lead, case=case, kind="police_intake", care_present=True)
    services.event_record(
        actor=lead, case=case, kind="police_intake", expert_by_experience_present=True
    )
    services.event_record(actor=lead, case=case, kind="police_report", text="Aangifte gedaan")
    police = timeline(lead, case, group="police")
    assert [e.kind for e in police].count("police_intake") == 2
    warnings = [e.warning for e in police if e.kind == "police_intake"]
    assert sum(1 for w in warnings if w) == 1  # only the intake without LVB support


def test_consent_changes_and_screenings_come_from_their_records(case, lead):
    ConsentFactory(person=case.person, purposes=["case_coordination"])
    entries = timeline(lead, case, group="consent")
    assert [e.source for e in entries] == ["consent", "consent"]  # requested, given
    assert all(e.group == "consent" for e in entries)


def test_filters_by_group_and_dates(case, lead):
    services.event_record(
        actor=lead, case=case, kind="note", text="oud", occurred_on=datetime.date(2025, 1, 1)
    )
    services.event_record(
        actor=lead, case=case, kind="note", text="nieuw", occurred_on=datetime.date(2026, 1, 1)
    )
    notes = timeline(lead, case, group="notes")
    assert [e.text for e in notes] == ["nieuw", "oud"]
    recent = timeline(lead, case, group="notes", date_from=datetime.date(2025, 6, 1))
    assert [e.text for e in recent] == ["nieuw"]
    older = timeline(lead, case, date_to=datetime.date(2025, 6, 1))
    assert [e.text for e in older] == ["oud"]


def test_the_timeline_filter_page(actor_client, case, lead):
    client, _m = actor_client(lead)
    services.event_record(actor=lead, case=case, kind="note", text="Notitie één")
    response = client.get(f"/casussen/{case.public_id}/tijdlijn/?group=notes")
    assert response.status_code == 200
    assert "Notitie één" in response.content.decode()
    response = client.get(f"/casussen/{case.public_id}/tijdlijn/?group=police")
    assert "Notitie één" not in response.content.decode()
    response = client.get(f"/casussen/{case.public_id}/tijdlijn/?date_from=nope")
    assert response.status_code == 400


def test_adding_and_correcting_through_the_web(actor_client, case, lead):
    client, _m = actor_client(lead)
    url = f"/casussen/{case.public_id}/tijdlijn/"
    response = client.post(url, {"kind": "note", "occurred_on": "2026-01-02", "text": ""})
    assert response.status_code == 400
    assert "Controleer wat u hebt ingevuld" in response.content.decode()
    response = client.post(url, {"kind": "note", "occurred_on": "2026-01-02", "text": "Hallo"})
    assert response.status_code == 302
    event = case.events.get(kind="note")
    response = client.post(
        f"/casussen/{case.public_id}/tijdlijn/{event.pk}/corrigeren/",
        {"text": "Het was een telefoontje", "occurred_on": "2026-01-02"},
    )
    assert response.status_code == 302
    assert case.events.filter(kind="correction", corrects=event).exists()
