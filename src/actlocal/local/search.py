"""One near-me search as the pages run it: parse, find, page, describe points for the map."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, cast

from django.core.paginator import Page, Paginator
from django.utils import timezone

from actlocal.common import geo
from actlocal.events.models import Event
from actlocal.events.nearby import NearbySearch, filtered_events, load_events
from actlocal.local.links import event_path

PER_PAGE = 25


@dataclass
class SearchResult:
    place: geo.Place | None = None
    radius: float = 25
    page: Page[Any] | None = None
    rows: list[tuple[Event, float | None]] = field(default_factory=list)
    total: int = 0
    searched: bool = False


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def run_search(data: dict[str, Any], *, page_number: str | None) -> SearchResult:
    """``data`` is a valid SearchForm's cleaned_data."""
    radius = data.get("radius") or 25
    result = SearchResult(radius=radius)
    filters: dict[str, Any] = {
        "campaign": data.get("campaign"),
        "event_types": [data["type"]] if data.get("type") else None,
        "starts_after": _day_start(data["date_from"]) if data.get("date_from") else None,
        "starts_before": (
            _day_start(data["date_to"] + dt.timedelta(days=1)) if data.get("date_to") else None
        ),
        "accessible_only": bool(data.get("accessible")),
    }
    qs = filtered_events(**filters)
    if data.get("virtual"):
        result.searched = True
        virtual = qs.filter(is_virtual=True).select_related("campaign").order_by("starts_at", "id")
        events_page: Page[Any] = Paginator(virtual, PER_PAGE).get_page(page_number)
        result.page, result.total = events_page, events_page.paginator.count
        result.rows = [(event, None) for event in events_page.object_list]
        return result
    if not data.get("zip"):
        return result
    place = geo.zip_place(data["zip"])
    assert place is not None  # the form checked it
    result.place, result.searched = place, True
    hits = NearbySearch(
        latitude=place.latitude, longitude=place.longitude, radius_miles=radius, queryset=qs
    )
    page: Page[Any] = Paginator(cast(Any, hits), PER_PAGE).get_page(page_number)
    result.page, result.total = page, page.paginator.count
    result.rows = [(event, distance) for event, distance in load_events(list(page.object_list))]
    return result


def map_points(rows: list[tuple[Event, float | None]]) -> list[dict[str, Any]]:
    """Markers for the map: public points only (a private address is its ZIP centroid)."""
    points = []
    for event, distance in rows:
        if event.latitude is None or event.longitude is None or event.is_virtual:
            continue
        points.append(
            {
                "id": event.slug,
                "title": event.title,
                "lat": round(event.latitude, 5),
                "lng": round(event.longitude, 5),
                "url": event_path(event.slug),
                "distance": None if distance is None else round(distance, 1),
            }
        )
    return points
