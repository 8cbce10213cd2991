"""Writes of the signal index: register (or renew), withdraw, expire, the lead agreement after a
match, inviting the other side into a case, the bulk import, the archive's retention, and key
rotation.

The index reveals one thing across organisations: that another organisation is involved with
the same person, with its domain and a contact. That is what the index is for (its processing
activity "signal_index" in the register); no content crosses here. Content only crosses when the
lead invites the other side into a case, through `schakel.cases.services.case_member_add`, which
passes the privacy gate itself.

One module per part: `registration` (register or renew, withdraw), `lead` (after a match: seen,
the lead agreement, the invitation into a case), `import_` (the bulk import), `retention`
(expiry and the archive's retention) and `rotation` (key rotation); what they share is in
`_common`. The statements of registering are in `signal_index/hotpath.py`. Import from the
package: `from schakel.signal_index import services; services.signal_register(...)`.
"""

from ._common import (
    ACTIVITY,
    AGE_LIMIT,
    IMPORT_BATCH,
    PHONE,
    clean_contact,
    clean_identifiers,
    end_date,
    log_subject,
)
from .import_ import IMPORT_COLUMNS, ImportRejected, ImportReport, signal_registrations_import
from .lead import (
    cases_to_invite_into,
    signal_match_case_invite,
    signal_match_lead_answer,
    signal_match_lead_propose,
    signal_match_seen,
)
from .registration import (
    Context,
    RateLimited,
    RegisterResult,
    resolve_context,
    signal_register,
    signal_registration_withdraw,
)
from .retention import (
    retention_apply,
    retention_describe,
    retention_find,
    signal_registrations_expire,
)
from .rotation import ROTATE_BATCH, RotationReport, signal_keys_rotate

__all__ = [
    "ACTIVITY",
    "AGE_LIMIT",
    "IMPORT_BATCH",
    "IMPORT_COLUMNS",
    "PHONE",
    "ROTATE_BATCH",
    "Context",
    "ImportRejected",
    "ImportReport",
    "RateLimited",
    "RegisterResult",
    "RotationReport",
    "cases_to_invite_into",
    "clean_contact",
    "clean_identifiers",
    "end_date",
    "log_subject",
    "resolve_context",
    "retention_apply",
    "retention_describe",
    "retention_find",
    "signal_keys_rotate",
    "signal_match_case_invite",
    "signal_match_lead_answer",
    "signal_match_lead_propose",
    "signal_match_seen",
    "signal_register",
    "signal_registration_withdraw",
    "signal_registrations_expire",
    "signal_registrations_import",
]
