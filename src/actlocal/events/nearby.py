"""Near-me search: public, published events within a radius of a ZIP centroid.

Exact by construction: a bounding box on latitude/longitude narrows the rows in
SQL (index on status, visibility, latitude, longitude), then the great-circle
distance (haversine, earth radius 3958.8 miles) decides in Python. Virtual
events have no place and are never in a ZIP search; invite-only events never
appear at all.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import cast

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from actlocal.common import geo
from actlocal.events.models import Campaign, Event


class NearbySearchError(ValueError):
    """The search cannot run; ``message`` names the problem for the user."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Hit:
    event_id: int
    distance: float


def public_listed_events() -> QuerySet[Event]:
    """Every event anyone may find: public and published (never invite-only, never pending)."""
    return Event.objects.filter(status=Event.Status.PUBLISHED, visibility=Event.Visibility.PUBLIC)


def validate_radius(radius_miles: float) -> float:
    try:
        radius = float(radius_miles)
    except (TypeError, ValueError):
        raise NearbySearchError(
            _("The radius must be a number of miles."), field="radius"
        ) from None
    if not math.isfinite(radius) or not geo.MIN_RADIUS_MILES <= radius <= geo.MAX_RADIUS_MILES:
        raise NearbySearchError(
            _("The radius must be between %(low)s and %(high)s miles.")
            % {"low": geo.MIN_RADIUS_MILES, "high": geo.MAX_RADIUS_MILES},
            field="radius",
        )
    return radius


def resolve_zip(zip_code: str) -> geo.Place:
    place = geo.zip_place(zip_code)
    if place is None:
        raise NearbySearchError(
            _("“%(zip)s” is not a US ZIP code we know. Enter five digits, e.g. 20009.")
            % {"zip": (zip_code or "").strip()[:20]},
            field="zip",
        )
    return place


def filtered_events(
    *,
    queryset: QuerySet[Event] | None = None,
    campaign: Campaign | None = None,
    event_types: Iterable[str] | None = None,
    starts_after: dt.datetime | None = None,
    starts_before: dt.datetime | None = None,
    accessible_only: bool = False,
    upcoming: bool = True,
) -> QuerySet[Event]:
    """The public events matching the filters (no place restriction)."""
    qs = public_listed_events()
    if queryset is not None:
        qs = qs & queryset
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    types = [t for t in (event_types or []) if t]
    if types:
        qs = qs.filter(event_type__in=types)
    if starts_after is not None:
        qs = qs.filter(starts_at__gte=starts_after)
    if starts_before is not None:
        qs = qs.filter(starts_at__lt=starts_before)
    if accessible_only:
        qs = qs.filter(accessibility_status=Event.Accessibility.ACCESSIBLE)
    if upcoming:
        qs = qs.filter(ends_at__gte=timezone.now())
    return qs


def hits_near_point(
    *, latitude: float, longitude: float, radius_miles: float, queryset: QuerySet[Event]
) -> list[Hit]:
    """(event id, exact distance) of each event of ``queryset`` in the radius, nearest first."""
    min_lat, max_lat, min_lng, max_lng = geo.bounding_box(latitude, longitude, radius_miles)
    qs = queryset.filter(
        is_virtual=False,
        latitude__gte=min_lat,
        latitude__lte=max_lat,
        latitude__isnull=False,
        longitude__isnull=False,
    )
    if min_lng >= -180 and max_lng <= 180:
        qs = qs.filter(longitude__gte=min_lng, longitude__lte=max_lng)
    else:  # the box crosses the antimeridian (Alaska's islands): two ranges
        from django.db.models import Q

        west = min_lng + 360 if min_lng < -180 else min_lng
        east = max_lng - 360 if max_lng > 180 else max_lng
        qs = qs.filter(Q(longitude__gte=west) | Q(longitude__lte=east))
    rows = qs.order_by().values_list("id", "latitude", "longitude", "starts_at")

    # Inlined haversine (same formula and constants as geo.haversine_miles) for speed.
    radians, sin, cos, asin, sqrt = math.radians, math.sin, math.cos, math.asin, math.sqrt
    p1 = radians(latitude)
    cos_p1 = cos(p1)
    lng1 = radians(longitude)
    diameter = 2 * geo.EARTH_RADIUS_MILES
    found: list[tuple[float, dt.datetime, int]] = []
    append = found.append
    for pk, lat, lng, starts_at in cast(list[tuple[int, float, float, dt.datetime]], list(rows)):
        p2 = radians(lat)
        a = sin((p2 - p1) / 2) ** 2 + cos_p1 * cos(p2) * sin((radians(lng) - lng1) / 2) ** 2
        distance = diameter * asin(min(1.0, sqrt(a)))
        if distance <= radius_miles:
            append((distance, starts_at, pk))
    found.sort()
    return [Hit(event_id=pk, distance=distance) for distance, _starts, pk in found]


def load_events(hits: Sequence[Hit]) -> list[tuple[Event, float]]:
    """The events of ``hits`` (in that order) with their distance."""
    by_id = Event.objects.select_related("campaign").in_bulk([h.event_id for h in hits])
    return [(by_id[h.event_id], h.distance) for h in hits if h.event_id in by_id]


def events_near(
    *,
    zip_code: str,
    radius_miles: float,
    queryset: QuerySet[Event] | None = None,
    campaign: Campaign | None = None,
    event_types: Iterable[str] | None = None,
    starts_after: dt.datetime | None = None,
    starts_before: dt.datetime | None = None,
    accessible_only: bool = False,
    upcoming: bool = True,
    limit: int | None = None,
) -> list[tuple[Event, float]]:
    """Public published events within ``radius_miles`` of the ZIP's centroid.

    Sorted by distance, then start. ``queryset`` narrows further (e.g. the API's
    own filters); it can never widen past public published events. ``limit``
    keeps only the nearest ones. Raises ``NearbySearchError`` for an unknown
    ZIP or a radius outside 1-500 miles.
    """
    radius = validate_radius(radius_miles)
    place = resolve_zip(zip_code)
    qs = filtered_events(
        queryset=queryset,
        campaign=campaign,
        event_types=event_types,
        starts_after=starts_after,
        starts_before=starts_before,
        accessible_only=accessible_only,
        upcoming=upcoming,
    )
    hits = hits_near_point(
        latitude=place.latitude, longitude=place.longitude, radius_miles=radius, queryset=qs
    )
    if limit is not None:
        hits = hits[:limit]
    return load_events(hits)


def nearest_zip(*, latitude: float, longitude: float) -> geo.Place | None:
    """The ZIP whose centroid is closest to a point (for "use my location")."""
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    best: geo.Place | None = None
    best_distance = math.inf
    for place in geo._zip_table().values():
        distance = geo.haversine_miles(latitude, longitude, place.latitude, place.longitude)
        if distance < best_distance:
            best, best_distance = place, distance
    return best
