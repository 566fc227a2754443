from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from actlocal.api.views.aep import EntryPointView

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "docs/",
        SpectacularRedocView.as_view(url_name="api-schema", template_name="api/redoc.html"),
        name="api-docs",
    ),
    path("v2", EntryPointView.as_view(), name="osdi-aep"),
    path("v2/", include("actlocal.api.urls.osdi")),
    path("public/v1/", include("actlocal.api.urls.public")),
]
