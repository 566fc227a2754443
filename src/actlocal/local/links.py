"""Absolute links in local-action emails and pages, safe while the event page is being built."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from actlocal.events.services.links import absolute


def event_path(slug: str) -> str:
    try:
        return reverse("web:event", args=[slug])
    except NoReverseMatch:  # the public event page lives in the convenings capability
        return reverse("web:event-search") + f"#event-{slug}"


def event_link(slug: str) -> str:
    return absolute(event_path(slug))
