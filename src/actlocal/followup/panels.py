"""The follow-up panel of the dashboard home: surveys and how many answered."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from actlocal.followup import selectors


def dashboard_panel(request: HttpRequest) -> dict[str, Any] | None:
    user = request.user
    if not user.is_authenticated:
        return None
    surveys = list(selectors.surveys_for(user=user)[:5])
    if not surveys and not user.is_staff:
        return None
    return {
        "title": _("Follow-up surveys"),
        "body": [
            (s.title, f"{getattr(s, 'response_count', 0)} / {getattr(s, 'recipient_count', 0)}")
            for s in surveys
        ],
        "links": [(_("All surveys"), reverse("orga:surveys"))],
    }
