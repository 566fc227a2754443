"""The API panel of the dashboard home."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from actlocal.api.models import ApiKey, Webhook


def dashboard_panel(request: HttpRequest) -> dict[str, Any] | None:
    user = request.user
    if not user.has_perm("api.manage_keys"):
        return None
    keys = ApiKey.objects.filter(revoked_at__isnull=True)
    if not user.is_staff:
        owner: Any = user
        keys = keys.filter(user=owner)
    body = [(_("Active API keys"), keys.count())]
    links = [(_("API keys"), reverse("orga:api-keys")), (_("API documentation"), "/api/docs/")]
    if user.has_perm("api.manage_webhooks"):
        body.append((_("Active webhooks"), Webhook.objects.filter(is_active=True).count()))
        links.append((_("Webhooks"), reverse("orga:webhooks")))
    return {"title": _("API and webhooks"), "body": body, "links": links}
