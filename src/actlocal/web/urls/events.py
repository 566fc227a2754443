"""Public and invitee pages of events: event page, RSVP manage link, invitations, calendars."""

from django.urls import path

from actlocal.web.views import campaigns as campaign_views
from actlocal.web.views import events as views

urlpatterns = [
    path("events/<slug:slug>/", views.event_page, name="event"),
    path("events/<slug:slug>/event.ics", views.event_ics, name="event-ics"),
    path("events/<slug:slug>/agenda/", views.agenda, name="event-agenda"),
    path("events/<slug:slug>/agenda/print/", views.agenda_print, name="event-agenda-print"),
    path("rsvp/<str:token>/", views.rsvp_manage, name="rsvp-manage"),
    path("rsvp/<str:token>/qr.svg", views.rsvp_qr, name="rsvp-qr"),
    path("rsvp/<str:token>/event.ics", views.rsvp_ics, name="rsvp-ics"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("calendar/<str:token>.ics", views.personal_feed, name="personal-feed"),
    path("campaigns/<slug:slug>/events.ics", views.campaign_feed, name="campaign-feed"),
    path("campaigns/<slug:slug>/", campaign_views.campaign_page, name="campaign"),
    path("campaigns/logo/<uuid:uuid>/", campaign_views.campaign_logo, name="campaign-logo"),
]
