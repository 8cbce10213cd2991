from django.urls import path

from . import api

urlpatterns = [
    path("registry/meldingen/", api.MeldingListView.as_view(), name="api-registry-meldingen"),
    path("registry/meldingen/export/", api.ExportView.as_view(), name="api-registry-export"),
    path(
        "registry/meldingen/<str:melding_id>/",
        api.MeldingDetailView.as_view(),
        name="api-registry-melding",
    ),
    path("registry/imports/", api.ImportView.as_view(), name="api-registry-imports"),
]
