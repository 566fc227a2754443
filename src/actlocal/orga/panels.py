"""The administration panel of the dashboard home."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _


def account_panel(request: HttpRequest) -> dict[str, Any] | None:
    user = request.user
    links = []
    if user.has_perm("accounts.view_audit_log"):
        links.append((_("Audit log"), reverse("orga:audit-log")))
    if user.has_perm("accounts.view_outbox"):
        links.append((_("Outbox"), reverse("orga:outbox")))
    if user.has_perm("accounts.invite_user"):
        links.append((_("Users and invitations"), reverse("orga:users")))
    if not links:
        return None
    return {"title": _("Administration"), "body": [], "links": links}
