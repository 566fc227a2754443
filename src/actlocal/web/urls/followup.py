"""Public answer page of follow-up surveys."""

from django.urls import path

from actlocal.web.views import followup as views

urlpatterns = [path("survey/<str:token>/", views.survey, name="survey")]
