from django.urls import path

from . import api

urlpatterns = [
    path("directory/offers/", api.OfferSearchView.as_view(), name="api-directory-offers"),
    path("directory/offers/<slug:key>/", api.OfferDetailView.as_view(), name="api-directory-offer"),
    path(
        "directory/offers/<slug:key>/capacity/",
        api.OfferCapacityView.as_view(),
        name="api-directory-offer-capacity",
    ),
    path(
        "directory/coordinators/",
        api.CoordinatorsView.as_view(),
        name="api-directory-coordinators",
    ),
    path(
        "directory/suggestions/",
        api.SuggestionCreateView.as_view(),
        name="api-directory-suggestions",
    ),
]
