from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("", views.index, name="index"),
    path("nieuw/", views.melding_create, name="create"),
    path("importeren/", views.import_file, name="import"),
    path("meldingen.csv", views.export_csv, name="export"),
    path("melding/<str:melding_id>/", views.melding_detail, name="detail"),
]
