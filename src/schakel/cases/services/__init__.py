"""All writes of the case capability. Each function checks who may do it, validates (errors name
the field), writes inside one transaction with a timeline event and a processing-log entry
(activity "case_coordination"), and refuses a stale edit with StaleEdit.

Invariants kept here:
- a case always has exactly one lead and a named backup (two non-null fields, never equal, both
  active members); the lead changes only when the new lead accepts a handover;
- nothing changes by itself: the daily job only adds tasks, it never changes a case;
- the timeline is append-only; a correction is a new event pointing at the old one;
- every organisation that joins, every referral and every shared crisis card passes the privacy
  gate (`sources.share`) before anything is written.

One module per part of a case: `case` (start, change, close, reopen), `residence`, `members`
(the team and the backup), `handover` (the lead), `timeline`, `referrals`, `placements`,
`meetings`, `tasks` (with the 18th-birthday tasks and the daily job), `aftercare` and
`crisis_card`; what they share is in `_common`. Import from the package:
`from schakel.cases import services; services.case_update(...)`.
"""

from schakel.core.concurrency import StaleEdit

from ._common import ACTIVITY
from .aftercare import aftercare_plan_save
from .case import CASE_FIELD_LABELS, case_close, case_create, case_reopen, case_update
from .crisis_card import crisis_card_save, crisis_card_share, crisis_card_share_revoke
from .handover import handover_accept, handover_decline, handover_offer, handover_withdraw
from .meetings import MEETING_FIELDS, meeting_create, meeting_update
from .members import (
    DEFAULT_MEMBER_CATEGORIES,
    case_backup_set,
    case_member_add,
    case_member_end,
    case_member_recheck,
    case_member_update,
)
from .placements import placement_create, placement_end
from .referrals import (
    DEFAULT_REFERRAL_CATEGORIES,
    REFERRAL_STEPS,
    referral_create,
    referral_transition,
)
from .residence import RESIDENCE_FIELDS, RESIDENCE_LABELS, residence_update
from .tasks import case_tasks_due_create, task_create, task_update, transition_tasks_create
from .timeline import MANUAL_KINDS, event_correct, event_record

__all__ = [
    "ACTIVITY",
    "CASE_FIELD_LABELS",
    "DEFAULT_MEMBER_CATEGORIES",
    "DEFAULT_REFERRAL_CATEGORIES",
    "MANUAL_KINDS",
    "MEETING_FIELDS",
    "REFERRAL_STEPS",
    "RESIDENCE_FIELDS",
    "RESIDENCE_LABELS",
    "StaleEdit",
    "aftercare_plan_save",
    "case_backup_set",
    "case_close",
    "case_create",
    "case_member_add",
    "case_member_end",
    "case_member_recheck",
    "case_member_update",
    "case_reopen",
    "case_tasks_due_create",
    "case_update",
    "crisis_card_save",
    "crisis_card_share",
    "crisis_card_share_revoke",
    "event_correct",
    "event_record",
    "handover_accept",
    "handover_decline",
    "handover_offer",
    "handover_withdraw",
    "meeting_create",
    "meeting_update",
    "placement_create",
    "placement_end",
    "referral_create",
    "referral_transition",
    "residence_update",
    "task_create",
    "task_update",
    "transition_tasks_create",
]
