"""Absolute links put in emails (no request there: ACTLOCAL_BASE_URL)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.urls import reverse


def new_token() -> str:
    return secrets.token_urlsafe(24)


def absolute(path: str) -> str:
    return f"{settings.ACTLOCAL_BASE_URL.rstrip('/')}{path}"


def manage_url(token: str) -> str:
    return absolute(reverse("web:rsvp-manage", args=[token]))


def invitation_url(token: str) -> str:
    return absolute(reverse("web:invitation", args=[token]))


def event_url(slug: str) -> str:
    return absolute(reverse("web:event", args=[slug]))
