"""The local-action panel of the dashboard home: review queue, groups, hosted events."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from actlocal.events.models import Event
from actlocal.local import selectors


def dashboard_panel(request: HttpRequest) -> dict[str, Any] | None:
    user = request.user
    if not user.is_authenticated:
        return None
    body: list[tuple[str, Any]] = []
    links: list[tuple[str, str]] = []
    if user.has_perm("local.moderate"):
        body.append((_("Events waiting for review"), selectors.moderation_queue().count()))
        links.append((_("Review hosted events"), reverse("orga:local-moderation")))
    groups = selectors.managed_networks(user)  # type: ignore[arg-type]
    if user.is_staff or groups.exists():
        body.append((_("Local action networks"), groups.count()))
        links.append((_("Local action networks"), reverse("orga:local-groups")))
    hosted = Event.objects.filter(hosts__user=user, hosting__isnull=False).order_by("starts_at")
    for event in hosted[:5]:
        links.append(
            (_("Huddle toolkit: %(title)s") % {"title": event.title},
             reverse("orga:local-toolkit", args=[event.pk]))
        )  # fmt: skip
    if not body and not links:
        return None
    return {"title": _("Local action"), "body": body, "links": links}
