from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("inloggen/", views.login_view, name="login"),
    path("uitloggen/", views.logout_view, name="logout"),
    path("tweestaps/", views.two_factor, name="two_factor"),
    path("tweestaps/instellen/", views.two_factor_setup, name="two_factor_setup"),
    path("organisatie-kiezen/", views.choose_organisation, name="choose_organisation"),
    path("", views.account, name="account"),
    path("herstelcodes/", views.recovery_codes_renew, name="recovery_codes_renew"),
    path("sessie/verlengen/", views.keepalive, name="keepalive"),
    path(
        "wachtwoord-instellen/<uidb64>/<token>/",
        views.password_setup,
        name="password_setup",
    ),
    path("ontgrendelen/<str:token>/", views.unlock, name="unlock"),
    path("organisatie/gebruikers/", views.organisation_users, name="organisation_users"),
    path(
        "organisatie/gebruikers/<int:pk>/<slug:action>/",
        views.organisation_member_action,
        name="organisation_member_action",
    ),
]
