"""Demo campaigns and events (extended by the convenings capability)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from actlocal.accounts.demo import HOST_EMAIL, demo_user
from actlocal.events.models import Campaign, Event, EventHost


def load(stdout: Any) -> None:
    campaign, _ = Campaign.objects.get_or_create(
        slug="actlocal-november",
        defaults={
            "name": "ActLocal November",
            "kind": Campaign.Kind.CONVENING,
            "summary": "A day of workshops, trainings and networking in cities across the country.",
            "starts_on": dt.date(2026, 11, 21),
            "ends_on": dt.date(2026, 11, 21),
        },
    )
    tz = ZoneInfo("America/New_York")
    event, _ = Event.objects.get_or_create(
        slug="actlocal-november-washington-dc",
        defaults={
            "campaign": campaign,
            "title": "ActLocal November: Washington, DC",
            "event_type": Event.Type.CONVENING,
            "visibility": Event.Visibility.INVITE_ONLY,
            "status": Event.Status.PUBLISHED,
            "venue": "Shaw Community Hall",
            "city": "Washington",
            "state": "DC",
            "zip_code": "20001",
            "latitude": 38.9121,
            "longitude": -77.0179,
            "starts_at": dt.datetime(2026, 12, 12, 9, 0, tzinfo=tz),
            "ends_at": dt.datetime(2026, 12, 12, 17, 0, tzinfo=tz),
            "timezone": "America/New_York",
            "capacity": 120,
        },
    )
    EventHost.objects.get_or_create(
        event=event, user=demo_user(HOST_EMAIL), defaults={"role": EventHost.Role.LEAD}
    )
    if stdout:
        stdout.write("demo: campaign skeleton ready")
