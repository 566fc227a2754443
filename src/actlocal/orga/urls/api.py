"""Dashboard pages for API keys and webhooks."""

from django.urls import path

from actlocal.orga.views import api

urlpatterns = [
    path("api/keys/", api.api_keys, name="api-keys"),
    path("api/keys/<int:pk>/revoke/", api.revoke_key, name="api-key-revoke"),
    path("api/webhooks/", api.webhooks, name="webhooks"),
    path("api/webhooks/<int:pk>/", api.webhook_detail, name="webhook-detail"),
    path("api/webhooks/<int:pk>/toggle/", api.webhook_toggle, name="webhook-toggle"),
    path("api/webhooks/<int:pk>/delete/", api.webhook_delete, name="webhook-delete"),
]
