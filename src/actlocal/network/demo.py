"""Demo network players (extended by the network map capability)."""

from __future__ import annotations

from typing import Any

from actlocal.accounts.demo import PARTNER_EMAIL, demo_user
from actlocal.network.models import Organization, OrganizationAdmin


def load(stdout: Any) -> None:
    anchor, _ = Organization.objects.get_or_create(
        slug="neighbors-rising",
        defaults={
            "name": "Neighbors Rising",
            "kind": Organization.Kind.ANCHOR,
            "city": "Washington",
            "state": "DC",
            "zip_code": "20009",
            "latitude": 38.9193,
            "longitude": -77.0374,
            "listed_publicly": True,
        },
    )
    OrganizationAdmin.objects.get_or_create(organization=anchor, user=demo_user(PARTNER_EMAIL))
    if stdout:
        stdout.write("demo: network skeleton ready")
