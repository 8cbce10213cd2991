"""Web pages for cases. Thin: selectors read (and log), services write; these views translate
between HTTP and them. Every page of a case answers 404 to anyone who is not a member.

One module per part of a case: `case` (start page, new case, change, close, residence),
`timeline`, `members` (the team), `handover`, `referrals` (the help tab), `placements`,
`meetings`, `tasks`, `aftercare`, `crisis_card`, `easy_read`; what they share is in `_common`.
`urls` names the views from here.
"""

from .aftercare import aftercare
from .case import (
    case_close,
    case_create,
    case_detail,
    case_edit,
    case_reopen,
    index,
    organisation_figures,
    residence,
)
from .crisis_card import (
    crisis_card,
    crisis_card_print,
    crisis_card_revoke,
    crisis_card_share,
    received_card,
    received_cards,
)
from .easy_read import easy_read
from .handover import handover_detail, handover_offer
from .meetings import meeting_create, meeting_detail, meetings
from .members import backup_set, member_add, member_edit, member_end, member_recheck, team
from .placements import placement_create, placement_detail
from .referrals import help_tab, referral_create, referral_detail, referral_search
from .tasks import task_create, task_detail, tasks
from .timeline import event_correct, timeline

__all__ = [
    "aftercare",
    "backup_set",
    "case_close",
    "case_create",
    "case_detail",
    "case_edit",
    "case_reopen",
    "crisis_card",
    "crisis_card_print",
    "crisis_card_revoke",
    "crisis_card_share",
    "easy_read",
    "event_correct",
    "handover_detail",
    "handover_offer",
    "help_tab",
    "index",
    "meeting_create",
    "meeting_detail",
    "meetings",
    "member_add",
    "member_edit",
    "member_end",
    "member_recheck",
    "organisation_figures",
    "placement_create",
    "placement_detail",
    "received_card",
    "received_cards",
    "referral_create",
    "referral_detail",
    "referral_search",
    "residence",
    "task_create",
    "task_detail",
    "tasks",
    "team",
    "timeline",
]
