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
from typing import Any

from django.db import connections
from django.db.models import Q, QuerySet
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


def _box_filter(
    qs: QuerySet[Event], latitude: float, longitude: float, radius_miles: float
) -> QuerySet[Event]:
    min_lat, max_lat, min_lng, max_lng = geo.bounding_box(latitude, longitude, radius_miles)
    qs = qs.filter(
        is_virtual=False,
        latitude__gte=min_lat,
        latitude__lte=max_lat,
        latitude__isnull=False,
        longitude__isnull=False,
    )
    if min_lng >= -180 and max_lng <= 180:
        return qs.filter(longitude__gte=min_lng, longitude__lte=max_lng)
    # The box crosses the antimeridian (Alaska's islands): two ranges.
    west = min_lng + 360 if min_lng < -180 else min_lng
    east = max_lng - 360 if max_lng > 180 else max_lng
    return qs.filter(Q(longitude__gte=west) | Q(longitude__lte=east))


def _raw_rows(qs: QuerySet[Event], *fields: str) -> list[tuple[Any, ...]]:
    """Plain DB tuples, skipping Django's per-row converters (the hot path of the search)."""
    compiler = qs.order_by().values_list(*fields).query.get_compiler(using=qs.db)
    sql, params = compiler.as_sql()
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _exact_hits(
    rows: Iterable[tuple[Any, ...]], latitude: float, longitude: float, radius_miles: float
) -> list[tuple[float, Any, int]]:
    """(distance, starts_at, id) of rows within the radius; rows are (id, lat, lng, starts_at).

    The same arithmetic as ``geo.haversine_miles``, inlined: the result is bit-identical.
    """
    radians, sin, cos, asin, sqrt = math.radians, math.sin, math.cos, math.asin, math.sqrt
    p1 = radians(latitude)
    cos_p1 = cos(p1)
    diameter = 2 * geo.EARTH_RADIUS_MILES
    found: list[tuple[float, Any, int]] = []
    append = found.append
    for pk, lat, lng, starts_at in rows:
        p2 = radians(lat)
        a = sin((p2 - p1) / 2) ** 2 + cos_p1 * cos(p2) * sin(radians(lng - longitude) / 2) ** 2
        distance = diameter * asin(min(1.0, sqrt(a)))
        if distance <= radius_miles:
            append((distance, starts_at, pk))
    return found


def hits_near_point(
    *, latitude: float, longitude: float, radius_miles: float, queryset: QuerySet[Event]
) -> list[Hit]:
    """(event id, exact distance) of each event of ``queryset`` in the radius, nearest first.

    Ties in distance are ordered by start, then id.
    """
    rows = _raw_rows(
        _box_filter(queryset, latitude, longitude, radius_miles),
        "id",
        "latitude",
        "longitude",
        "starts_at",
    )
    found = _exact_hits(rows, latitude, longitude, radius_miles)
    found.sort()
    return [Hit(event_id=pk, distance=distance) for distance, _starts, pk in found]


# --- large result sets: exact count without a distance per row, nearest page first -------

# Above this many rows in the bounding box, count with bands and page by a growing radius.
BANDED_ABOVE = 2500
BANDS = 24
MARGIN_DEG = 1e-7  # far above float error, far below any real distance


def _half_width(lat0: float, lat: float, radius_miles: float) -> float | None:
    """Degrees of longitude either side of the centre at latitude ``lat`` on the circle."""
    p0, p = math.radians(lat0), math.radians(lat)
    denominator = math.cos(p0) * math.cos(p)
    if denominator <= 1e-12:
        return None
    value = (math.cos(radius_miles / geo.EARTH_RADIUS_MILES) - math.sin(p0) * math.sin(p)) / (
        denominator
    )
    if value > 1:
        return None
    return math.degrees(math.acos(max(-1.0, value)))


def _bands(
    latitude: float, longitude: float, radius_miles: float
) -> list[tuple[float, float, bool, float | None, float | None]] | None:
    """Latitude bands covering the box; each with the widest longitude span wholly inside.

    (low, high, last, west, east): ``west``/``east`` are None when no part of the band is
    surely inside. None overall near the poles or the antimeridian (the plain path is used).
    """
    min_lat, max_lat, min_lng, max_lng = geo.bounding_box(latitude, longitude, radius_miles)
    if min_lng < -180 or max_lng > 180 or max_lat >= 89 or min_lat <= -89:
        return None
    step = (max_lat - min_lat) / BANDS
    bands: list[tuple[float, float, bool, float | None, float | None]] = []
    for n in range(BANDS):
        last = n == BANDS - 1
        low, high = min_lat + n * step, (max_lat if last else min_lat + (n + 1) * step)
        widths = [
            _half_width(latitude, low, radius_miles),
            _half_width(latitude, high, radius_miles),
        ]
        # The half-width is unimodal in latitude: its minimum on a band is at an end.
        width = None if None in widths else min(w for w in widths if w is not None) - MARGIN_DEG
        if width is None or width <= 0:
            bands.append((low, high, last, None, None))
            continue
        west, east = longitude - width, longitude + width
        # Every point of the rectangle is no farther than its farthest corner: check them.
        corners = [(low, west), (low, east), (high, west), (high, east)]
        if all(
            geo.haversine_miles(latitude, longitude, la, lo) < radius_miles for la, lo in corners
        ):
            bands.append((low, high, last, west, east))
        else:
            bands.append((low, high, last, None, None))
    return bands


_SENTINELS = (9_000_001.5, 9_000_002.5, 9_000_003.5, 9_000_004.5)


def _template(qs: QuerySet[Any]) -> tuple[str, list[Any], list[int]]:
    """SQL of ``qs`` compiled once, with where each sentinel parameter sits."""
    sql, params = qs.query.get_compiler(using=qs.db).as_sql()
    positions = [list(params).index(value) for value in _SENTINELS if value in params]
    return sql, list(params), positions


def ring_rows(
    queryset: QuerySet[Event],
    box: tuple[float, float, float, float],
    bands: Sequence[tuple[float, float, bool, float | None, float | None]],
) -> list[tuple[Any, ...]]:
    """Rows of the box outside the inner rectangles: one UNION ALL of disjoint index ranges.

    Each part scans only its band's latitude range. The two part shapes are compiled by
    Django once; each band only swaps its four bounds into the parameters.
    """
    _min_lat, _max_lat, min_lng, max_lng = box
    s1, s2, s3, s4 = _SENTINELS
    base = (
        queryset.filter(
            is_virtual=False,
            longitude__gte=min_lng,
            longitude__lte=max_lng,
            latitude__isnull=False,
            longitude__isnull=False,
            latitude__gte=s1,
            latitude__lt=s2,
        )
        .order_by()
        .values_list("id", "latitude", "longitude", "starts_at")
    )
    whole = _template(base)
    sides = _template(base.filter(Q(longitude__lt=s3) | Q(longitude__gt=s4)))
    statements: list[str] = []
    params: list[Any] = []
    for low, high, last, west, east in bands:
        top = math.nextafter(high, math.inf) if last else high
        if west is None or east is None:
            sql, values, positions = whole
            bounds = [low, top]
        else:
            sql, values, positions = sides
            bounds = [low, top, west, east]
        values = list(values)
        for position, bound in zip(positions, bounds, strict=True):
            values[position] = bound
        statements.append(sql)
        params.extend(values)
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(" UNION ALL ".join(statements), params)
        return list(cursor.fetchall())


@dataclass
class NearbySearch:
    """An exact near-me search that counts without loading every row and pages nearest-first."""

    latitude: float
    longitude: float
    radius_miles: float
    queryset: QuerySet[Event]

    def __post_init__(self) -> None:
        self._count: int | None = None
        self._all: list[Hit] | None = None

    def _box(self, radius: float) -> QuerySet[Event]:
        return _box_filter(self.queryset, self.latitude, self.longitude, radius)

    def all_hits(self) -> list[Hit]:
        if self._all is None:
            self._all = hits_near_point(
                latitude=self.latitude,
                longitude=self.longitude,
                radius_miles=self.radius_miles,
                queryset=self.queryset,
            )
            self._count = len(self._all)
        return self._all

    def count(self) -> int:
        """Exact: rows surely inside are only counted; the ring around them is measured."""
        if self._count is not None:
            return self._count
        box = self._box(self.radius_miles)
        bands = _bands(self.latitude, self.longitude, self.radius_miles)
        in_box = box.order_by().count()
        if bands is None or in_box <= BANDED_ABOVE:
            return len(self.all_hits())
        ring = ring_rows(
            self.queryset,
            geo.bounding_box(self.latitude, self.longitude, self.radius_miles),
            bands,
        )
        ring_hits = _exact_hits(ring, self.latitude, self.longitude, self.radius_miles)
        self._count = in_box - len(ring) + len(ring_hits)
        return self._count

    def window(self, offset: int, limit: int) -> list[Hit]:
        """Hits ``offset`` to ``offset + limit`` of the sorted list, found in a growing radius.

        Exact: every event within the smaller radius is in the full list, every other one is
        farther, so the smaller circle's first hits are the full list's first hits.
        """
        if self._all is not None:
            return self._all[offset : offset + limit]
        need = offset + limit
        total = self.count()
        if self._all is not None or total <= need:
            return self.all_hits()[offset : offset + limit]
        radius = max(0.25, self.radius_miles * math.sqrt(need / total) * 1.5)
        while radius < self.radius_miles:
            hits = hits_near_point(
                latitude=self.latitude,
                longitude=self.longitude,
                radius_miles=radius,
                queryset=self.queryset,
            )
            if len(hits) >= need:
                return hits[offset:need]
            radius *= 2
        return self.all_hits()[offset : offset + limit]

    def __getitem__(self, key: slice) -> list[Hit]:
        start = key.start or 0
        stop = key.stop if key.stop is not None else self.count()
        return self.window(start, max(0, stop - start))

    def __len__(self) -> int:
        return self.count()


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


def events_near_page(
    *,
    zip_code: str,
    radius_miles: float,
    offset: int = 0,
    limit: int = 25,
    queryset: QuerySet[Event] | None = None,
    campaign: Campaign | None = None,
    event_types: Iterable[str] | None = None,
    starts_after: dt.datetime | None = None,
    starts_before: dt.datetime | None = None,
    accessible_only: bool = False,
    upcoming: bool = True,
) -> tuple[int, list[tuple[Event, float]]]:
    """(exact total, one page of (event, distance)) of the same search as ``events_near``.

    For pages and feeds: it never loads more than the page, even when the radius
    holds tens of thousands of events.
    """
    radius = validate_radius(radius_miles)
    place = resolve_zip(zip_code)
    search = NearbySearch(
        latitude=place.latitude,
        longitude=place.longitude,
        radius_miles=radius,
        queryset=filtered_events(
            queryset=queryset,
            campaign=campaign,
            event_types=event_types,
            starts_after=starts_after,
            starts_before=starts_before,
            accessible_only=accessible_only,
            upcoming=upcoming,
        ),
    )
    return search.count(), load_events(search.window(max(0, offset), max(0, limit)))
