"""OSDI v2 routes under ``api/v2/``, without a trailing slash (middleware strips one)."""

from django.urls import path

from actlocal.api.views import events, network, people

urlpatterns = [
    path("people", people.PeopleView.as_view(), name="osdi-people"),
    path("people/<str:person_id>", people.PersonView.as_view(), name="osdi-person"),
    path("people/<str:person_id>/taggings", people.PersonTaggingsView.as_view()),
    path("people/<str:person_id>/attendances", events.PersonAttendancesView.as_view()),
    path("tags", people.TagsView.as_view(), name="osdi-tags"),
    path("tags/<str:tag_id>", people.TagView.as_view()),
    path("tags/<str:tag_id>/taggings", people.TaggingsView.as_view()),
    path("tags/<str:tag_id>/taggings/<str:tagging_id>", people.TaggingView.as_view()),
    path("lists", people.ListsView.as_view(), name="osdi-lists"),
    path("lists/<str:list_id>", people.ListView.as_view()),
    path("lists/<str:list_id>/items", people.ListItemsView.as_view()),
    path("lists/<str:list_id>/items/<str:item_id>", people.ListItemView.as_view()),
    path("forms", people.FormsView.as_view(), name="osdi-forms"),
    path("forms/<str:form_id>", people.FormView.as_view()),
    path("forms/<str:form_id>/submissions", people.SubmissionsView.as_view()),
    path("events", events.EventsView.as_view(), name="osdi-events"),
    path("events/<str:event_id>", events.EventView.as_view()),
    path("events/<str:event_id>/attendances", events.AttendancesView.as_view()),
    path("events/<str:event_id>/attendances/<str:attendance_id>", events.AttendanceView.as_view()),
    path("event_campaigns", events.CampaignsView.as_view(), name="osdi-event-campaigns"),
    path("event_campaigns/<str:campaign_id>", events.CampaignView.as_view()),
    path("event_campaigns/<str:campaign_id>/events", events.CampaignEventsView.as_view()),
    path("organizations", network.OrganizationsView.as_view(), name="osdi-organizations"),
    path("organizations/<str:org_id>", network.OrganizationView.as_view()),
    path("organizations/<str:org_id>/relationships", network.RelationshipsView.as_view()),
]
