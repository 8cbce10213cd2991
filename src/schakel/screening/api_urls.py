from django.urls import path

from . import api

urlpatterns = [
    path("instruments/", api.InstrumentListView.as_view(), name="api-instrument-list"),
    path(
        "instruments/<slug:key>/", api.InstrumentDetailView.as_view(), name="api-instrument-detail"
    ),
    path("assessments/", api.AssessmentListView.as_view(), name="api-assessment-list"),
    path(
        "assessments/<uuid:public_id>/",
        api.AssessmentDetailView.as_view(),
        name="api-assessment-detail",
    ),
]
