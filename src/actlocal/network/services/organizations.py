"""Editing a player by hand (staff, or the partner's own admins)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from actlocal.common import geo
from actlocal.common.audit import diff, log_action, snapshot
from actlocal.common.context import current_actor
from actlocal.network.models import Organization


def update_organization(*, organization: Organization, data: dict[str, Any]) -> Organization:
    """Apply edited fields; provenance records the editor; the location follows the ZIP."""
    with transaction.atomic():
        before = snapshot(organization)
        issue_areas = data.pop("issue_areas", None)
        for name, value in data.items():
            setattr(organization, name, value)
        point = geo.locate(
            zip_code=organization.zip_code, city=organization.city, state=organization.state
        )
        if point is not None:
            organization.latitude, organization.longitude = point
            organization.location_flag = (
                "" if geo.zip_place(organization.zip_code) else "city_centroid"
            )
        changes = diff(before, snapshot(organization))
        actor = current_actor()
        stamp = {
            "source": getattr(actor.user, "email", "") or actor.via,
            "run": "",
            "at": timezone.now().isoformat(),
        }
        for name in changes:
            if name != "provenance":
                organization.provenance[name] = stamp
        organization.save()
        if issue_areas is not None:
            organization.issue_areas.set(issue_areas)
        log_action("organization.updated", obj=organization, changes=changes)
    return organization
