"""Editing a player by hand (staff, or the partner's own admins)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actlocal.common import geo
from actlocal.common.audit import diff, log_action, snapshot
from actlocal.common.context import current_actor
from actlocal.network.models import Organization, Relationship


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


def add_relationship(
    *,
    source: Organization,
    target: Organization,
    kind: str,
    data_source: str = "",
    start_date: Any = None,
    end_date: Any = None,
    notes: str = "",
) -> Relationship:
    """Record a typed relationship (shown on both players' cards)."""
    from actlocal.network.services import NetworkError

    if source.pk == target.pk:
        raise NetworkError(_("A player cannot have a relationship with itself."))
    if start_date and end_date and end_date < start_date:
        raise NetworkError(_("The end date is before the start date."))
    with transaction.atomic():
        relationship, created = Relationship.objects.get_or_create(
            source=source,
            target=target,
            kind=kind,
            defaults={"data_source": data_source, "start_date": start_date,
                      "end_date": end_date, "notes": notes},
        )  # fmt: skip
        if not created:
            raise NetworkError(_("This relationship is already recorded."))
        log_action(
            "relationship.created",
            obj=source,
            data={"kind": kind, "target": target.identifier, "source": data_source},
        )
    return relationship
