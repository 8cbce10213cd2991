from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("", views.decision_aid, name="decision_aid"),
    path("vraag/", views.decision_question, name="decision_question"),
    path("overzicht/", views.overview, name="overview"),
    path("besluiten/", views.decision_list, name="decision_list"),
    path("besluiten/<uuid:public_id>/", views.decision_detail, name="decision_detail"),
    path("toestemming/", views.consent_list, name="consent_list"),
    path("toestemming/nieuw/", views.consent_create, name="consent_create"),
    path("toestemming/<uuid:public_id>/", views.consent_detail, name="consent_detail"),
    path(
        "toestemming/<uuid:public_id>/bewijs/<uuid:evidence_id>/",
        views.consent_evidence,
        name="consent_evidence",
    ),
    path(
        "toestemming/<uuid:public_id>/<slug:action>/",
        views.consent_action,
        name="consent_action",
    ),
    path("uitleg/<slug:purpose>/", views.easy_read, name="easy_read"),
    path("convenanten/", views.agreement_list, name="agreement_list"),
    path("convenanten/nieuw/", views.agreement_create, name="agreement_create"),
    path("convenanten/<uuid:public_id>/", views.agreement_detail, name="agreement_detail"),
    path("gedeeld/", views.disclosure_list, name="disclosure_list"),
    path("gedeeld/<uuid:public_id>/", views.disclosure_detail, name="disclosure_detail"),
    path("verzoeken/", views.request_list, name="request_list"),
    path("verzoeken/nieuw/", views.request_create, name="request_create"),
    path("verzoeken/<uuid:public_id>/", views.request_detail, name="request_detail"),
    path("verzoeken/<uuid:public_id>/inzage/", views.request_export, name="request_export"),
    path("instellingen/", views.privacy_settings, name="settings"),
]
