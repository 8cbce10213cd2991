from django.urls import path

from . import views

app_name = "directory"
urlpatterns = [
    path("", views.search, name="search"),
    path("aanbod/<slug:key>/", views.offer_detail, name="offer_detail"),
    path("aanbod/<slug:key>/capaciteit/", views.capacity_update, name="capacity_update"),
    path("aanbod/<slug:key>/wijzigen/", views.offer_edit, name="offer_edit"),
    path("aanbod/<slug:key>/geschiedenis/", views.history, name="history"),
    path("organisaties/", views.provider_list, name="provider_list"),
    path("organisaties/<slug:key>/", views.provider_detail, name="provider_detail"),
    path("organisaties/<slug:key>/wijzigen/", views.provider_edit, name="provider_edit"),
    path("zorgcoordinatoren/", views.coordinators, name="coordinators"),
    path("waar-kan-ik-terecht/", views.help_index, name="help_index"),
    path("waar-kan-ik-terecht/jongeren/", views.help_young, name="help_young"),
    path("waar-kan-ik-terecht/ouders/", views.help_parents, name="help_parents"),
    path("suggestie/", views.suggest, name="suggest"),
    path("suggestie/bedankt/", views.suggest_thanks, name="suggest_thanks"),
    path("beheer/", views.manage, name="manage"),
    path("beheer/suggesties/", views.suggestion_list, name="suggestion_list"),
    path("beheer/suggesties/<int:pk>/", views.suggestion_review, name="suggestion_review"),
    path("beheer/nieuw-aanbod/", views.offer_edit, name="offer_create"),
    path("beheer/nieuwe-aanbieder/", views.provider_edit, name="provider_create"),
    path("beheer/export.<str:fmt>", views.export, name="export"),
]
