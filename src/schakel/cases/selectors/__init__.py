"""All reads of the case capability, scoped to the actor. A case the actor may not see (not a
member, a former member, a member whose basis lapsed, or a role without "case.view") answers
Http404, and so does everything in it.

`case_get_for` and the list selectors record the read in the processing log (activity
"case_coordination"); the selectors that take a `case` expect it from `case_get_for` (it
carries `case.access`) and do not log again.

One module per part of a case: `case` (the list, one case, the start page), `members`,
`timeline`, `referrals` (and placements), `meetings` (and tasks), `crisis_card` (and the
aftercare plan), `figures`, `easy_read`; what they share is in `_common`. Import from the
package: `from schakel.cases import selectors; selectors.case_get_for(...)`.
"""

from ._common import ACTIVITY
from .case import (
    any_open_tasks,
    case_get_for,
    case_list_for,
    handovers_offered_to,
    lvb_for,
    membership_for_case,
    my_tasks_for,
    open_handover,
    organisations_for_members,
    police_organisations,
    stand_in_cases,
)
from .crisis_card import (
    aftercare_for,
    crisis_card_for,
    crisis_card_received_get_for,
    crisis_card_share_get_for,
    crisis_card_shares_of,
    crisis_cards_received_for,
)
from .easy_read import easy_read_for
from .figures import Figures, OrganisationFigures, case_figures, organisation_figures_for
from .meetings import meeting_get_for, meetings_for, task_get_for, tasks_for
from .members import handover_get_for, handovers_for, member_get_for, members_for
from .referrals import (
    placement_get_for,
    placements_for,
    referral_actions,
    referral_get_for,
    referral_options_for,
    referrals_for,
)
from .timeline import GROUPS, TimelineEntry, event_get_for, kind_group, timeline_entry, timeline_for

__all__ = [
    "ACTIVITY",
    "Figures",
    "GROUPS",
    "OrganisationFigures",
    "TimelineEntry",
    "aftercare_for",
    "any_open_tasks",
    "case_figures",
    "case_get_for",
    "case_list_for",
    "crisis_card_for",
    "crisis_card_received_get_for",
    "crisis_card_share_get_for",
    "crisis_card_shares_of",
    "crisis_cards_received_for",
    "easy_read_for",
    "event_get_for",
    "handover_get_for",
    "handovers_for",
    "handovers_offered_to",
    "kind_group",
    "lvb_for",
    "meeting_get_for",
    "meetings_for",
    "member_get_for",
    "members_for",
    "membership_for_case",
    "my_tasks_for",
    "open_handover",
    "organisation_figures_for",
    "organisations_for_members",
    "placement_get_for",
    "placements_for",
    "police_organisations",
    "referral_actions",
    "referral_get_for",
    "referral_options_for",
    "referrals_for",
    "stand_in_cases",
    "task_get_for",
    "tasks_for",
    "timeline_entry",
    "timeline_for",
]
