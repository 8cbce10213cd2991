from django.urls import path

from . import views

app_name = "knowledge"
urlpatterns = [
    path("", views.index, name="index"),
    path("nieuw/", views.item_create, name="item_create"),
    path("item/<slug:slug>/", views.item_detail, name="item"),
    path("item/<slug:slug>/link/<int:number>/", views.item_link, name="item_link"),
    path("item/<slug:slug>/wijzigen/", views.item_edit, name="item_edit"),
    path("item/<slug:slug>/geschiedenis/", views.item_history, name="item_history"),
    path("gebruik/", views.usage, name="usage"),
    path("gebruik/export.csv", views.usage_csv, name="usage_csv"),
    path("aanbevelingen/", views.recommendation_list, name="recommendations"),
    path(
        "aanbevelingen/overzicht/",
        views.recommendation_dashboard,
        name="recommendation_dashboard",
    ),
    path("aanbevelingen/export.csv", views.recommendation_csv, name="recommendations_csv"),
    path("aanbevelingen/<str:code>/", views.recommendation_detail, name="recommendation"),
    path("aanbevelingen/<str:code>/status/", views.status_update_add, name="status_update_add"),
    path("ronde-tafels/", views.session_list, name="sessions"),
    path("ronde-tafels/<int:pk>/", views.session_detail, name="session"),
    path("ronde-tafels/uitspraak/<int:pk>/", views.statement_edit, name="statement_edit"),
    path(
        "ronde-tafels/uitspraak/<int:pk>/verwijderen/",
        views.statement_delete,
        name="statement_delete",
    ),
    path("ronde-tafels/themas/", views.theme_list, name="themes"),
    path("ronde-tafels/themas/<int:number>/", views.theme_report, name="theme_report"),
]
