"""Dashboard pages of convenings: campaigns, events, agenda, invitations, check-in."""

from django.urls import path

from actlocal.orga.views import campaigns as campaign_views
from actlocal.orga.views import checkin as checkin_views
from actlocal.orga.views import events as views

urlpatterns = [
    path("events/", views.event_list, name="events"),
    path("campaigns/", campaign_views.campaign_list, name="campaigns"),
    path("campaigns/new/", campaign_views.campaign_create, name="campaign-create"),
    path("campaigns/<slug:slug>/", views.campaign_dashboard, name="campaign"),
    path("campaigns/<slug:slug>/edit/", campaign_views.campaign_edit, name="campaign-edit"),
    path(
        "campaigns/<slug:slug>/archive/", campaign_views.campaign_archive, name="campaign-archive"
    ),
    path(
        "campaigns/<slug:slug>/documents/",
        campaign_views.campaign_documents,
        name="campaign-documents",
    ),
    path(
        "campaigns/<slug:slug>/documents/<uuid:uuid>/",
        campaign_views.document_download,
        name="campaign-document",
    ),
    path(
        "campaigns/<slug:slug>/documents/<uuid:uuid>/delete/",
        campaign_views.document_delete,
        name="campaign-document-delete",
    ),
    path("campaigns/<slug:slug>/events/new/", views.event_create, name="event-create"),
    path("campaigns/<slug:slug>/nominate/", views.nominate, name="campaign-nominate"),
    path("events/<slug:slug>/", views.event_detail, name="event"),
    path("events/<slug:slug>/edit/", views.event_edit, name="event-edit"),
    path("events/<slug:slug>/attendees.csv", views.attendees_export, name="event-attendees-export"),
    path("events/<slug:slug>/cancel/", views.event_cancel, name="event-cancel"),
    path("events/<slug:slug>/hosts/", views.event_hosts, name="event-hosts"),
    path("events/<slug:slug>/agenda/", views.agenda_editor, name="event-agenda"),
    path(
        "events/<slug:slug>/agenda/<int:pk>/delete/",
        views.session_delete,
        name="event-session-delete",
    ),
    path("events/<slug:slug>/invitations/", views.invitations, name="event-invitations"),
    path("events/<slug:slug>/checkin/", checkin_views.checkin, name="event-checkin"),
    path(
        "events/<slug:slug>/checkin/roster/",
        checkin_views.roster,
        name="event-checkin-roster",
    ),
    path("events/<slug:slug>/checkin/sync/", checkin_views.sync, name="event-checkin-sync"),
    path(
        "events/<slug:slug>/checkin/counts/",
        checkin_views.counts,
        name="event-checkin-counts",
    ),
    path("events/<slug:slug>/checkin/sw.js", checkin_views.worker, name="event-checkin-worker"),
]
