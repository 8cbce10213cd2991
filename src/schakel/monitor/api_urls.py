from django.urls import path

from . import api

urlpatterns = [
    path("monitor/tables/", api.TableListView.as_view(), name="api-monitor-tables"),
    path("monitor/tables/<str:table_id>/", api.TableView.as_view(), name="api-monitor-table"),
]
