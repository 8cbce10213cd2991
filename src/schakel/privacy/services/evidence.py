"""Evidence files of a consent (a signed form, a scan: checked, then stored encrypted) and the
rotation of what consents hold encrypted onto the current key."""

import hashlib
import os.path
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from ..models import Consent, ConsentEvent, ConsentEvidence

EVIDENCE_TYPES = {  # content type: (extensions, how the file starts)
    "application/pdf": ((".pdf",), (b"%PDF-",)),
    "image/png": ((".png",), (b"\x89PNG\r\n\x1a\n",)),
    "image/jpeg": ((".jpg", ".jpeg"), (b"\xff\xd8\xff",)),
}


@dataclass(frozen=True)
class EvidenceFile:
    name: str
    content_type: str
    data: bytes


def _clean_evidence_file(upload, errors: dict, field: str = "evidence_file"):
    """Check an uploaded file (Django UploadedFile or any object with .name and .read()).

    Only PDF, PNG and JPEG, recognised by their first bytes (not by what the browser says), and
    not larger than SCHAKEL_CONSENT_EVIDENCE_MAX_BYTES."""
    if upload is None:
        return None
    limit = settings.SCHAKEL_CONSENT_EVIDENCE_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        errors[field] = _("Het bestand is te groot: hoogstens %(mb)s MB.") % {
            "mb": limit // (1024 * 1024)
        }
        return None
    data = upload.read(limit + 1)
    if not data:
        errors[field] = _("Het bestand is leeg.")
        return None
    if len(data) > limit:
        errors[field] = _("Het bestand is te groot: hoogstens %(mb)s MB.") % {
            "mb": limit // (1024 * 1024)
        }
        return None
    base = os.path.basename((upload.name or "").replace("\\", "/"))
    base = "".join(c for c in unicodedata.normalize("NFC", base) if c.isprintable())[:150]
    extension = os.path.splitext(base)[1].lower()
    for content_type, (extensions, magics) in EVIDENCE_TYPES.items():
        if data.startswith(magics):
            if extension not in extensions:
                base = f"{os.path.splitext(base)[0] or 'bewijs'}{extensions[0]}"[-150:]
            return EvidenceFile(name=base, content_type=content_type, data=data)
    errors[field] = _("Dit soort bestand kan niet. Kies een PDF, PNG of JPEG (een scan of foto).")
    return None


def _evidence_store(event: ConsentEvent, evidence: EvidenceFile, actor) -> ConsentEvidence:
    from schakel.people.crypto import encrypt_bytes

    record = ConsentEvidence(
        event=event,
        file_name=evidence.name,
        content_type=evidence.content_type,
        size=len(evidence.data),
        sha256=hashlib.sha256(evidence.data).hexdigest(),
        uploaded_by=actor,
    )
    record.content = encrypt_bytes(evidence.data, aad=record.aad())
    record.save()
    return record


def consent_keys_rotate(*, batch_size: int = 100) -> int:
    """Re-encrypt what consents hold encrypted (the representative's name and the evidence
    files) when it is not on the current person key (the same key ring as
    people.services.person_keys_rotate, which the command runs first). Resumable; returns how
    many consents and files were re-encrypted."""
    from schakel.people import crypto

    current, _ring = crypto.key_ring()
    prefix = f"{crypto.PREFIX}:{current}:"
    rotated = 0
    for model in (Consent, ConsentEvidence):
        last_pk = 0
        while True:
            with transaction.atomic():
                if model is Consent:
                    rows = list(
                        Consent.objects.select_for_update()
                        .filter(pk__gt=last_pk)
                        .annotate(raw=Cast("given_by_name", output_field=TextField()))
                        .order_by("pk")
                        .values_list("pk", "raw")[:batch_size]
                    )
                    for pk, raw in rows:
                        if raw and not raw.startswith(prefix):
                            # update() encrypts the plaintext again, now with the current key.
                            Consent.objects.filter(pk=pk).update(given_by_name=crypto.decrypt(raw))
                            rotated += 1
                    pks = [pk for pk, _raw in rows]
                else:
                    files = list(
                        ConsentEvidence.objects.select_for_update()
                        .filter(pk__gt=last_pk)
                        .order_by("pk")[:batch_size]
                    )
                    for row in files:
                        if bytes(row.content).startswith(prefix.encode()):
                            continue
                        data = crypto.decrypt_bytes(row.content, aad=row.aad())
                        ConsentEvidence.objects.filter(pk=row.pk).update(
                            content=crypto.encrypt_bytes(data, aad=row.aad())
                        )
                        rotated += 1
                    pks = [row.pk for row in files]
            if len(pks) < batch_size:
                break
            last_pk = pks[-1]
    return rotated
