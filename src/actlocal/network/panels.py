"""The network map's panel on the dashboard home."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from actlocal.network import selectors


def dashboard_panel(request: HttpRequest) -> dict[str, Any] | None:
    user = request.user
    if not user.has_perm("network.view_map"):
        return None
    links = [
        (_("Network map"), reverse("web:network-map")),
        (_("Relationship graph"), reverse("web:network-graph")),
    ]
    body = [(_("Players"), selectors.live_players().count())]
    if user.has_perm("network.import_players"):
        links.append((_("Import players"), reverse("orga:network-imports")))
    if user.has_perm("network.review_duplicates"):
        body.append((_("Possible duplicates"), selectors.pending_candidates().count()))
        links.append((_("Review duplicates"), reverse("orga:network-review")))
    return {"title": _("Network map"), "body": body, "links": links}
