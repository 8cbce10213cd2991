"""Writes of the privacy capability, by sub-entity:

- `log`: the processing log (`processing_record`, `processing_record_many`,
  `processing_log_verify`, `log_checkpoint_write`);
- `gate`: the sharing gate (`sharing_basis_create`, or `sharing_plan` + `sharing_basis_record`);
- `consent` and `evidence`: consent records, their evidence files and key rotation;
- `agreements`: agreements (convenanten);
- `decision_aid`: decisions of "Mag ik dit delen?" (`sharing_decision_record`);
- `subject_requests`: requests of data subjects;
- `profile`: privacy settings of an organisation and the operator's designations.

Retention lives in `privacy/retention.py`, display helpers in `privacy/display.py`. Callers import
from this package (`from schakel.privacy.services import ...`); the names below are its interface.
"""

from schakel.core.dates import add_months

from ..display import sender_shown_to_recipient
from ..log_verify import LogNotIntact
from ..rules import SharingNotAllowed, subject_request_status
from .agreements import AGREEMENT_MAX_DAYS, agreement_create, agreement_end
from .consent import (
    consent_give,
    consent_record,
    consent_refuse,
    consent_renew,
    consent_withdraw,
    consents_expire_due,
)
from .decision_aid import sharing_decision_record
from .evidence import EVIDENCE_TYPES, EvidenceFile, _clean_evidence_file, consent_keys_rotate
from .gate import (
    OVERRIDE_REASON_MIN,
    SharingPlan,
    sharing_basis_create,
    sharing_basis_record,
    sharing_plan,
)
from .log import (
    SYSTEM_ROLE,
    CheckpointResult,
    log_checkpoint_write,
    processing_log_verify,
    processing_record,
    processing_record_many,
)
from .profile import privacy_designations_set_by_operator, privacy_profile_update
from .subject_requests import (
    SUBJECT_REQUEST_TRANSITIONS,
    subject_request_register,
    subject_request_update,
)

__all__ = [
    "AGREEMENT_MAX_DAYS",
    "EVIDENCE_TYPES",
    "OVERRIDE_REASON_MIN",
    "SUBJECT_REQUEST_TRANSITIONS",
    "SYSTEM_ROLE",
    "CheckpointResult",
    "EvidenceFile",
    "LogNotIntact",
    "SharingNotAllowed",
    "SharingPlan",
    "_clean_evidence_file",
    "add_months",
    "agreement_create",
    "agreement_end",
    "consent_give",
    "consent_keys_rotate",
    "consent_record",
    "consent_refuse",
    "consent_renew",
    "consent_withdraw",
    "consents_expire_due",
    "log_checkpoint_write",
    "privacy_designations_set_by_operator",
    "privacy_profile_update",
    "processing_log_verify",
    "processing_record",
    "processing_record_many",
    "sender_shown_to_recipient",
    "sharing_basis_create",
    "sharing_basis_record",
    "sharing_decision_record",
    "sharing_plan",
    "subject_request_register",
    "subject_request_status",
    "subject_request_update",
]
