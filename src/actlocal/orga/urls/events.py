"""Dashboard pages of convenings: campaigns, events, agenda, invitations, check-in."""

from django.urls import path

from actlocal.orga.views import events as views

urlpatterns = [
    path("events/", views.event_list, name="events"),
    path("campaigns/<slug:slug>/", views.campaign_dashboard, name="campaign"),
    path("campaigns/<slug:slug>/events/new/", views.event_create, name="event-create"),
    path("campaigns/<slug:slug>/nominate/", views.nominate, name="campaign-nominate"),
    path("events/<slug:slug>/", views.event_detail, name="event"),
    path("events/<slug:slug>/edit/", views.event_edit, name="event-edit"),
    path("events/<slug:slug>/cancel/", views.event_cancel, name="event-cancel"),
    path("events/<slug:slug>/hosts/", views.event_hosts, name="event-hosts"),
    path("events/<slug:slug>/agenda/", views.agenda_editor, name="event-agenda"),
    path(
        "events/<slug:slug>/agenda/<int:pk>/delete/",
        views.session_delete,
        name="event-session-delete",
    ),
    path("events/<slug:slug>/invitations/", views.invitations, name="event-invitations"),
    path("events/<slug:slug>/checkin/", views.checkin, name="event-checkin"),
]
