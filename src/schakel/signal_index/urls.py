from django.urls import path

from . import views

app_name = "signal_index"
urlpatterns = [
    path("", views.index, name="index"),
    path("nieuw/", views.register, name="register"),
    path("melding/<uuid:public_id>/", views.registration_detail, name="detail"),
    path("melding/<uuid:public_id>/intrekken/", views.withdraw, name="withdraw"),
    path("match/<uuid:public_id>/", views.match_detail, name="match"),
    path("match/<uuid:public_id>/regie/", views.match_lead, name="match_lead"),
    path("match/<uuid:public_id>/uitnodigen/", views.match_invite, name="match_invite"),
]
