"""Evidence files of a consent: checked on upload, encrypted at rest, only for the holder."""

import datetime
import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schakel.accounts.models import Role
from schakel.people import crypto
from schakel.privacy.models import Consent, ConsentEvidence, GivenBy, ProcessingEntry
from schakel.privacy.services import consent_record
from tests.accounts.factories import MembershipFactory

from .factories import ConsentFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n" + bytes(range(256)) * 4 + b"%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
DAY = datetime.timedelta(days=1)


def _upload(content=PDF, name="formulier.pdf", content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def _record(actor, person, recipient, **overrides):
    today = timezone.localdate()
    data = {
        "actor": actor,
        "person": person,
        "given_by": GivenBy.PERSON,
        "purposes": ["referral"],
        "data_categories": ["identificatie"],
        "recipient_organisations": [recipient],
        "valid_from": today,
        "valid_until": today + 90 * DAY,
        "method": "written",
        "evidence": "",
        "understanding_checks": ["teach_back"],
        **overrides,
    }
    return consent_record(**data)


def test_a_file_is_enough_evidence_and_is_stored_encrypted(professional, adam, recipient):
    consent = _record(professional, adam, recipient, evidence_file=_upload())
    given = consent.events.get(status="given")
    assert given.evidence == "Bijgevoegd bestand: formulier.pdf"
    stored = ConsentEvidence.objects.get()
    assert (stored.event, stored.file_name, stored.content_type, stored.size) == (
        given,
        "formulier.pdf",
        "application/pdf",
        len(PDF),
    )
    assert stored.sha256 == hashlib.sha256(PDF).hexdigest()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT content FROM {ConsentEvidence._meta.db_table} WHERE id = %s",  # noqa: S608
            [stored.pk],
        )
        raw = bytes(cursor.fetchone()[0])
    assert b"%PDF" not in raw and b"Catalog" not in raw
    assert crypto.decrypt_bytes(raw, aad=stored.aad()) == PDF


def test_the_ciphertext_is_bound_to_its_record(professional, adam, recipient):
    _record(professional, adam, recipient, evidence_file=_upload())
    stored = ConsentEvidence.objects.get()
    other = ConsentEvidence(event=stored.event)  # another public id
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_bytes(stored.content, aad=other.aad())


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (_upload(b"MZ\x90\x00 not a document", "virus.exe"), "PDF, PNG of JPEG"),
        (_upload(b"<html><script>alert(1)</script>", "form.pdf"), "PDF, PNG of JPEG"),
        (_upload(b"", "leeg.pdf"), "leeg"),
    ],
)
def test_bad_files_are_refused_by_name_and_nothing_is_stored(
    professional, adam, recipient, upload, message
):
    with pytest.raises(ValidationError) as error:
        _record(professional, adam, recipient, evidence_file=upload)
    assert message in " ".join(error.value.message_dict["evidence_file"])
    assert not Consent.objects.exists() and not ConsentEvidence.objects.exists()


@override_settings(SCHAKEL_CONSENT_EVIDENCE_MAX_BYTES=100)
def test_a_file_over_the_limit_is_refused(professional, adam, recipient):
    with pytest.raises(ValidationError) as error:
        _record(professional, adam, recipient, evidence_file=_upload())
    assert "te groot" in error.value.message_dict["evidence_file"][0]
    assert not Consent.objects.exists()


def test_the_extension_follows_the_content_not_the_name(professional, adam, recipient):
    _record(professional, adam, recipient, evidence_file=_upload(PNG, "../../scan.pdf"))
    stored = ConsentEvidence.objects.get()
    assert (stored.file_name, stored.content_type) == ("scan.png", "image/png")


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(max_size=300))
def test_any_file_name_is_made_safe(professional, adam, recipient, name):
    cleaned = {}
    from schakel.privacy.services import _clean_evidence_file

    class Upload(io.BytesIO):  # Django's own classes refuse some names before we see them
        pass

    upload = Upload(PDF)
    upload.name = name
    result = _clean_evidence_file(upload, cleaned)
    assert not cleaned
    assert result.name.endswith(".pdf") and len(result.name) <= 150
    assert "/" not in result.name and all(c.isprintable() for c in result.name)


def _post_given(client, consent, upload):
    return client.post(
        f"/delen/toestemming/{consent.public_id}/geven/",
        {
            "geven-method": "written",
            "geven-understanding_checks": ["teach_back"],
            "geven-evidence_file": upload,
        },
    )


def test_upload_and_download_in_the_web_page_are_logged(
    actor_client, professional, adam, recipient
):
    client, _m = actor_client(professional)
    consent = ConsentFactory(person=adam, recipients=[recipient], status="requested")
    response = _post_given(client, consent, _upload())
    assert response.status_code == 302
    stored = ConsentEvidence.objects.get()
    page = client.get(f"/delen/toestemming/{consent.public_id}/").content.decode()
    link = f"/delen/toestemming/{consent.public_id}/bewijs/{stored.public_id}/"
    assert link in page and "formulier.pdf" in page

    before = ProcessingEntry.objects.count()
    response = client.get(link)
    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="formulier.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    entry = ProcessingEntry.objects.order_by("seq")[before:].get()
    assert (entry.activity, entry.operation) == ("consent", "read")


def test_a_bad_upload_in_the_web_page_names_the_field(actor_client, professional, adam, recipient):
    client, _m = actor_client(professional)
    consent = ConsentFactory(person=adam, recipients=[recipient], status="requested")
    response = _post_given(client, consent, _upload(b"GIF89a", "plaatje.gif", "image/gif"))
    assert response.status_code == 400
    assert "PDF, PNG of JPEG" in response.content.decode()
    assert list(consent.events.values_list("status", flat=True)) == ["requested"]


def test_another_organisation_never_gets_the_file(actor_client, professional, adam, recipient):
    consent = _record(professional, adam, recipient, evidence_file=_upload())
    stored = ConsentEvidence.objects.get()
    link = f"/delen/toestemming/{consent.public_id}/bewijs/{stored.public_id}/"
    outsider = MembershipFactory(role=Role.PROFESSIONAL, organisation=recipient)
    client, _m = actor_client(outsider)
    assert client.get(link).status_code == 404
    other = ConsentFactory(person=adam, recipients=[recipient])
    own, _m = actor_client(professional)  # right file, wrong consent in the address
    assert (
        own.get(f"/delen/toestemming/{other.public_id}/bewijs/{stored.public_id}/").status_code
        == 404
    )


def test_the_api_lists_the_files_without_their_content(api, professional, adam, recipient):
    consent = _record(professional, adam, recipient, evidence_file=_upload())
    client, headers = api(professional)
    body = client.get(f"/api/v1/consents/{consent.public_id}/", headers=headers).json()
    files = [f for event in body["history"] for f in event["evidence_files"]]
    assert [(f["file_name"], f["size"]) for f in files] == [("formulier.pdf", len(PDF))]
    assert "content" not in files[0]


def test_key_rotation_re_encrypts_evidence_files_and_names(
    professional, minor, recipient, settings
):
    consent = _record(
        professional,
        minor,
        recipient,
        given_by=GivenBy.PARENT,
        given_by_name="Mira de Boer",
        evidence_file=_upload(),
    )
    old = settings.SCHAKEL_PERSON_KEYS
    settings.SCHAKEL_PERSON_KEYS = "t2:" + "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=," + old
    crypto._ring.cache_clear()
    call_command("rotate_person_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    stored = ConsentEvidence.objects.get()
    assert bytes(stored.content).startswith(b"v1:t2:")
    assert crypto.decrypt_bytes(stored.content, aad=stored.aad()) == PDF
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT given_by_name FROM {Consent._meta.db_table} WHERE id = %s",  # noqa: S608
            [consent.pk],
        )
        assert cursor.fetchone()[0].startswith("v1:t2:")
    settings.SCHAKEL_PERSON_KEYS = "t2:" + "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
    crypto._ring.cache_clear()  # the old key is gone: everything still reads
    assert Consent.objects.get().given_by_name == "Mira de Boer"
