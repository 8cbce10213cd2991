from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("nieuw/", views.person_create, name="create"),
    path("<uuid:public_id>/", views.person_detail, name="detail"),
    path("<uuid:public_id>/wijzigen/", views.person_edit, name="edit"),
    path("<uuid:public_id>/lvb-indicatie/", views.lvb_indication_add, name="lvb_add"),
]
