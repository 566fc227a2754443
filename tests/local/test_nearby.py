from __future__ import annotations

import datetime as dt
import math
import random
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actlocal.common import geo
from actlocal.events.models import Event
from actlocal.events.nearby import NearbySearchError, events_near, nearest_zip
from tests.factories.events import CampaignFactory, EventFactory

pytestmark = pytest.mark.django_db

DC = geo.zip_place("20009")


def _brute_force(zip_code: str, radius: float) -> set[int]:
    place = geo.zip_place(zip_code)
    assert place is not None
    now = timezone.now()
    return {
        e.pk
        for e in Event.objects.all()
        if e.status == "published"
        and e.visibility == "public"
        and not e.is_virtual
        and e.latitude is not None
        and e.ends_at >= now
        and geo.haversine_miles(place.latitude, place.longitude, e.latitude, e.longitude) <= radius
    }


def test_events_near_finds_logan_circle_huddle_within_5_miles() -> None:
    huddle = EventFactory(title="Logan Circle huddle")
    far = EventFactory(title="Chicago", zip_code="60601", latitude=41.886, longitude=-87.618)
    found = events_near(zip_code="20009", radius_miles=5)
    assert [e for e, _d in found] == [huddle]
    assert found[0][1] < 1
    assert far.pk not in {e.pk for e, _ in events_near(zip_code="20009", radius_miles=500)}


def test_events_near_sorts_by_distance_then_start() -> None:
    soon = timezone.now() + dt.timedelta(days=1)
    later_same_place = EventFactory(starts_at=soon + dt.timedelta(days=3))
    same_place = EventFactory(starts_at=soon)
    farther = EventFactory(latitude=38.95, longitude=-77.0, starts_at=soon - dt.timedelta(hours=1))
    found = [e for e, _ in events_near(zip_code="20009", radius_miles=25)]
    assert found == [same_place, later_same_place, farther]


def test_events_near_leaves_out_invite_only_pending_virtual_and_past_events() -> None:
    EventFactory(visibility=Event.Visibility.INVITE_ONLY)
    EventFactory(status=Event.Status.PENDING)
    EventFactory(status=Event.Status.REJECTED)
    EventFactory(status=Event.Status.CHANGES_REQUESTED)
    EventFactory(is_virtual=True)
    past = timezone.now() - dt.timedelta(days=2)
    EventFactory(starts_at=past, ends_at=past + dt.timedelta(hours=1))
    EventFactory(latitude=None, longitude=None)
    visible = EventFactory()
    assert [e for e, _ in events_near(zip_code="20009", radius_miles=500)] == [visible]


def test_events_near_queryset_cannot_widen_to_invite_only() -> None:
    EventFactory(visibility=Event.Visibility.INVITE_ONLY)
    found = events_near(zip_code="20009", radius_miles=10, queryset=Event.objects.all())
    assert found == []


def test_events_near_filters_campaign_type_dates_and_accessibility() -> None:
    campaign = CampaignFactory()
    now = timezone.now()
    match = EventFactory(
        campaign=campaign,
        event_type=Event.Type.TOWN_HALL,
        accessibility_status=Event.Accessibility.ACCESSIBLE,
        starts_at=now + dt.timedelta(days=3),
    )
    EventFactory(campaign=campaign, event_type=Event.Type.HUDDLE)
    EventFactory(
        event_type=Event.Type.TOWN_HALL, accessibility_status=Event.Accessibility.ACCESSIBLE
    )
    EventFactory(
        campaign=campaign,
        event_type=Event.Type.TOWN_HALL,
        accessibility_status=Event.Accessibility.ACCESSIBLE,
        starts_at=now + dt.timedelta(days=30),
    )
    found = events_near(
        zip_code="20009",
        radius_miles=10,
        campaign=campaign,
        event_types=["town_hall"],
        accessible_only=True,
        starts_after=now,
        starts_before=now + dt.timedelta(days=10),
    )
    assert [e for e, _ in found] == [match]


@pytest.mark.parametrize("zip_code", ["", "abc", "99999", "2000", "123456", "<script>"])
def test_events_near_with_invalid_zip_names_the_zip(zip_code: str) -> None:
    with pytest.raises(NearbySearchError) as info:
        events_near(zip_code=zip_code, radius_miles=5)
    assert info.value.field == "zip"
    assert "ZIP" in info.value.message


@pytest.mark.parametrize("radius", [0, 0.99, 500.01, 1000, -5, float("nan"), "ten"])
def test_events_near_with_radius_out_of_range_is_refused(radius: object) -> None:
    with pytest.raises(NearbySearchError) as info:
        events_near(zip_code="20009", radius_miles=radius)  # type: ignore[arg-type]
    assert info.value.field == "radius"


@pytest.mark.parametrize("radius", [1, 500])
def test_events_near_accepts_radius_boundaries(radius: float) -> None:
    EventFactory()
    assert len(events_near(zip_code="20009", radius_miles=radius)) == 1


def test_events_near_includes_an_event_exactly_on_the_radius() -> None:
    assert DC is not None
    event = EventFactory(latitude=DC.latitude + 0.1, longitude=DC.longitude)
    exact = geo.haversine_miles(DC.latitude, DC.longitude, event.latitude, event.longitude)
    assert [e for e, _ in events_near(zip_code="20009", radius_miles=exact)] == [event]
    assert events_near(zip_code="20009", radius_miles=exact - 1e-9) == []


def test_events_near_matches_brute_force_over_random_points() -> None:
    rng = random.Random(7)
    zips = ["20009", "10001", "60601", "94103", "99501", "96813", "33101", "59801"]
    for _ in range(300):
        anchor = geo.zip_place(rng.choice(zips))
        assert anchor is not None
        EventFactory(
            latitude=anchor.latitude + rng.uniform(-3, 3),
            longitude=anchor.longitude + rng.uniform(-3, 3),
        )
    for zip_code in zips:
        for radius in (1, 5, 25, 50, 120, 500):
            found = {e.pk for e, _ in events_near(zip_code=zip_code, radius_miles=radius)}
            assert found == _brute_force(zip_code, radius), (zip_code, radius)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    points=st.lists(st.tuples(st.floats(-0.8, 0.8), st.floats(-0.8, 0.8)), min_size=1, max_size=15),
    radius=st.floats(1, 60),
)
def test_events_near_is_exact_for_generated_points(
    points: list[tuple[float, float]], radius: float
) -> None:
    assert DC is not None
    Event.objects.all().delete()
    for dlat, dlng in points:
        EventFactory(latitude=DC.latitude + dlat, longitude=DC.longitude + dlng)
    found = {e.pk for e, _ in events_near(zip_code="20009", radius_miles=radius)}
    assert found == _brute_force("20009", radius)


def test_nearest_zip_of_a_point_in_logan_circle() -> None:
    place = nearest_zip(latitude=38.9096, longitude=-77.0296)
    assert place is not None and place.zip_code in {"20005", "20009", "20001"}
    assert nearest_zip(latitude=123, longitude=0) is None


def _sorted_brute_force(
    zip_code: str, radius: float, events: Any = None
) -> list[tuple[float, dt.datetime, int]]:
    """(distance, start, id) of every listed event in the radius, in the search's order."""
    place = geo.zip_place(zip_code)
    assert place is not None
    wanted = _brute_force(zip_code, radius)
    rows = [
        (geo.haversine_miles(place.latitude, place.longitude, e.latitude, e.longitude), e)
        for e in (events if events is not None else Event.objects.all())
        if e.pk in wanted
    ]
    return sorted((d, e.starts_at, e.pk) for d, e in rows)


def _search(zip_code: str, radius: float, **filters: Any) -> Any:
    from actlocal.events.nearby import NearbySearch, filtered_events

    place = geo.zip_place(zip_code)
    assert place is not None
    return NearbySearch(
        latitude=place.latitude,
        longitude=place.longitude,
        radius_miles=radius,
        queryset=filtered_events(**filters),
    )


def _all_pages(search: Any, per_page: int = 25) -> list[int]:
    ids: list[int] = []
    for offset in range(0, search.count() + per_page, per_page):
        ids += [hit.event_id for hit in search.window(offset, per_page)]
    return ids


@pytest.mark.parametrize(("small", "few_cells"), [(0, 6), (0, 0), (0, 1000), (10_000, 6)])
def test_count_and_every_page_match_the_brute_force_list(
    monkeypatch: Any, small: int, few_cells: int
) -> None:
    """Paging through the whole list (the ring path, and the sort-everything path for
    small results; rings cut into strips or not) gives the brute-force set in its exact
    order."""
    from actlocal.events import nearby

    monkeypatch.setattr(nearby, "ALL_HITS_UP_TO", small)
    monkeypatch.setattr(nearby, "FEW_CELLS", few_cells)
    rng = random.Random(11)
    assert DC is not None
    for _ in range(400):
        EventFactory(
            latitude=DC.latitude + rng.uniform(-0.6, 0.6),
            longitude=DC.longitude + rng.uniform(-0.6, 0.6),
        )
    soon = timezone.now() + dt.timedelta(days=2)
    for hours in (5, 1, 3, 2, 4):  # ties at one point: ordered by start
        EventFactory(
            latitude=DC.latitude + 0.01,
            longitude=DC.longitude,
            starts_at=soon + dt.timedelta(hours=hours),
        )
    EventFactory(latitude=DC.latitude, longitude=DC.longitude)  # at the centroid: distance 0
    for radius in (3.0, 12.5, 30.0, 45.0):
        expected = _sorted_brute_force("20009", radius)
        search = _search("20009", radius)
        assert search.count() == len(expected), radius
        assert _all_pages(search) == [pk for _d, _s, pk in expected], radius
        assert _all_pages(_search("20009", radius), per_page=7) == [pk for *_x, pk in expected]
        for offset in (0, 7, 100, len(expected) - 1, len(expected), len(expected) + 5):
            window = _search("20009", radius).window(offset, 25)
            assert [(h.distance, h.event_id) for h in window] == [
                (d, pk) for d, _s, pk in expected[offset : offset + 25]
            ], (radius, offset)


def test_paging_with_filters_matches_the_filtered_brute_force(monkeypatch: Any) -> None:
    from actlocal.events import nearby

    monkeypatch.setattr(nearby, "ALL_HITS_UP_TO", 0)
    rng = random.Random(5)
    campaign = CampaignFactory()
    assert DC is not None
    for n in range(240):
        EventFactory(
            latitude=DC.latitude + rng.uniform(-0.4, 0.4),
            longitude=DC.longitude + rng.uniform(-0.4, 0.4),
            campaign=campaign if n % 2 else None,
            event_type=Event.Type.TOWN_HALL if n % 3 else Event.Type.HUDDLE,
            accessibility_status=(
                Event.Accessibility.ACCESSIBLE if n % 5 else Event.Accessibility.UNKNOWN
            ),
        )
    matching = list(
        Event.objects.filter(
            campaign=campaign,
            event_type=Event.Type.TOWN_HALL,
            accessibility_status=Event.Accessibility.ACCESSIBLE,
        )
    )
    expected = _sorted_brute_force("20009", 20, events=matching)
    assert 20 < len(expected) < 100
    search = _search(
        "20009", 20, campaign=campaign, event_types=["town_hall"], accessible_only=True
    )
    assert search.count() == len(expected)
    assert _all_pages(search, per_page=10) == [pk for *_x, pk in expected]


def test_events_on_cell_edges_and_the_widest_latitude_are_counted_once() -> None:
    """Rows exactly on the latitude where one index cell ends and the next begins, and
    on the circle's edge, are found exactly once."""
    from actlocal.events import nearby

    assert DC is not None
    edges = [
        k / nearby.CELLS_PER_DEGREE
        for k in range(int(DC.latitude * 20) - 3, int(DC.latitude * 20) + 5)
    ]
    for edge in edges:
        for lat in (math.nextafter(edge, -math.inf), edge, math.nextafter(edge, math.inf)):
            for dlng in (-0.15, -0.01, 0.0, 0.02, 0.14):
                EventFactory(latitude=lat, longitude=DC.longitude + dlng)
    radius = 9.0
    top = DC.latitude + math.degrees(radius / geo.EARTH_RADIUS_MILES)
    EventFactory(latitude=top, longitude=DC.longitude)  # the circle's northernmost point
    expected = _sorted_brute_force("20009", radius)
    search = _search("20009", radius)
    assert search.count() == len(expected)
    assert _all_pages(search) == [pk for *_x, pk in expected]
    assert {e.pk for e, _ in events_near(zip_code="20009", radius_miles=radius)} == {
        pk for *_x, pk in expected
    }


def test_search_across_the_antimeridian_uses_the_box_and_stays_exact() -> None:
    adak = geo.zip_place("99546")
    assert adak is not None and adak.longitude < -176
    east = EventFactory(latitude=adak.latitude, longitude=179.5, zip_code="99546")
    west = EventFactory(latitude=adak.latitude, longitude=adak.longitude + 0.5, zip_code="99546")
    EventFactory(latitude=adak.latitude, longitude=170.0, zip_code="99546")  # far out west
    radius = 200.0
    search = _search("99546", radius)
    assert search.parts(radius) is None
    expected = _sorted_brute_force("99546", radius)
    assert {pk for *_x, pk in expected} == {east.pk, west.pk}
    assert search.count() == 2
    assert _all_pages(search) == [pk for *_x, pk in expected]


def test_the_search_reads_the_cell_index() -> None:
    """The query repeats the index expression exactly; otherwise the database would scan."""
    from django.db import connection

    from actlocal.events import nearby

    rng = random.Random(3)
    for _ in range(200):  # spread over the country, so that an index pays off
        EventFactory(latitude=rng.uniform(25, 48), longitude=rng.uniform(-123, -70))
    search = _search("20009", 25)
    ranges = nearby._Ranges(search.queryset, "id", "latitude", "longitude", "starts_at")
    for part in search.parts(25) or []:
        ranges.add(part, part.west, part.east)
    sql, params = ranges._statement()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE events_event")
            # A test table is tiny: make the planner show what it does with a large one.
            for method in ("seqscan", "hashjoin", "mergejoin", "bitmapscan"):
                cursor.execute(f"SET LOCAL enable_{method} = off")
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
    assert "local_event_near_idx" in plan, plan
    if connection.vendor == "sqlite":
        assert "<expr>=?" in plan, plan


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    points=st.lists(st.tuples(st.floats(-0.8, 0.8), st.floats(-0.8, 0.8)), min_size=1, max_size=40),
    radius=st.floats(1, 60),
    per_page=st.integers(1, 9),
)
def test_counts_and_pages_are_exact_for_generated_points(
    points: list[tuple[float, float]], radius: float, per_page: int
) -> None:
    from actlocal.events import nearby

    assert DC is not None
    Event.objects.all().delete()
    for dlat, dlng in points:
        EventFactory(latitude=DC.latitude + dlat, longitude=DC.longitude + dlng)
    expected = [pk for *_x, pk in _sorted_brute_force("20009", radius)]
    original = nearby.ALL_HITS_UP_TO
    nearby.ALL_HITS_UP_TO = 0
    try:
        search = _search("20009", radius)
        assert search.count() == len(expected)
        assert _all_pages(search, per_page) == expected
    finally:
        nearby.ALL_HITS_UP_TO = original


def test_events_near_page_gives_total_and_one_page() -> None:
    from actlocal.events.nearby import events_near_page

    for _ in range(30):
        EventFactory()
    total, page = events_near_page(zip_code="20009", radius_miles=5, offset=25, limit=25)
    assert total == 30
    assert len(page) == 5


def test_events_near_with_a_limit_is_the_head_of_the_full_list(monkeypatch: Any) -> None:
    from actlocal.events import nearby

    monkeypatch.setattr(nearby, "ALL_HITS_UP_TO", 0)
    rng = random.Random(9)
    assert DC is not None
    for _ in range(60):
        EventFactory(
            latitude=DC.latitude + rng.uniform(-0.3, 0.3),
            longitude=DC.longitude + rng.uniform(-0.3, 0.3),
        )
    full = events_near(zip_code="20009", radius_miles=20)
    assert [e.pk for e, _d in full] == [pk for *_x, pk in _sorted_brute_force("20009", 20)]
    for limit in (1, 10, len(full), len(full) + 3):
        assert events_near(zip_code="20009", radius_miles=20, limit=limit) == full[:limit]


def test_search_south_of_the_equator_is_exact(monkeypatch: Any) -> None:
    """Pago Pago (American Samoa): negative latitudes, where SQLite's cell truncates
    toward zero and PostgreSQL's floors; cell edges and the cell around 0 included."""
    from actlocal.events import nearby

    monkeypatch.setattr(nearby, "ALL_HITS_UP_TO", 0)
    pago = geo.zip_place("96799")
    assert pago is not None and pago.latitude < 0
    rng = random.Random(4)
    for _ in range(80):
        EventFactory(
            latitude=pago.latitude + rng.uniform(-0.5, 0.5),
            longitude=pago.longitude + rng.uniform(-0.5, 0.5),
            zip_code="96799",
        )
    for k in range(-290, -280):  # exactly on cell edges
        EventFactory(latitude=k / 20, longitude=pago.longitude + 0.01, zip_code="96799")
    for radius in (5.0, 30.0):
        expected = _sorted_brute_force("96799", radius)
        search = _search("96799", radius)
        assert search.count() == len(expected)
        assert _all_pages(search, per_page=6) == [pk for *_x, pk in expected]
    # A circle across the equator: cells -1, 0 and 1 on both databases.
    for lat in (-0.06, -0.05, -0.01, 0.0, 0.01, 0.05, 0.06):
        EventFactory(latitude=lat, longitude=-170.0)
    search = nearby.NearbySearch(
        latitude=0.0, longitude=-170.0, radius_miles=8, queryset=nearby.filtered_events()
    )
    found = [hit.event_id for hit in _all_pages_hits(search)]
    brute = {
        e.pk
        for e in Event.objects.all()
        if geo.haversine_miles(0.0, -170.0, e.latitude, e.longitude) <= 8
    }
    assert set(found) == brute and len(found) == len(brute) == search.count() == 7


def _all_pages_hits(search: Any, per_page: int = 3) -> list[Any]:
    hits: list[Any] = []
    for offset in range(0, search.count() + per_page, per_page):
        hits += search.window(offset, per_page)
    return hits
