from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views

v1 = [
    path("me/", views.me, name="api-me"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema"),
        name="api-docs",
    ),
    path("", include("schakel.people.api_urls")),
    path("", include("schakel.directory.api_urls")),
    path("", include("schakel.screening.api_urls")),
    path("", include("schakel.knowledge.api_urls")),
    path("", include("schakel.privacy.api_urls")),
    path("", include("schakel.cases.api_urls")),
    path("", include("schakel.registry.api_urls")),
    path("", include("schakel.signal_index.api_urls")),
    path("", include("schakel.monitor.api_urls")),
]

urlpatterns = [path("v1/", include(v1))]
