from django.contrib import admin
from django.shortcuts import redirect
from django.urls import include, path


def _admin_login(request, extra_context=None):
    return redirect(f"/account/inloggen/?next={request.GET.get('next', '/beheer/')}")


admin.site.login = _admin_login
admin.site.site_header = "Schakel beheer"

urlpatterns = [
    path("", include("schakel.web.urls")),
    path("account/", include("schakel.accounts.urls")),
    path("personen/", include("schakel.people.urls")),
    path("wegwijzer/", include("schakel.directory.urls")),
    path("screening/", include("schakel.screening.urls")),
    path("kennisbank/", include("schakel.knowledge.urls")),
    path("delen/", include("schakel.privacy.urls")),
    path("casussen/", include("schakel.cases.urls")),
    path("registratie/", include("schakel.registry.urls")),
    path("signalen/", include("schakel.signal_index.urls")),
    path("monitor/", include("schakel.monitor.urls")),
    path("api/", include("schakel.api.urls")),
    path("health/", include("schakel.api.health_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("beheer/", admin.site.urls),
]

# Under /api/ these answer in problem+json; elsewhere they render the Dutch error pages.
handler400 = "schakel.web.errors.bad_request"
handler403 = "schakel.web.errors.permission_denied"
handler404 = "schakel.web.errors.page_not_found"
handler500 = "schakel.web.errors.server_error"
