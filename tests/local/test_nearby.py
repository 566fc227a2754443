from __future__ import annotations

import datetime as dt
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


def test_banded_count_and_nearest_pages_match_the_full_sorted_list(monkeypatch: Any) -> None:
    from actlocal.events import nearby
    from actlocal.events.nearby import NearbySearch, filtered_events, hits_near_point

    monkeypatch.setattr(nearby, "BANDED_ABOVE", 10)
    rng = random.Random(11)
    assert DC is not None
    for _ in range(400):
        EventFactory(
            latitude=DC.latitude + rng.uniform(-0.6, 0.6),
            longitude=DC.longitude + rng.uniform(-0.6, 0.6),
        )
    for _ in range(5):  # ties at one point: ordered by start
        EventFactory(latitude=DC.latitude + 0.01, longitude=DC.longitude)
    for radius in (3.0, 12.5, 30.0, 45.0):
        full = hits_near_point(
            latitude=DC.latitude,
            longitude=DC.longitude,
            radius_miles=radius,
            queryset=filtered_events(),
        )
        assert {h.event_id for h in full} == _brute_force("20009", radius)
        for offset in (0, 7, 25, 100):
            search = NearbySearch(
                latitude=DC.latitude,
                longitude=DC.longitude,
                radius_miles=radius,
                queryset=filtered_events(),
            )
            assert search.count() == len(full)
            assert search.window(offset, 25) == full[offset : offset + 25]


def test_events_near_page_gives_total_and_one_page() -> None:
    from actlocal.events.nearby import events_near_page

    for _ in range(30):
        EventFactory()
    total, page = events_near_page(zip_code="20009", radius_miles=5, offset=25, limit=25)
    assert total == 30
    assert len(page) == 5
