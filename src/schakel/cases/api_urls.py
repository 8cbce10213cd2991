from django.urls import path

from . import api

case = "cases/<uuid:public_id>/"
urlpatterns = [
    path("cases/", api.CaseListView.as_view(), name="api-case-list"),
    path("cases/tasks/", api.MyTasksView.as_view(), name="api-case-my-tasks"),
    path("cases/figures/", api.OrganisationFiguresView.as_view(), name="api-case-figures-org"),
    path("cases/crisis-cards/", api.ReceivedCardListView.as_view(), name="api-case-cards-received"),
    path(
        "cases/crisis-cards/<uuid:public_id>/",
        api.ReceivedCardDetailView.as_view(),
        name="api-case-card-received",
    ),
    path(case, api.CaseDetailView.as_view(), name="api-case-detail"),
    path(case + "close/", api.CaseCloseView.as_view(), name="api-case-close"),
    path(case + "reopen/", api.CaseReopenView.as_view(), name="api-case-reopen"),
    path(case + "backup/", api.CaseBackupView.as_view(), name="api-case-backup"),
    path(case + "residence/", api.CaseResidenceView.as_view(), name="api-case-residence"),
    path(case + "figures/", api.CaseFiguresView.as_view(), name="api-case-figures"),
    path(case + "timeline/", api.TimelineView.as_view(), name="api-case-timeline"),
    path(case + "members/", api.MemberListView.as_view(), name="api-case-members"),
    path(case + "members/<int:pk>/", api.MemberDetailView.as_view(), name="api-case-member"),
    path(case + "members/<int:pk>/end/", api.MemberEndView.as_view(), name="api-case-member-end"),
    path(
        case + "members/<int:pk>/recheck/",
        api.MemberRecheckView.as_view(),
        name="api-case-member-recheck",
    ),
    path(case + "handovers/", api.HandoverListView.as_view(), name="api-case-handovers"),
    path(
        case + "handovers/<int:pk>/accept/",
        api.HandoverAcceptView.as_view(),
        name="api-case-handover-accept",
    ),
    path(
        case + "handovers/<int:pk>/decline/",
        api.HandoverDeclineView.as_view(),
        name="api-case-handover-decline",
    ),
    path(
        case + "handovers/<int:pk>/withdraw/",
        api.HandoverWithdrawView.as_view(),
        name="api-case-handover-withdraw",
    ),
    path(case + "referrals/", api.ReferralListView.as_view(), name="api-case-referrals"),
    path(
        case + "referrals/options/",
        api.ReferralOptionsView.as_view(),
        name="api-case-referral-options",
    ),
    path(case + "referrals/<int:pk>/", api.ReferralDetailView.as_view(), name="api-case-referral"),
    path(
        case + "referrals/<int:pk>/transition/",
        api.ReferralTransitionView.as_view(),
        name="api-case-referral-transition",
    ),
    path(case + "placements/", api.PlacementListView.as_view(), name="api-case-placements"),
    path(
        case + "placements/<int:pk>/", api.PlacementDetailView.as_view(), name="api-case-placement"
    ),
    path(case + "meetings/", api.MeetingListView.as_view(), name="api-case-meetings"),
    path(case + "meetings/<int:pk>/", api.MeetingDetailView.as_view(), name="api-case-meeting"),
    path(
        case + "meetings/<int:pk>/decisions/",
        api.MeetingDecisionView.as_view(),
        name="api-case-meeting-decisions",
    ),
    path(case + "tasks/", api.TaskListView.as_view(), name="api-case-tasks"),
    path(case + "tasks/<int:pk>/", api.TaskDetailView.as_view(), name="api-case-task"),
    path(case + "aftercare/", api.AftercareView.as_view(), name="api-case-aftercare"),
    path(case + "crisis-card/", api.CrisisCardView.as_view(), name="api-case-crisis-card"),
    path(
        case + "crisis-card/shares/",
        api.CrisisCardShareListView.as_view(),
        name="api-case-crisis-card-shares",
    ),
    path(
        case + "crisis-card/shares/<int:pk>/revoke/",
        api.CrisisCardShareRevokeView.as_view(),
        name="api-case-crisis-card-share-revoke",
    ),
]
