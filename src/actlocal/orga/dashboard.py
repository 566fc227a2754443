"""Panels on the dashboard home. Each capability provides one in its own
``panels.py``; a missing module is skipped."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.module_loading import import_string

# Each provider is ``f(request) -> dict | None`` with keys title, body (list of
# (label, value)), links (list of (label, url)). None hides the panel.
PANEL_PROVIDERS = [
    "actlocal.orga.panels.account_panel",
    "actlocal.events.panels.dashboard_panel",
    "actlocal.followup.panels.dashboard_panel",
    "actlocal.network.panels.dashboard_panel",
    "actlocal.local.panels.dashboard_panel",
    "actlocal.api.panels.dashboard_panel",
]


def dashboard_panels(request: HttpRequest) -> list[dict[str, Any]]:
    panels = []
    for dotted in PANEL_PROVIDERS:
        try:
            provider = import_string(dotted)
        except ImportError:
            continue
        panel = provider(request)
        if panel:
            panels.append(panel)
    return panels
