"""Requests of data subjects (deadlines, access export) and retention (with frozen time)."""

import datetime
import json
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from schakel.people.pseudonyms import log_pseudonym
from schakel.privacy.models import (
    Consent,
    ConsentEvent,
    ProcessingEntry,
    SharingBasis,
    SharingDecision,
    SubjectRequest,
)
from schakel.privacy.retention import retention_apply
from schakel.privacy.services import (
    add_months,
    processing_log_verify,
    processing_record,
    sharing_basis_create,
    subject_request_register,
    subject_request_update,
)
from schakel.privacy.subject_access import subject_access_export

from .factories import ConsentFactory, SharingDecisionFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("received", "deadline"),
    [
        (datetime.date(2026, 1, 15), datetime.date(2026, 2, 15)),
        (datetime.date(2026, 1, 31), datetime.date(2026, 2, 28)),
        (datetime.date(2028, 1, 31), datetime.date(2028, 2, 29)),
        (datetime.date(2026, 12, 5), datetime.date(2027, 1, 5)),
    ],
)
def test_deadline_is_one_month_after_receipt(received, deadline):
    assert add_months(received, 1) == deadline


def test_register_and_handle_a_request(professional, adam):
    received = timezone.localdate() - 3 * DAY
    request = subject_request_register(
        actor=professional, person=adam, kind="access", requested_by="person", received_on=received
    )
    assert request.deadline == add_months(received, 1)
    with pytest.raises(ValidationError) as error:
        subject_request_update(actor=professional, request=request, status="extended")
    assert "note" in error.value.message_dict
    subject_request_update(
        actor=professional, request=request, status="extended", note="Veel dossiers"
    )
    request.refresh_from_db()
    assert request.deadline == add_months(received, 3)
    subject_request_update(actor=professional, request=request, status="done")
    with pytest.raises(ValidationError):
        subject_request_update(actor=professional, request=request, status="in_progress")
    statuses = list(request.events.values_list("status", flat=True))
    assert statuses == ["received", "extended", "done"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "gossip"}, "kind"),
        ({"requested_by": "neighbour"}, "requested_by"),
        ({"received_on": None}, "received_on"),
        ({"received_on": datetime.date(2999, 1, 1)}, "received_on"),
    ],
)
def test_bad_request_input_names_the_field(professional, adam, overrides, field):
    data = {"kind": "access", "requested_by": "person", "received_on": timezone.localdate()}
    with pytest.raises(ValidationError) as error:
        subject_request_register(actor=professional, person=adam, **{**data, **overrides})
    assert field in error.value.message_dict


def test_access_export_holds_everything_but_confidential_activities(
    professional, adam, recipient, veilig_thuis
):
    ConsentFactory(person=adam, recipients=[recipient])
    sharing_basis_create(
        actor=professional,
        person=adam,
        recipient=recipient,
        purpose="referral",
        data_categories=["identificatie"],
    )
    SharingDecisionFactory(person=adam, recipient=veilig_thuis)  # a report: confidential
    processing_record(actor=professional, subject=adam, activity="signal_index", operation="read")
    export = subject_access_export(person=adam)
    sections = {s["key"]: s["rows"] for s in export["sections"]}
    assert sections["person"][0]["Achternaam"] == "Visser"
    assert len(sections["consents"]) == 1
    assert [row["Aan"] for row in sections["disclosures"]] == ["Jeugdhulp Zuid"]
    assert sections["decisions"] == []  # the report to Veilig Thuis is confidential
    activities = {row["Verwerking"] for row in sections["processing_log"]}
    assert "Doorverwijzen naar hulp" in activities
    assert not any("Signaleringsindex" in a for a in activities)
    assert json.loads(json.dumps(export))  # serialisable as it is


# -- retention -------------------------------------------------------------------------------


def _years_later(years: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=365 * years + 2)


def test_nothing_goes_before_its_time(professional, adam, recipient):
    ConsentFactory(person=adam, recipients=[recipient])
    SharingDecisionFactory(person=adam, recipient=recipient)
    lines = retention_apply(dry_run=False)
    assert sum(line.count for line in lines) == 0
    assert Consent.objects.count() == 1 and SharingDecision.objects.count() == 1


def test_dry_run_lists_and_changes_nothing(professional, adam, recipient):
    ConsentFactory(person=adam, recipients=[recipient], status="withdrawn")
    lines = retention_apply(now=_years_later(6), dry_run=True)
    by_key = {line.key: line for line in lines}
    assert by_key["toestemming"].count == 1 and by_key["toestemming"].items
    assert Consent.objects.count() == 1


def test_expired_data_is_deleted_or_anonymised_and_the_log_keeps_the_fact(
    professional, adam, recipient, monkeypatch
):
    consent = ConsentFactory(person=adam, recipients=[recipient])
    basis = sharing_basis_create(
        actor=professional,
        person=adam,
        recipient=recipient,
        purpose="referral",
        data_categories=["identificatie"],
    )
    SharingDecisionFactory(person=adam, recipient=recipient)
    request = subject_request_register(
        actor=professional,
        person=adam,
        kind="access",
        requested_by="person",
        received_on=timezone.localdate(),
    )
    subject_request_update(actor=professional, request=request, status="done")
    ConsentEvent.objects.create(consent=consent, status="withdrawn", at=timezone.now())

    frozen = _years_later(6)
    monkeypatch.setattr(timezone, "now", lambda: frozen)
    before = ProcessingEntry.objects.count()
    lines = retention_apply()
    assert {line.key: line.count for line in lines} == {
        "toestemming": 1,
        "deelbesluit": 1,
        "verstrekking": 1,
        "verzoek-betrokkene": 1,
        "casus": 0,
        "persoonsdossier": 0,  # Adam's file changed less than 20 years ago
        "signaleringsindex": 0,
    }
    assert not Consent.objects.exists()
    assert not SharingDecision.objects.exists()
    assert not SubjectRequest.objects.exists()
    basis.refresh_from_db()
    assert basis.person is None and basis.subject_pseudonym == "" and basis.anonymised_at
    assert basis.kind == "consent" and basis.recipient == recipient  # the fact remains
    deletions = ProcessingEntry.objects.order_by("seq")[before:]
    assert {(e.activity, e.operation, e.role) for e in deletions} == {
        ("consent", "delete", "system"),
        ("sharing_decision", "delete", "system"),
        ("subject_rights", "delete", "system"),
    }
    assert all(e.subject_pseudonym == log_pseudonym(adam) for e in deletions)
    assert processing_log_verify().ok
    assert sum(line.count for line in retention_apply()) == 0  # idempotent


def test_a_consent_that_is_still_valid_is_kept_however_old(professional, adam, recipient):
    ConsentFactory(
        person=adam,
        recipients=[recipient],
        valid_from=timezone.localdate() - 3000 * DAY,
        valid_until=timezone.localdate() + DAY,
    )
    assert retention_apply(dry_run=True)[0].count == 0


def test_retention_command(professional, adam, recipient):
    ConsentFactory(
        person=adam,
        recipients=[recipient],
        valid_from=timezone.localdate() - 3000 * DAY,
        valid_until=timezone.localdate() - 2000 * DAY,
    )
    out = StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert "toestemming: 1 would be deleted" in out.getvalue()
    assert Consent.objects.count() == 1
    out = StringIO()
    call_command("apply_retention", stdout=out)
    assert "toestemming: 1 were deleted" in out.getvalue()
    assert not Consent.objects.exists()
    assert SharingBasis.objects.count() == 0
