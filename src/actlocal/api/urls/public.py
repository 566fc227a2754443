from django.urls import path

from actlocal.api.views.public import PublicEventsView

urlpatterns = [path("events", PublicEventsView.as_view(), name="public-events")]
