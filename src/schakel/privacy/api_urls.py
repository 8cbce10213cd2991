from django.urls import path

from . import api

urlpatterns = [
    path("consents/", api.ConsentListView.as_view(), name="api-consent-list"),
    path("consents/<uuid:public_id>/", api.ConsentDetailView.as_view(), name="api-consent-detail"),
    path("consents/<uuid:public_id>/give/", api.ConsentGiveView.as_view(), name="api-consent-give"),
    path(
        "consents/<uuid:public_id>/refuse/",
        api.ConsentRefuseView.as_view(),
        name="api-consent-refuse",
    ),
    path(
        "consents/<uuid:public_id>/withdraw/",
        api.ConsentWithdrawView.as_view(),
        name="api-consent-withdraw",
    ),
    path(
        "consents/<uuid:public_id>/renew/", api.ConsentRenewView.as_view(), name="api-consent-renew"
    ),
    path("agreements/", api.AgreementListView.as_view(), name="api-agreement-list"),
    path(
        "agreements/<uuid:public_id>/",
        api.AgreementDetailView.as_view(),
        name="api-agreement-detail",
    ),
    path(
        "agreements/<uuid:public_id>/end/", api.AgreementEndView.as_view(), name="api-agreement-end"
    ),
    path(
        "sharing-decisions/",
        api.SharingDecisionListView.as_view(),
        name="api-sharing-decision-list",
    ),
    path(
        "sharing-decisions/<uuid:public_id>/",
        api.SharingDecisionDetailView.as_view(),
        name="api-sharing-decision-detail",
    ),
    path("sharing-bases/", api.SharingBasisListView.as_view(), name="api-sharing-basis-list"),
    path(
        "sharing-bases/<uuid:public_id>/",
        api.SharingBasisDetailView.as_view(),
        name="api-sharing-basis-detail",
    ),
    path("sharing-rules/", api.SharingRulesView.as_view(), name="api-sharing-rules"),
    path(
        "subject-requests/",
        api.SubjectRequestListView.as_view(),
        name="api-subject-request-list",
    ),
    path(
        "subject-requests/<uuid:public_id>/",
        api.SubjectRequestDetailView.as_view(),
        name="api-subject-request-detail",
    ),
    path(
        "subject-requests/<uuid:public_id>/events/",
        api.SubjectRequestStepView.as_view(),
        name="api-subject-request-step",
    ),
    path(
        "subject-requests/<uuid:public_id>/export/",
        api.SubjectAccessExportView.as_view(),
        name="api-subject-request-export",
    ),
]
