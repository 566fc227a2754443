"""Only while other apps' URL modules are mid-edit in the shared tree (local runs only)."""

from django.urls import include, path

urlpatterns = [path("api/", include("actlocal.api.urls"))]
