from django.urls import path

from . import views

app_name = "screening"
urlpatterns = [
    path("", views.index, name="index"),
    path("gebruik/", views.usage, name="usage"),
    path("beoordelingen/<uuid:public_id>/", views.assessment_detail, name="assessment"),
    path("beoordelingen/<uuid:public_id>/pdf/", views.assessment_pdf, name="assessment_pdf"),
    path("beoordelingen/<uuid:public_id>/lvb/", views.assessment_lvb, name="assessment_lvb"),
    path("personen/", views.person_choose, name="persons"),
    path("personen/<uuid:public_id>/", views.person_assessments, name="person"),
    path("<slug:key>/", views.start, name="start"),
    path("<slug:key>/invullen/", views.fill, name="fill"),
    path("<slug:key>/advies/", views.result, name="result"),
    path("<slug:key>/advies/pdf/", views.result_pdf, name="result_pdf"),
]
