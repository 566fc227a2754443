"""Public pages. Each capability owns one module here; this file only joins them."""

from django.urls import path

from actlocal.web import views
from actlocal.web.urls import events, followup, local, network

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    *events.urlpatterns,
    *followup.urlpatterns,
    *local.urlpatterns,
    *network.urlpatterns,
]
