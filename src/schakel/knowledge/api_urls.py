from django.urls import path

from . import api

urlpatterns = [
    path("knowledge/items/", api.ItemListView.as_view(), name="api-knowledge-item-list"),
    path(
        "knowledge/items/<slug:slug>/",
        api.ItemDetailView.as_view(),
        name="api-knowledge-item-detail",
    ),
    path(
        "knowledge/items/<slug:slug>/history/",
        api.ItemHistoryView.as_view(),
        name="api-knowledge-item-history",
    ),
    path("knowledge/usage/", api.UsageView.as_view(), name="api-knowledge-usage"),
    path("recommendations/", api.RecommendationListView.as_view(), name="api-recommendation-list"),
    path(
        "recommendations/<str:code>/",
        api.RecommendationDetailView.as_view(),
        name="api-recommendation-detail",
    ),
    path(
        "recommendations/<str:code>/status-updates/",
        api.StatusUpdateListView.as_view(),
        name="api-recommendation-status-updates",
    ),
]
