"""Public pages of local action."""

from django.urls import path

from actlocal.web.views import local as views

urlpatterns = [
    path("events/", views.event_search, name="event-search"),
    path("host/", views.host_event, name="host"),
    path("campaigns/<slug:slug>/host/", views.host_event, name="host-campaign"),
    path("host/sent/", views.host_sent, name="host-sent"),
    path("host/events/<int:pk>/", views.host_edit, name="host-edit"),
    path("host/events/<int:pk>/cancel/", views.host_cancel, name="host-cancel"),
    path("host/confirm/<str:token>/", views.host_confirm, name="host-confirm"),
    path("groups/", views.group_list, name="groups"),
    path("groups/unsubscribe/<str:token>/", views.group_unsubscribe, name="group-unsubscribe"),
    path("groups/<slug:slug>/", views.group_detail, name="group"),
    path("embed/events/", views.embed_events, name="embed-events"),
    path("embed/events.js", views.embed_script, name="embed-script"),
]
