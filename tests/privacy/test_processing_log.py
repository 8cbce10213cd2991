"""The processing log is append-only and hash-chained: any edit, insertion or deletion shows."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from schakel.privacy.models import AuditEntry, LogChainHead, ProcessingEntry
from schakel.privacy.register import RegisterError
from schakel.privacy.services import processing_log_verify, processing_record
from schakel.privacy.trace import end_trace, start_trace
from tests.accounts.factories import MembershipFactory

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def entries(db):
    actor = MembershipFactory()
    return [
        processing_record(
            actor=actor, subject=f"pseudonym-{i}", activity="person_record", operation="read"
        )
        for i in range(5)
    ]


def _verify_command():
    out = StringIO()
    call_command("verify_processing_log", stdout=out)
    return out.getvalue()


def test_intact_chain_verifies(entries):
    report = processing_log_verify()
    assert report.ok and report.checked == 5
    assert "5 entries checked" in _verify_command()


def test_entry_records_actor_activity_trace_and_keeps_user_apart(entries):
    entry = entries[0]
    assert entry.activity == "person_record"
    assert entry.role == "professional"
    assert len(entry.trace_id) == 32 and len(entry.span_id) == 16
    from schakel.privacy.register import processing_register

    assert entry.register_version == processing_register().version
    assert AuditEntry.objects.get(entry=entry).user_id is not None
    assert not hasattr(entry, "user_id")


def test_one_trace_per_request_shared_by_its_entries(db):
    actor = MembershipFactory()
    token = start_trace("00-" + "ab" * 16 + "-" + "cd" * 8 + "-01")
    try:
        a = processing_record(actor=actor, subject="s", activity="person_record", operation="read")
        b = processing_record(actor=actor, subject="s", activity="person_record", operation="read")
    finally:
        end_trace(token)
    assert a.trace_id == b.trace_id == "ab" * 16
    assert a.span_id != b.span_id


def test_edited_entry_is_detected(entries):
    ProcessingEntry.objects.filter(pk=entries[2].pk).update(subject_pseudonym="someone-else")
    report = processing_log_verify()
    assert not report.ok and report.seq == 3
    with pytest.raises(CommandError, match="seq 3"):
        _verify_command()


def test_edited_audit_entry_is_detected(entries):
    AuditEntry.objects.filter(entry=entries[1]).update(user_id=999999)
    report = processing_log_verify()
    assert not report.ok and report.seq == 2


def test_deleted_entry_is_detected(entries):
    AuditEntry.objects.filter(entry=entries[3]).delete()
    ProcessingEntry.objects.filter(pk=entries[3].pk).delete()
    report = processing_log_verify()
    assert not report.ok and report.seq == 4


def test_deleted_last_entry_is_detected(entries):
    AuditEntry.objects.filter(entry=entries[4]).delete()
    ProcessingEntry.objects.filter(pk=entries[4].pk).delete()
    report = processing_log_verify()
    assert not report.ok and "missing" in report.problem


def test_inserted_entry_is_detected(entries):
    forged = ProcessingEntry.objects.get(pk=entries[2].pk)
    forged.pk = None
    forged.seq = 1000
    forged.save()
    report = processing_log_verify()
    assert not report.ok and report.seq == 6


def test_rewritten_chain_without_head_is_detected(entries):
    LogChainHead.objects.filter(pk=1).update(seq=4)
    assert not processing_log_verify().ok


def test_unknown_activity_or_operation_is_refused_and_writes_nothing(db):
    actor = MembershipFactory()
    with pytest.raises(RegisterError, match="unknown processing activity 'nope'"):
        processing_record(actor=actor, subject="s", activity="nope", operation="read")
    with pytest.raises(ValueError, match="unknown operation"):
        processing_record(actor=actor, subject="s", activity="person_record", operation="peek")
    assert ProcessingEntry.objects.count() == 0


def test_system_entries_have_no_organisation(db):
    entry = processing_record(actor=None, subject="s", activity="monitor", operation="read")
    assert entry.role == "system" and entry.organisation_id is None
    assert processing_log_verify().ok


def test_admin_offers_no_way_to_change_or_delete_entries(entries, rf):
    from django.contrib import admin

    model_admin = admin.site._registry[ProcessingEntry]
    request = rf.get("/")
    assert not model_admin.has_change_permission(request, entries[0])
    assert not model_admin.has_delete_permission(request, entries[0])
    assert not model_admin.has_add_permission(request)


def test_many_entries_in_one_step_form_one_chain(db):
    from schakel.privacy.services import processing_record_many

    actor = MembershipFactory()
    first = processing_record(actor=actor, subject="a", activity="person_record", operation="read")
    many = processing_record_many(
        actor=actor, subjects=["b", "c", "d"], activity="person_record", operation="read"
    )
    assert [e.seq for e in many] == [2, 3, 4]
    assert many[0].prev_hash == first.entry_hash
    assert all(AuditEntry.objects.filter(entry_id=e.pk).exists() for e in many)
    assert processing_log_verify().ok


def test_one_step_can_record_a_different_operation_per_subject(db):
    from schakel.privacy.services import processing_record_many

    actor = MembershipFactory()
    entries = processing_record_many(
        actor=actor,
        subjects=["a", "b", "c"],
        activity="signal_index",
        operations=["create", "share", "share"],
    )
    stored = ProcessingEntry.objects.order_by("seq")
    assert [(e.subject_pseudonym, e.operation) for e in stored] == [
        ("a", "create"),
        ("b", "share"),
        ("c", "share"),
    ]
    assert [e.seq for e in entries] == [1, 2, 3]
    assert processing_log_verify().ok
    with pytest.raises(ValueError, match="one operation per subject"):
        processing_record_many(
            actor=actor, subjects=["a", "b"], activity="signal_index", operations=["read"]
        )
    with pytest.raises(ValueError, match="unknown operation 'peek'"):
        processing_record_many(
            actor=actor, subjects=["a"], activity="signal_index", operations=["peek"]
        )
    assert ProcessingEntry.objects.count() == 3


def test_chain_starts_again_when_the_head_row_is_missing(db):
    LogChainHead.objects.all().delete()
    entry = processing_record(actor=None, subject="s", activity="monitor", operation="read")
    assert entry.seq == 1
    assert processing_log_verify().ok
