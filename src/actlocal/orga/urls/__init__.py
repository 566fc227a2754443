"""Organizer dashboard. Each capability owns one module here; this file only joins them."""

from django.urls import path

from actlocal.orga.urls import api, events, followup, local, network
from actlocal.orga.views import core

app_name = "orga"

urlpatterns = [
    path("", core.dashboard, name="dashboard"),
    path("audit/", core.audit_log, name="audit-log"),
    path(
        "audit/<str:app_label>/<str:model>/<str:pk>/",
        core.object_history,
        name="object-history",
    ),
    path("outbox/", core.outbox, name="outbox"),
    path("outbox/<int:pk>/retry/", core.outbox_retry, name="outbox-retry"),
    path("users/", core.users, name="users"),
    path("users/invite/", core.invite_user, name="invite-user"),
    *events.urlpatterns,
    *followup.urlpatterns,
    *local.urlpatterns,
    *network.urlpatterns,
    *api.urlpatterns,
]
