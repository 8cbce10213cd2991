from django.urls import path

from . import api

urlpatterns = [
    path("signals/", api.SignalListView.as_view(), name="api-signals"),
    path("signals/<uuid:public_id>/", api.SignalDetailView.as_view(), name="api-signal-detail"),
]
