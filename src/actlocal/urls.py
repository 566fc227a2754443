from django.conf.urls.i18n import i18n_patterns  # noqa: F401 -- language comes from the cookie
from django.contrib import admin
from django.urls import include, path

from actlocal.common import views as common_views

urlpatterns = [
    path("healthz", common_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("actlocal.accounts.urls")),
    path("orga/", include("actlocal.orga.urls")),
    path("api/", include("actlocal.api.urls")),
    path("django-admin/", admin.site.urls),
    path("", include("actlocal.web.urls")),
]

handler400 = "actlocal.common.views.bad_request"
handler403 = "actlocal.common.views.permission_denied"
handler404 = "actlocal.common.views.page_not_found"
handler500 = "actlocal.common.views.server_error"
