from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from actlocal.events.models import Event
from tests.factories.events import CampaignFactory, EventFactory

pytestmark = pytest.mark.django_db

URL = reverse("web:event-search")


def _points(response: Any) -> list[dict[str, Any]]:
    html = response.content.decode()
    start = html.index('<script id="map-points" type="application/json">') + len(
        '<script id="map-points" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])  # type: ignore[no-any-return]


def test_search_page_without_query_invites_a_zip(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 200
    assert "Enter your ZIP code" in response.content.decode()


def test_search_lists_logan_circle_huddle_with_distance_and_map_marker(client: Client) -> None:
    EventFactory(title="Logan Circle huddle", slug="logan-circle-huddle")
    EventFactory(title="Chicago huddle", zip_code="60601", latitude=41.886, longitude=-87.618)
    response = client.get(URL, {"zip": "20009", "radius": "5"})
    html = response.content.decode()
    assert "Logan Circle huddle" in html
    assert "Chicago huddle" not in html
    assert "1 event within 5 miles of 20009" in html
    assert [p["id"] for p in _points(response)] == ["logan-circle-huddle"]


def test_search_never_shows_invite_only_or_pending_events(client: Client) -> None:
    EventFactory(title="Secret convening", visibility=Event.Visibility.INVITE_ONLY)
    EventFactory(title="Awaiting guide", status=Event.Status.PENDING)
    html = client.get(URL, {"zip": "20009", "radius": "50"}).content.decode()
    assert "Secret convening" not in html
    assert "Awaiting guide" not in html
    assert 'id="no-results"' in html


def test_search_with_unknown_zip_says_so_and_lists_nothing(client: Client) -> None:
    EventFactory()
    response = client.get(URL, {"zip": "99999", "radius": "5"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "“99999” is not a US ZIP code we know" in html
    assert "Neighborhood meeting" not in html


@pytest.mark.parametrize("radius", ["0", "501", "-3", "ten"])
def test_search_with_radius_out_of_range_names_the_radius(client: Client, radius: str) -> None:
    html = client.get(URL, {"zip": "20009", "radius": radius}).content.decode()
    assert "The radius must be" in html


def test_search_radius_boundaries_are_accepted(client: Client) -> None:
    EventFactory()
    for radius in ("1", "500"):
        html = client.get(URL, {"zip": "20009", "radius": radius}).content.decode()
        assert "1 event within" in html


def test_search_script_in_query_is_inert(client: Client) -> None:
    html = client.get(URL, {"zip": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_search_filters_by_campaign_type_and_accessibility(client: Client) -> None:
    campaign = CampaignFactory(slug="hear-our-voice")
    EventFactory(
        title="Accessible town hall",
        campaign=campaign,
        event_type=Event.Type.TOWN_HALL,
        accessibility_status=Event.Accessibility.ACCESSIBLE,
    )
    EventFactory(title="Other campaign town hall", event_type=Event.Type.TOWN_HALL)
    EventFactory(title="Stairs only", campaign=campaign, event_type=Event.Type.TOWN_HALL)
    html = client.get(
        URL,
        {
            "zip": "20009",
            "radius": "25",
            "campaign": "hear-our-voice",
            "type": "town_hall",
            "accessible": "on",
        },
    ).content.decode()
    assert "Accessible town hall" in html
    assert "Other campaign town hall" not in html
    assert "Stairs only" not in html


def test_search_virtual_lists_online_events_without_a_zip(client: Client) -> None:
    EventFactory(title="Online huddle", is_virtual=True, latitude=None, longitude=None)
    EventFactory(title="In person")
    html = client.get(URL, {"virtual": "on"}).content.decode()
    assert "Online huddle" in html
    assert "In person" not in html


def test_search_private_address_shows_only_neighborhood(client: Client) -> None:
    EventFactory(
        title="Living room huddle", address_line="1500 Secret St NW", address_is_private=True
    )
    html = client.get(URL, {"zip": "20009", "radius": "5"}).content.decode()
    assert "Living room huddle" in html
    assert "1500 Secret St" not in html
    assert "address shared after you RSVP" in html


def test_use_my_location_redirects_to_the_nearest_zip(client: Client) -> None:
    response = client.get(URL, {"lat": "38.9096", "lng": "-77.0296", "radius": "5"})
    assert response.status_code == 302
    assert "zip=200" in response["Location"]


def test_use_my_location_with_nonsense_asks_for_a_zip(client: Client) -> None:
    response = client.get(URL, {"lat": "abc", "lng": "1"}, follow=True)
    assert "Enter your ZIP code" in response.content.decode()


def test_search_page_query_count_does_not_grow_with_results(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    for _ in range(30):
        EventFactory()
    with django_assert_max_num_queries(8):
        response = client.get(URL, {"zip": "20009", "radius": "25"})
    assert response.content.decode().count('class="result"') == 25
    assert "Page 1 of 2" in response.content.decode()


def test_search_pages_list_every_event_once_in_distance_order(
    client: Client, monkeypatch: Any
) -> None:
    """The count is exact and the pages, read in turn, are the brute-force list in order
    (nearest first, ties by start) — on the ring path used for large results."""
    import random
    import re

    from actlocal.common import geo
    from actlocal.events import nearby

    monkeypatch.setattr(nearby, "ALL_HITS_UP_TO", 0)
    dc = geo.zip_place("20009")
    assert dc is not None
    rng = random.Random(8)
    for n in range(100):
        EventFactory(
            slug=f"near-{n}",
            latitude=dc.latitude + rng.uniform(-0.25, 0.25),
            longitude=dc.longitude + rng.uniform(-0.25, 0.25),
        )
    within = sorted(
        (
            geo.haversine_miles(dc.latitude, dc.longitude, e.latitude, e.longitude),
            e.starts_at,
            e.pk,
            e.slug,
        )
        for e in Event.objects.all()
    )
    expected = [slug for d, _s, _pk, slug in within if d <= 14]
    assert 50 < len(expected) < 100
    seen: list[str] = []
    for number in range(1, -(-len(expected) // 25) + 1):
        html = client.get(URL, {"zip": "20009", "radius": "14", "page": number}).content.decode()
        assert f"{len(expected)} events within 14 miles of 20009" in html
        seen += re.findall(r'<li class="result" id="event-[^"]+" data-event="([^"]+)"', html)
    assert seen == expected
