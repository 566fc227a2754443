"""Events, attendances and event campaigns against Action Network v2's documented shapes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from actlocal.events.models import RSVP, Event
from actlocal.events.services.rsvps import rsvp
from tests.api.conftest import OsdiClient, api
from tests.factories.accounts import UserFactory
from tests.factories.api import make_key
from tests.factories.events import CampaignFactory, EventFactory, EventHostFactory
from tests.factories.people import PersonFactory

pytestmark = pytest.mark.django_db

# Action Network event fields (events resource docs) plus our `visibility`.
EVENT_KEYS = {
    "identifiers",
    "created_date",
    "modified_date",
    "title",
    "description",
    "start_date",
    "end_date",
    "status",
    "visibility",
    "capacity",
    "total_accepted",
    "location",
    "browser_url",
    "_links",
}
# Action Network attendance fields.
ATTENDANCE_KEYS = {"identifiers", "created_date", "modified_date", "status", "_links"}


def test_events_collection_shape_and_visibility(staff_api: OsdiClient) -> None:
    event = EventFactory(title="Logan Circle huddle", address_line="1 Logan Cir NW")
    data = staff_api.get("/api/v2/events").json()
    [entry] = data["_embedded"]["osdi:events"]
    assert set(entry) >= EVENT_KEYS
    assert entry["visibility"] == "public"
    assert entry["location"]["postal_code"] == "20009"
    assert entry["location"]["address_lines"] == ["1 Logan Cir NW"]
    assert set(entry["location"]["location"]) >= {"latitude", "longitude"}
    assert entry["start_date"].endswith("Z")
    assert f"action_network:{event.uuid}" in entry["identifiers"]
    assert entry["_links"]["osdi:attendances"]["href"].endswith(f"/events/{event.uuid}/attendances")


def test_invite_only_event_is_404_to_a_key_that_may_not_see_it(staff_user: Any) -> None:
    secret = EventFactory(visibility=Event.Visibility.INVITE_ONLY)
    public = EventFactory()
    host = UserFactory(email="host@example.org")
    EventHostFactory(event=public, user=host)
    _key, token = make_key(host)
    client = api(token)
    listed = client.get("/api/v2/events").json()["_embedded"]["osdi:events"]
    assert [e["title"] for e in listed] == [public.title]
    assert client.get(f"/api/v2/events/{secret.uuid}").status_code == 404
    assert client.get(f"/api/v2/events/{secret.uuid}/attendances").status_code == 404
    _key, staff_token = make_key(staff_user)
    staff_listed = api(staff_token).get("/api/v2/events").json()
    assert staff_listed["total_records"] == 2
    private = next(
        e for e in staff_listed["_embedded"]["osdi:events"] if e["title"] == secret.title
    )
    assert private["visibility"] == "private"


def test_record_attendance_helper_accepts_then_waitlists_when_full(staff_api: OsdiClient) -> None:
    event = EventFactory(capacity=1)
    url = f"/api/v2/events/{event.uuid}/attendances"
    first = staff_api.post(url, {"person": {"email_addresses": [{"address": "one@example.org"}]}})
    assert first.status_code == 201
    assert set(first.json()) >= ATTENDANCE_KEYS
    assert first.json()["status"] == "accepted"
    second = staff_api.post(url, {"person": {"email_addresses": [{"address": "two@example.org"}]}})
    assert second.status_code == 201
    assert second.json()["status"] == "waitlisted"
    listing = staff_api.get(url).json()
    assert {a["status"] for a in listing["_embedded"]["osdi:attendances"]} == {
        "accepted",
        "waitlisted",
    }
    assert listing["_embedded"]["osdi:attendances"][0]["_links"]["osdi:person"]["href"]


def test_record_attendance_on_closed_event_answers_400_and_writes_nothing(
    staff_api: OsdiClient,
) -> None:
    event = EventFactory(status=Event.Status.CANCELLED)
    response = staff_api.post(
        f"/api/v2/events/{event.uuid}/attendances",
        {"person": {"email_addresses": [{"address": "late@example.org"}]}},
    )
    assert response.status_code == 400
    assert not RSVP.objects.exists()
    from actlocal.people.models import Person

    assert not Person.objects.filter(email_addresses__address="late@example.org").exists()


def test_host_key_sees_waitlist_other_keys_get_403_on_attendances(staff_user: Any) -> None:
    event = EventFactory(capacity=1)
    rsvp(event=event, person=PersonFactory())
    rsvp(event=event, person=PersonFactory())
    host = UserFactory(email="host2@example.org")
    EventHostFactory(event=event, user=host)
    _key, host_token = make_key(host)
    data = api(host_token).get(f"/api/v2/events/{event.uuid}/attendances").json()
    assert data["total_records"] == 2
    other_host = UserFactory(email="otherhost@example.org")
    EventHostFactory(event=EventFactory(), user=other_host)
    _key, other_token = make_key(other_host)
    assert api(other_token).get(f"/api/v2/events/{event.uuid}/attendances").status_code == 403


def test_create_event_and_event_in_campaign(staff_api: OsdiClient) -> None:
    campaign = CampaignFactory(name="Hear Our Voice")
    start = (timezone.now() + dt.timedelta(days=3)).replace(microsecond=0)
    body = {
        "title": "Town hall on housing",
        "start_date": start.isoformat().replace("+00:00", "Z"),
        "location": {
            "venue": "Library",
            "postal_code": "20009",
            "locality": "Washington",
            "region": "DC",
        },
    }
    created = staff_api.post("/api/v2/events", body)
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["title"] == "Town hall on housing" and data["status"] == "confirmed"
    assert data["visibility"] == "public"
    assert data["start_date"] == start.strftime("%Y-%m-%dT%H:%M:%SZ")
    in_campaign = staff_api.post(f"/api/v2/event_campaigns/{campaign.uuid}/events", body)
    assert in_campaign.status_code == 201
    listing = staff_api.get(f"/api/v2/event_campaigns/{campaign.uuid}/events").json()
    assert listing["total_records"] == 1
    campaigns = staff_api.get("/api/v2/event_campaigns").json()
    entry = next(
        c for c in campaigns["_embedded"]["osdi:event_campaigns"] if c["title"] == "Hear Our Voice"
    )
    assert entry["total_events"] == 1
    bad = staff_api.post("/api/v2/events", {"title": "x", "start_date": "soon"})
    assert bad.status_code == 400 and "start_date" in bad.json()["error"]


@pytest.mark.parametrize("start", ["9311-09-09T23:26:39-21:50", "1900-01-01T00:00:00Z"])
def test_create_event_with_out_of_range_date_answers_400(staff_api: OsdiClient, start: str) -> None:
    # Found by schemathesis on PostgreSQL: such dates used to reach the database (500).
    response = staff_api.post("/api/v2/events", {"title": "x", "start_date": start})
    assert response.status_code == 400
    assert "start_date" in response.json()["error"]
    assert not Event.objects.exists()


def test_create_event_with_unknown_time_zone_answers_400(staff_api: OsdiClient) -> None:
    body = {"title": "x", "start_date": "2030-01-01T18:00:00Z", "timezone": "Mars/Olympus"}
    response = staff_api.post("/api/v2/events", body)
    assert response.status_code == 400 and "timezone" in response.json()["error"]
    body["timezone"] = "America/Chicago"
    assert staff_api.post("/api/v2/events", body).json()["timezone"] == "America/Chicago"
