from django.urls import path

from . import views

app_name = "monitor"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:table_id>/", views.table_detail, name="table"),
    path("<slug:table_id>/download.<str:fmt>", views.download, name="download"),
]
