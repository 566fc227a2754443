"""Dashboard pages of local action."""

from django.urls import path

from actlocal.orga.views import local as views

urlpatterns = [
    path("local/moderation/", views.moderation_queue, name="local-moderation"),
    path("local/moderation/<int:pk>/", views.moderate, name="local-moderate"),
    path("local/groups/", views.group_list, name="local-groups"),
    path("local/groups/<slug:slug>/", views.group_detail, name="local-group"),
    path("local/events/<int:pk>/toolkit/", views.huddle_toolkit, name="local-toolkit"),
    path("local/events/<int:pk>/sign-in/", views.signin_sheet, name="local-signin-sheet"),
]
