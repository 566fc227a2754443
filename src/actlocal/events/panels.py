"""The convenings panel of the dashboard home."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from actlocal.events import selectors
from actlocal.events.models import Campaign


def dashboard_panel(request: HttpRequest) -> dict[str, Any] | None:
    user = request.user
    if not user.is_authenticated:
        return None
    events = selectors.hosted_events(user=user)
    count = events.count()
    if not count and not user.is_staff:
        if user.has_perm("events.nominate"):
            campaigns = Campaign.objects.filter(kind=Campaign.Kind.CONVENING, is_public=True)
            links = [
                (
                    _("Nominate leaders: %(name)s") % {"name": c.name},
                    reverse("orga:campaign-nominate", args=[c.slug]),
                )
                for c in campaigns[:5]
            ]
            return {"title": _("Convenings"), "body": [], "links": links} if links else None
        return None
    links = [(_("Your events"), reverse("orga:events"))]
    if user.has_perm("events.change_campaign"):
        links.append((_("All campaigns"), reverse("orga:campaigns")))
    campaigns = Campaign.objects.filter(kind=Campaign.Kind.CONVENING, archived_at__isnull=True)
    if not user.is_staff:
        campaigns = campaigns.filter(events__in=events).distinct()
    for campaign in campaigns[:5]:
        links.append((campaign.name, reverse("orga:campaign", args=[campaign.slug])))
    return {"title": _("Convenings"), "body": [(_("Events you manage"), count)], "links": links}
