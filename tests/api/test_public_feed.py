"""The public feed against Mobilize's v1 events shape (keys written from Mobilize's docs)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from actlocal.events.models import Event
from tests.factories.events import EventFactory
from tests.factories.network import OrganizationFactory

pytestmark = pytest.mark.django_db

MOBILIZE_EVENT_KEYS = {
    "id",
    "title",
    "summary",
    "description",
    "event_type",
    "sponsor",
    "timeslots",
    "location",
    "timezone",
    "browser_url",
    "visibility",
    "address_visibility",
    "accessibility_status",
    "accessibility_notes",
    "event_campaign",
    "created_date",
    "modified_date",
}


def test_feed_lists_public_events_only_in_mobilize_shape(client: Any) -> None:
    public = EventFactory(title="Open huddle", organization=OrganizationFactory(name="Tenants"))
    EventFactory(title="Secret convening", visibility=Event.Visibility.INVITE_ONLY)
    EventFactory(title="Draft", status=Event.Status.DRAFT)
    response = client.get("/api/public/v1/events")
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"count", "next", "previous", "data"}
    assert data["count"] == 1 and data["next"] is None and data["previous"] is None
    [event] = data["data"]
    assert set(event) >= MOBILIZE_EVENT_KEYS
    assert event["title"] == "Open huddle"
    assert event["sponsor"]["name"] == "Tenants"
    assert isinstance(event["location"]["location"], dict)
    assert len(event["location"]["address_lines"]) == 2
    assert all(isinstance(line, str) for line in event["location"]["address_lines"])
    slot = event["timeslots"][0]
    assert slot["start_date"] == int(public.starts_at.timestamp())
    assert isinstance(event["created_date"], int)
    assert event["browser_url"] == f"http://testserver/events/{public.slug}/"


def test_feed_event_without_sponsor_or_place_still_has_objects(client: Any) -> None:
    EventFactory(organization=None, campaign=None, latitude=None, longitude=None, zip_code="")
    [event] = client.get("/api/public/v1/events").json()["data"]
    assert isinstance(event["sponsor"], dict)
    assert event["location"]["location"] == {"latitude": None, "longitude": None}
    assert event["location"]["address_lines"] == ["", ""]


def test_feed_private_address_publishes_only_zip_area(client: Any) -> None:
    EventFactory(address_line="12 Private St", address_is_private=True, venue="Home")
    [event] = client.get("/api/public/v1/events").json()["data"]
    assert event["location"]["address_lines"] == ["", ""]
    assert event["address_visibility"] == "PRIVATE"
    assert "Private" not in str(event)


def test_feed_zipcode_and_max_dist(client: Any) -> None:
    EventFactory(title="DC")
    EventFactory(
        title="NYC", zip_code="10001", city="New York", state="NY", latitude=40.75, longitude=-73.99
    )
    near = client.get("/api/public/v1/events", {"zipcode": "20009", "max_dist": 25}).json()
    assert [e["title"] for e in near["data"]] == ["DC"]
    wide = client.get("/api/public/v1/events", {"zipcode": "20009", "max_dist": 500}).json()
    assert [e["title"] for e in wide["data"]] == ["DC", "NYC"]


def test_feed_timeslot_and_updated_since_filters(client: Any) -> None:
    past = EventFactory(
        title="Past",
        starts_at=timezone.now() - dt.timedelta(days=3),
        ends_at=timezone.now() - dt.timedelta(days=3, hours=-2),
    )
    EventFactory(title="Soon")
    upcoming = client.get("/api/public/v1/events").json()
    assert [e["title"] for e in upcoming["data"]] == ["Soon"]
    ended = client.get("/api/public/v1/events", {"timeslot_end": "lt_now"}).json()
    assert [e["title"] for e in ended["data"]] == ["Past"]
    since = int(past.starts_at.timestamp())
    both = client.get("/api/public/v1/events", {"timeslot_start": f"gte_{since}"}).json()
    assert both["count"] == 2
    later = int((timezone.now() + dt.timedelta(days=1)).timestamp())
    none = client.get("/api/public/v1/events", {"updated_since": later}).json()
    assert none["count"] == 0


def test_feed_pagination_next_previous_absolute(client: Any) -> None:
    for _ in range(3):
        EventFactory()
    first = client.get("/api/public/v1/events", {"per_page": 2}).json()
    assert first["count"] == 3 and len(first["data"]) == 2
    assert first["next"].startswith("http://testserver/api/public/v1/events?")
    second = client.get(first["next"].replace("http://testserver", "")).json()
    assert len(second["data"]) == 1 and second["next"] is None
    assert second["previous"].startswith("http://testserver/")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"zipcode": "00000"}, "zipcode"),
        ({"zipcode": "20009", "max_dist": 900}, "max_dist"),
        ({"per_page": 101}, "per_page"),
        ({"timeslot_start": "after_yesterday"}, "timeslot_start"),
        ({"event_types": "RAVE"}, "event_types"),
    ],
)
def test_feed_bad_parameters_answer_error_object(
    client: Any, params: dict[str, Any], field: str
) -> None:
    response = client.get("/api/public/v1/events", params)
    assert response.status_code == 400
    assert field in response.json()["error"]


def test_feed_event_types_filter_case_insensitive(client: Any) -> None:
    EventFactory(title="Huddle", event_type=Event.Type.HUDDLE)
    EventFactory(title="Town hall", event_type=Event.Type.TOWN_HALL)
    data = client.get("/api/public/v1/events", {"event_types": "TOWN_HALL"}).json()
    assert [e["title"] for e in data["data"]] == ["Town hall"]
    assert data["data"][0]["event_type"] == "TOWN_HALL"


def test_feed_uses_constant_queries(client: Any, django_assert_max_num_queries: Any) -> None:
    for _ in range(30):
        EventFactory(organization=OrganizationFactory())
    with django_assert_max_num_queries(4):
        data = client.get("/api/public/v1/events", {"per_page": 30}).json()
    assert len(data["data"]) == 30
    with django_assert_max_num_queries(5):
        near = client.get("/api/public/v1/events", {"zipcode": "20009", "max_dist": 10}).json()
    assert near["count"] == 30


def test_feed_timestamp_out_of_range_answers_400(client: Any) -> None:
    response = client.get("/api/public/v1/events", {"timeslot_start": "gte_99999999999"})
    assert response.status_code in {200, 400}  # year 5138: valid, just empty
    response = client.get("/api/public/v1/events", {"timeslot_start": "gte_999999999999"})
    assert response.status_code == 400


@pytest.mark.parametrize("small", [0, 1000])
def test_feed_near_me_pages_through_next_links_in_exact_distance_order(
    client: Any, monkeypatch: Any, small: int
) -> None:
    """``count`` is exact and following ``next`` lists every event in the radius once, nearest
    first (ties by start), whichever way the search pages (ring or sort-everything)."""
    import random

    from actlocal.common import geo
    from actlocal.events import nearby

    monkeypatch.setattr(nearby, "ALL_HITS_UP_TO", small)
    dc = geo.zip_place("20009")
    assert dc is not None
    rng = random.Random(21)
    for _ in range(45):
        EventFactory(
            latitude=dc.latitude + rng.uniform(-0.3, 0.3),
            longitude=dc.longitude + rng.uniform(-0.3, 0.3),
        )
    EventFactory(title="Virtual", is_virtual=True)
    expected = sorted(
        (geo.haversine_miles(dc.latitude, dc.longitude, e.latitude, e.longitude), e.starts_at, e.pk)
        for e in Event.objects.filter(is_virtual=False)
    )
    expected_ids = [pk for d, _s, pk in expected if d <= 15]
    assert 10 < len(expected_ids) < 45
    url: str | None = "/api/public/v1/events?zipcode=20009&max_dist=15&per_page=4"
    seen: list[int] = []
    pages = 0
    while url:
        data = client.get(url).json()
        assert data["count"] == len(expected_ids)
        assert (data["previous"] is None) == (pages == 0)
        assert len(data["data"]) == min(4, len(expected_ids) - len(seen))
        seen += [item["id"] for item in data["data"]]
        url, pages = data["next"], pages + 1
    assert seen == expected_ids
    assert pages == -(-len(expected_ids) // 4)
