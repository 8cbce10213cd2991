"""REST API for cases under /api/v1/cases/. Thin: the same selectors and services as the web, so
the same rules: a non-member gets 404 for the case and everything under it; a stale edit gets
409 with the stored version; a transfer the privacy gate refuses gets 403 with the reasons.
Those answers are made in one place, the API's exception handler (`schakel.api.problems`):
the endpoints call the service and let its errors through.

One module per part of a case, each with its serializers next to its views: `case`, `members`,
`handover`, `timeline`, `referrals`, `placements`, `meetings`, `tasks`, `aftercare`,
`crisis_card`; what they share is in `_common`. `api_urls` names the views from here.
"""

from .aftercare import AftercareView
from .case import (
    CaseBackupView,
    CaseCloseView,
    CaseDetailView,
    CaseFiguresView,
    CaseListView,
    CaseReopenView,
    CaseResidenceView,
    OrganisationFiguresView,
)
from .crisis_card import (
    CrisisCardShareListView,
    CrisisCardShareRevokeView,
    CrisisCardView,
    ReceivedCardDetailView,
    ReceivedCardListView,
)
from .handover import (
    HandoverAcceptView,
    HandoverActionView,
    HandoverDeclineView,
    HandoverListView,
    HandoverWithdrawView,
)
from .meetings import MeetingDecisionView, MeetingDetailView, MeetingListView
from .members import MemberDetailView, MemberEndView, MemberListView, MemberRecheckView
from .placements import PlacementDetailView, PlacementListView
from .referrals import (
    ReferralDetailView,
    ReferralListView,
    ReferralOptionsView,
    ReferralTransitionView,
)
from .tasks import MyTasksView, TaskDetailView, TaskListView
from .timeline import TimelineView

__all__ = [
    "AftercareView",
    "CaseBackupView",
    "CaseCloseView",
    "CaseDetailView",
    "CaseFiguresView",
    "CaseListView",
    "CaseReopenView",
    "CaseResidenceView",
    "CrisisCardShareListView",
    "CrisisCardShareRevokeView",
    "CrisisCardView",
    "HandoverAcceptView",
    "HandoverActionView",
    "HandoverDeclineView",
    "HandoverListView",
    "HandoverWithdrawView",
    "MeetingDecisionView",
    "MeetingDetailView",
    "MeetingListView",
    "MemberDetailView",
    "MemberEndView",
    "MemberListView",
    "MemberRecheckView",
    "MyTasksView",
    "OrganisationFiguresView",
    "PlacementDetailView",
    "PlacementListView",
    "ReceivedCardDetailView",
    "ReceivedCardListView",
    "ReferralDetailView",
    "ReferralListView",
    "ReferralOptionsView",
    "ReferralTransitionView",
    "TaskDetailView",
    "TaskListView",
    "TimelineView",
]
