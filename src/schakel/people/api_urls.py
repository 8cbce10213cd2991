from django.urls import path

from . import api

urlpatterns = [
    path("persons/", api.PersonListView.as_view(), name="api-person-list"),
    path("persons/<uuid:public_id>/", api.PersonDetailView.as_view(), name="api-person-detail"),
    path(
        "persons/<uuid:public_id>/lvb-indications/",
        api.LvbIndicationListView.as_view(),
        name="api-person-lvb-indications",
    ),
]
