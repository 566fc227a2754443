"""Dashboard pages of follow-up surveys."""

from django.urls import path

from actlocal.orga.views import followup as views

urlpatterns = [
    path("surveys/", views.survey_list, name="surveys"),
    path("surveys/new/", views.survey_create, name="survey-create"),
    path("surveys/<uuid:uuid>/", views.survey_detail, name="survey"),
    path("surveys/<uuid:uuid>/send/", views.survey_send, name="survey-send"),
    path("surveys/<uuid:uuid>/close/", views.survey_close, name="survey-close"),
    path("surveys/<uuid:uuid>/export.csv", views.survey_export, name="survey-export"),
]
