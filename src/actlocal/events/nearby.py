"""Near-me search: public, published events within a radius of a ZIP centroid.

Exact by construction: SQL narrows the rows through the latitude-cell index
(``local_event_near_idx``: cell of 1/20 degree, then longitude), then the great-circle
distance (haversine, earth radius 3958.8 miles) decides in Python. Counts add rows
proven inside the circle (counted in SQL) to the ring measured in Python; pages load
the rows between two circles around the page's distances. Virtual events have no place
and are never in a ZIP search; invite-only events never appear at all. See
docs/local-action.md ("How the search counts and pages").
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import FloatField, Q, QuerySet
from django.db.models.expressions import RawSQL
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
    rows: Iterable[tuple[Any, ...]],
    latitude: float,
    longitude: float,
    radius_miles: float,
    *,
    above: float | None = None,
) -> list[tuple[float, Any, int]]:
    """(distance, starts_at, id) of rows within the radius (and farther than ``above``, if
    given); rows are (id, lat, lng, starts_at).

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
        if distance <= radius_miles and (above is None or distance > above):
            append((distance, starts_at, pk))
    return found


def hits_near_point(
    *, latitude: float, longitude: float, radius_miles: float, queryset: QuerySet[Event]
) -> list[Hit]:
    """(event id, exact distance) of each event of ``queryset`` in the radius, nearest first.

    Ties in distance are ordered by start, then id.
    """
    search = NearbySearch(
        latitude=latitude, longitude=longitude, radius_miles=radius_miles, queryset=queryset
    )
    return search.all_hits()


def _plain_hits(
    queryset: QuerySet[Event], latitude: float, longitude: float, radius_miles: float
) -> list[tuple[float, Any, int]]:
    """The bounding-box path (near the poles and the antimeridian): every row of the box."""
    rows = _raw_rows(
        _box_filter(queryset, latitude, longitude, radius_miles),
        "id",
        "latitude",
        "longitude",
        "starts_at",
    )
    found = _exact_hits(rows, latitude, longitude, radius_miles)
    found.sort()
    return found


# --- the cell index: exact counts and pages whose cost follows the results ---------------
#
# ``local_event_near_idx`` (local/migrations/0004) orders the public published events by
# latitude cell (CELLS_PER_DEGREE cells per degree), then longitude. One part of a query
# is one cell and one longitude range: an index range holding only the rows of that
# strip, wherever the rest of the country's events are. A circle is covered cell by cell
# by an outer range (every point of the circle in that cell lies in it) and, where one
# exists, an inner range (every point of it is provably inside the circle): inner rows
# are counted in SQL, the rest is measured in Python.

CELLS_PER_DEGREE = 20  # keep in step with the index expression of local/migrations/0004
MARGIN_DEG = 1e-7  # inner ranges shrink by this: far above float error, far below a metre
OUTER_MARGIN_DEG = 1e-5  # outer ranges grow by this (about a metre)
CELL_SLACK_DEG = 1e-9  # latitudes of a cell's rows, widened past float rounding
ALL_HITS_UP_TO = 1000  # at or below this many results, sort them all once and slice
FEW_CELLS = 6  # a circle over at most this many cells (radius under ~10 miles) ...
RING_STRIPS = 4  # ... has its ring cut into this many latitude strips per cell


def cell_expression(vendor: str, column: str = "latitude") -> str:
    """The indexed SQL expression (the index is only used when the query repeats it)."""
    if vendor == "postgresql":
        return f"floor({column} * {CELLS_PER_DEGREE})"
    return f"CAST({column} * {CELLS_PER_DEGREE} AS INTEGER)"


def _cell_of(vendor: str, latitude: float) -> int:
    """The cell the database computes for a latitude (floor on PostgreSQL, SQLite truncates)."""
    value = latitude * CELLS_PER_DEGREE
    return math.floor(value) if vendor == "postgresql" else int(value)


def _cell_span(vendor: str, cell: int) -> tuple[float, float]:
    """Every latitude the database puts in ``cell`` lies within this interval."""
    if vendor == "postgresql" or cell > 0:
        low, high = cell, cell + 1
    elif cell == 0:
        low, high = -1, 1
    else:
        low, high = cell - 1, cell
    return low / CELLS_PER_DEGREE - CELL_SLACK_DEG, high / CELLS_PER_DEGREE + CELL_SLACK_DEG


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


@dataclass(frozen=True)
class Part:
    """One cell of a circle: rows with latitude in [low, high] and longitude in [west, east]
    may be inside; those in [inner_west, inner_east] surely are (None: none surely are)."""

    cell: int
    low: float
    high: float
    west: float
    east: float
    inner_west: float | None
    inner_east: float | None


def _strip(
    latitude: float, longitude: float, radius_miles: float, low: float, high: float
) -> tuple[float, float | None]:
    """For the points of the circle with latitude in [low, high]: a half-width (degrees of
    longitude) that holds them all, and one whose rectangle is surely inside (None if
    none is)."""
    _min_lat, _max_lat, _min_lng, max_lng = geo.bounding_box(latitude, longitude, radius_miles)
    box_width = max_lng - longitude
    angle = radius_miles / geo.EARTH_RADIUS_MILES
    # The circle is widest (in longitude) at this latitude; the half-width is unimodal in
    # latitude, so on a strip it is largest there if the strip holds it, else at an end,
    # and smallest at an end.
    widest = math.degrees(
        math.asin(max(-1.0, min(1.0, math.sin(math.radians(latitude)) / math.cos(angle))))
    )
    ends = [_half_width(latitude, low, radius_miles), _half_width(latitude, high, radius_miles)]
    if low <= widest <= high:
        outer = box_width
    else:
        outer = min(box_width, max(w or 0.0 for w in ends) + OUTER_MARGIN_DEG)
    if None in ends:
        return outer, None
    width = min(w for w in ends if w is not None) - MARGIN_DEG
    if width <= 0:
        return outer, None
    west, east = longitude - width, longitude + width
    # Every point of the rectangle is no farther than its farthest corner.
    corners = [(low, west), (low, east), (high, west), (high, east)]
    if all(geo.haversine_miles(latitude, longitude, la, lo) < radius_miles for la, lo in corners):
        return outer, width
    return outer, None


def circle_parts(
    vendor: str, latitude: float, longitude: float, radius_miles: float
) -> list[Part] | None:
    """The cells covering a circle; None near the poles or the antimeridian (box path)."""
    min_lat, max_lat, min_lng, max_lng = geo.bounding_box(latitude, longitude, radius_miles)
    if min_lng < -180 or max_lng > 180 or max_lat >= 89 or min_lat <= -89:
        return None
    parts: list[Part] = []
    first, last = _cell_of(vendor, min_lat), _cell_of(vendor, max_lat)
    for cell in range(min(first, last), max(first, last) + 1):
        span_low, span_high = _cell_span(vendor, cell)
        low, high = max(min_lat, span_low), min(max_lat, span_high)
        if low > high:
            continue
        outer, inner = _strip(latitude, longitude, radius_miles, low, high)
        parts.append(
            Part(
                cell,
                low,
                high,
                longitude - outer,
                longitude + outer,
                None if inner is None else longitude - inner,
                None if inner is None else longitude + inner,
            )
        )
    return parts


def _sub_strips(part: Part, count: int) -> list[Part]:
    """``part`` cut into ``count`` latitude strips: disjoint, together the whole part."""
    step = (part.high - part.low) / count
    starts = [part.low + n * step for n in range(count)]
    strips = []
    for n, low in enumerate(starts):
        high = part.high if n == count - 1 else math.nextafter(starts[n + 1], -math.inf)
        if low <= high:
            strips.append(dataclasses.replace(part, low=low, high=high))
    return strips


class _Ranges:
    """One query over many (cell, latitude range, longitude range) index ranges.

    The ranges are a ``near_band`` table of VALUES, joined to the events: the database
    plans one indexed lookup (Django compiles the event filters once) and runs it per
    range, instead of planning a UNION of dozens of statements.
    """

    def __init__(self, queryset: QuerySet[Event], *fields: str, name: str = "near_band") -> None:
        connection = connections[queryset.db]
        self.name = name
        quote = connection.ops.quote_name
        self.table = quote(Event._meta.db_table)
        column = f"{self.table}.{quote('latitude')}"

        def band(name: str) -> RawSQL:
            # Constant SQL naming a column of the VALUES list: nothing user-typed.
            return RawSQL(f"{self.name}.{name}", (), output_field=FloatField())  # noqa: S611

        # The start only orders ties: read it as a number (PostgreSQL) or the stored text
        # (SQLite), both in the order of the timestamps; parsing timestamps per row would
        # cost more than the rest of the query.
        start = f"{self.table}.{quote('starts_at')}"
        shaped = (
            queryset.alias(
                near_cell=RawSQL(  # noqa: S611 -- the index expression, a constant
                    cell_expression(connection.vendor, column), (), output_field=FloatField()
                )
            )
            .annotate(
                near_start=RawSQL(  # noqa: S611 -- a constant column expression
                    f"date_part('epoch', {start})"
                    if connection.vendor == "postgresql"
                    else f"CAST({start} AS TEXT)",
                    (),
                )
            )
            .filter(
                near_cell=band("cell"),
                latitude__gte=band("low"),
                latitude__lte=band("high"),
                longitude__gte=band("west"),
                longitude__lte=band("east"),
                is_virtual=False,
            )
            .order_by()
            .values_list(*["near_start" if name == "starts_at" else name for name in fields])
        )
        self.sql, params = shaped.query.get_compiler(using=queryset.db).as_sql()
        self.params = list(params)
        self.db = queryset.db
        self.bands: list[tuple[float, float, float, float, float]] = []

    def fresh(self) -> _Ranges:
        """The same compiled query with no ranges yet."""
        copy = object.__new__(_Ranges)
        copy.__dict__.update(self.__dict__)
        copy.bands = []
        return copy

    def add(self, part: Part, west: float, east: float) -> None:
        if west <= east:
            self.bands.append((float(part.cell), part.low, part.high, west, east))

    def cte(self) -> tuple[str, list[Any]]:
        """``name (cell, low, high, west, east) AS (VALUES ...)`` and its parameters.

        The bounds are written into the SQL as numbers: they are floats computed here
        (``repr`` round-trips exactly), and hundreds of parameters cost the driver more
        than the query (psycopg splits and binds each one).
        """

        def number(value: float) -> str:
            value = float(value)
            if not math.isfinite(value):
                raise ValueError(value)
            return repr(value)

        rows = [f"({', '.join(number(value) for value in band)})" for band in self.bands]
        # The first row types the columns on PostgreSQL.
        rows[0] = (
            "("
            + ", ".join(f"CAST({number(value)} AS DOUBLE PRECISION)" for value in self.bands[0])
            + ")"
        )
        return f"{self.name} (cell, low, high, west, east) AS (VALUES {', '.join(rows)})", []

    def body(self) -> tuple[str, list[Any]]:
        marker = f"FROM {self.table}"
        assert marker in self.sql
        # The ranges drive the join (SQLite keeps the CROSS JOIN order as written).
        return self.sql.replace(marker, f"FROM {self.name} CROSS JOIN {self.table}", 1), list(
            self.params
        )

    def _statement(self, before: str = "", after: str = "") -> tuple[str, list[Any]]:
        cte, values = self.cte()
        body, params = self.body()
        return f"WITH {cte} {before}{body}{after}", values + params

    def rows(self) -> list[tuple[Any, ...]]:
        if not self.bands:
            return []
        sql, params = self._statement()
        with connections[self.db].cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall())

    def count(self) -> int:
        if not self.bands:
            return 0
        sql, params = self._statement("SELECT COUNT(*) FROM (", ") near_inner")
        with connections[self.db].cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
            return int(row[0])


def _count_and_rows(inner: _Ranges, ring: _Ranges) -> tuple[int, list[tuple[Any, ...]]]:
    """The number of rows of ``inner`` and the rows of ``ring``, in one round trip.

    The count comes back as one more row, with no latitude (every ring row has one).
    """
    if not inner.bands or not ring.bands:
        return inner.count(), ring.rows()
    ring_cte, ring_values = ring.cte()
    inner_cte, inner_values = inner.cte()
    ring_body, ring_params = ring.body()
    inner_body, inner_params = inner.body()
    # Django-compiled SQL and constant text; every value is a parameter.
    sql = (
        f"WITH {ring_cte}, {inner_cte} {ring_body} UNION ALL "  # noqa: S608
        f"SELECT COUNT(*), NULL, NULL, NULL FROM ({inner_body}) near_counted"
    )
    with connections[ring.db].cursor() as cursor:
        cursor.execute(sql, ring_values + inner_values + ring_params + inner_params)
        rows = list(cursor.fetchall())
    counted = [row for row in rows if row[1] is None]
    assert len(counted) == 1
    return int(counted[0][0]), [row for row in rows if row[1] is not None]


def _below(value: float) -> float:
    return math.nextafter(value, -math.inf)


def _above(value: float) -> float:
    return math.nextafter(value, math.inf)


@dataclass
class NearbySearch:
    """An exact near-me search: counts without loading every row, pages nearest-first.

    The count is inner rows counted in SQL plus the rest measured in Python; a page is the
    ring of distances between two smaller circles, so its cost follows the page, not the
    radius.
    """

    latitude: float
    longitude: float
    radius_miles: float
    queryset: QuerySet[Event]

    def __post_init__(self) -> None:
        self._counts: dict[float, int] = {}
        self._parts: dict[float, list[Part] | None] = {}
        self._all: list[tuple[float, Any, int]] | None = None
        self._compiled: dict[tuple[str, ...], _Ranges] = {}

    def _ranges(self, *fields: str, name: str = "near_band") -> _Ranges:
        key = (name, *fields)
        if key not in self._compiled:
            self._compiled[key] = _Ranges(self.queryset, *fields, name=name)
        return self._compiled[key].fresh()

    @property
    def _vendor(self) -> str:
        return connections[self.queryset.db].vendor

    def parts(self, radius: float) -> list[Part] | None:
        if radius not in self._parts:
            self._parts[radius] = circle_parts(self._vendor, self.latitude, self.longitude, radius)
        return self._parts[radius]

    def _hits(self, outer: float, inner: float | None = None) -> list[tuple[float, Any, int]]:
        """Sorted (distance, start, id) with ``inner < distance <= outer`` (no lower bound
        when ``inner`` is None)."""
        parts = self.parts(outer)
        if parts is None:
            found = _plain_hits(self.queryset, self.latitude, self.longitude, outer)
            return [hit for hit in found if inner is None or hit[0] > inner]
        skip: dict[int, Part] = {}
        if inner is not None:
            for part in self.parts(inner) or []:
                if part.inner_west is not None:
                    skip[part.cell] = part
        query = self._ranges("id", "latitude", "longitude", "starts_at")
        for part in parts:
            hole = skip.get(part.cell)
            if (
                hole is not None
                and hole.inner_west is not None
                and hole.inner_east is not None
                and hole.low <= part.low
                and hole.high >= part.high
            ):
                # The rows of this cell inside the inner circle's surely-inside range are
                # nearer than ``inner``: leave them out of the query.
                query.add(part, part.west, _below(hole.inner_west))
                query.add(part, _above(hole.inner_east), part.east)
            else:
                query.add(part, part.west, part.east)
        found = _exact_hits(query.rows(), self.latitude, self.longitude, outer, above=inner)
        found.sort()
        return found

    def count_within(self, radius: float) -> int:
        """Exact number of hits within ``radius`` (up to the search's radius)."""
        if radius in self._counts:
            return self._counts[radius]
        parts = self.parts(radius)
        if parts is None:
            total = len(_plain_hits(self.queryset, self.latitude, self.longitude, radius))
        else:
            inner = self._ranges("id", name="near_inner")
            ring = self._ranges("id", "latitude", "longitude", "starts_at")
            strips = RING_STRIPS if len(parts) <= FEW_CELLS else 1
            for part in parts:
                self._count_part(part, radius, inner, ring, strips)
            inside, rows = _count_and_rows(inner, ring)
            total = inside + len(_exact_hits(rows, self.latitude, self.longitude, radius))
        self._counts[radius] = total
        return total

    def _count_part(
        self, part: Part, radius: float, inner: _Ranges, ring: _Ranges, strips: int
    ) -> None:
        """Queue a cell's ranges: counted in SQL where surely inside, else measured.

        A small circle spans few cells and its edge crosses each of them: there the ring
        is cut into latitude strips, each with its own surely-inside range, so that fewer
        rows reach Python (in dense city centres, thousands fewer).
        """
        iw, ie = part.inner_west, part.inner_east
        if iw is not None and ie is not None:
            inner.add(part, iw, ie)
        if strips == 1:
            if iw is None or ie is None:
                ring.add(part, part.west, part.east)
            else:
                ring.add(part, part.west, _below(iw))
                ring.add(part, _above(ie), part.east)
            return
        for strip in _sub_strips(part, strips):
            outer, width = _strip(self.latitude, self.longitude, radius, strip.low, strip.high)
            west = max(part.west, self.longitude - outer)
            east = min(part.east, self.longitude + outer)
            if width is None:
                if iw is None or ie is None:
                    ring.add(strip, west, east)
                else:
                    ring.add(strip, west, _below(iw))
                    ring.add(strip, _above(ie), east)
                continue
            # The strip's surely-inside range holds the cell's (counted above already).
            sw, se = self.longitude - width, self.longitude + width
            if iw is not None and ie is not None:
                sw, se = min(sw, iw), max(se, ie)
                inner.add(strip, sw, _below(iw))
                inner.add(strip, _above(ie), se)
            else:
                inner.add(strip, sw, se)
            ring.add(strip, west, _below(sw))
            ring.add(strip, _above(se), east)

    def count(self) -> int:
        if self._all is not None:
            return len(self._all)
        return self.count_within(self.radius_miles)

    def all_hits(self) -> list[Hit]:
        return [Hit(event_id=pk, distance=d) for d, _starts, pk in self._all_sorted()]

    def _all_sorted(self) -> list[tuple[float, Any, int]]:
        if self._all is None:
            self._all = self._hits(self.radius_miles)
            self._counts[self.radius_miles] = len(self._all)
        return self._all

    def window(self, offset: int, limit: int) -> list[Hit]:
        """Hits ``offset`` to ``offset + limit`` of the sorted list.

        Exact: with ``n`` hits within an inner radius (at most ``offset``) and the hits
        between it and an outer radius, sorted, the window is positions ``offset - n``
        onwards of those: every hit nearer than the inner radius sorts before them, every
        hit beyond the outer one after.
        """
        offset, limit = max(0, offset), max(0, limit)
        if limit == 0:
            return []
        total = self.count()
        if offset >= total:
            return []
        if self._all is not None or total <= ALL_HITS_UP_TO:
            return self.all_hits()[offset : offset + limit]
        radius = self.radius_miles
        need = min(total, offset + limit)
        inner, before = self._radius_holding_at_most(offset, total) if offset else (None, 0)
        # Grow the outer circle from a small guess by the density seen so far: a dense
        # centre then never loads thousands of rows for a page of 25.
        if need >= total:
            outer = radius
        elif inner is not None and before:
            outer = min(radius, inner * math.sqrt(need / before) * 1.1)
        else:
            # Events cluster (around ZIP centroids, in city centres): start at a quarter
            # of the uniform-density radius; sparse places take a step or two more.
            outer = min(radius, radius * math.sqrt(need / total) * 0.25)
        while True:
            found = self._hits(outer, inner)
            have = before + len(found)
            if have >= need or outer >= radius:
                break
            outer = min(radius, outer * min(3.0, max(1.3, math.sqrt(need / max(have, 1)) * 1.2)))
        start = offset - before
        return [Hit(event_id=pk, distance=d) for d, _starts, pk in found[start : start + limit]]

    def _radius_holding_at_most(self, offset: int, total: int) -> tuple[float | None, int]:
        """A radius with at most ``offset`` hits within it, and their number: close below
        ``offset`` so that the page's ring is thin (counts are cheap, rows are not).

        Interpolates on area between the largest radius known to hold too few and the
        smallest known to hold too many (hits grow with the square of the radius where
        events are spread evenly), so clustered places converge in a few counts.
        """
        low, low_n = 0.0, 0
        high, high_n = self.radius_miles, total
        side: bool | None = None
        previous_side: bool | None = None
        for _attempt in range(8):
            share = (offset - low_n) / (high_n - low_n)
            guess = math.sqrt(low**2 + (high**2 - low**2) * share) * 0.98
            if side is not None and side == previous_side:
                guess = (low + high) / 2  # two steps on one side: bisect instead
            if not low < guess < high:
                break
            n = self.count_within(guess)
            previous_side, side = side, n <= offset
            if n <= offset:
                low, low_n = guess, n
                if n >= offset * 0.9:
                    break
            else:
                high, high_n = guess, n
        return (low, low_n) if low > 0 else (None, 0)

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


def _zip_search(
    *,
    zip_code: str,
    radius_miles: float,
    queryset: QuerySet[Event] | None,
    campaign: Campaign | None,
    event_types: Iterable[str] | None,
    starts_after: dt.datetime | None,
    starts_before: dt.datetime | None,
    accessible_only: bool,
    upcoming: bool,
) -> NearbySearch:
    """Validate the ZIP and radius, apply the filters; raises ``NearbySearchError``."""
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
    return NearbySearch(
        latitude=place.latitude, longitude=place.longitude, radius_miles=radius, queryset=qs
    )


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
    search = _zip_search(
        zip_code=zip_code,
        radius_miles=radius_miles,
        queryset=queryset,
        campaign=campaign,
        event_types=event_types,
        starts_after=starts_after,
        starts_before=starts_before,
        accessible_only=accessible_only,
        upcoming=upcoming,
    )
    hits = search.all_hits() if limit is None else search.window(0, limit)
    return load_events(hits)


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
    search = _zip_search(
        zip_code=zip_code,
        radius_miles=radius_miles,
        queryset=queryset,
        campaign=campaign,
        event_types=event_types,
        starts_after=starts_after,
        starts_before=starts_before,
        accessible_only=accessible_only,
        upcoming=upcoming,
    )
    return search.count(), load_events(search.window(max(0, offset), max(0, limit)))


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
