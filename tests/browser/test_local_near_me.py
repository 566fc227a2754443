"""A first-time visitor finds the Logan Circle huddle near 20009, RSVPs without an account,
gets the confirmation by real SMTP and cancels from the manage link."""

from __future__ import annotations

import re
from typing import Any

import pytest

from actlocal.events.models import RSVP, Event
from tests.conftest import message_text
from tests.factories.events import EventFactory
from tests.factories.local import OpenCampaignFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_finds_logan_circle_huddle_rsvps_and_cancels(
    page: Any, live_server: Any, smtp_server: Any, settings: Any
) -> None:
    settings.ACTLOCAL_BASE_URL = live_server.url
    campaign = OpenCampaignFactory()
    huddle = EventFactory(
        campaign=campaign,
        title="Logan Circle Huddle: Hear Our Voice",
        slug="logan-circle-huddle",
        venue="Logan Circle",
        capacity=30,
    )
    EventFactory(title="Chicago town hall", zip_code="60601", latitude=41.886, longitude=-87.618)

    page.goto("/events/")
    page.get_by_label("ZIP code").fill("20009")
    page.get_by_label("Within (miles)").fill("5")
    page.get_by_role("button", name="Search", exact=True).click()

    results = page.locator("ol.results")
    assert results.get_by_role("link", name="Logan Circle Huddle: Hear Our Voice").is_visible()
    assert not page.get_by_text("Chicago town hall").count()
    marker = page.locator('.leaflet-marker-icon[data-event="logan-circle-huddle"]')
    marker.wait_for()
    assert marker.is_visible()
    assert page.locator("#near-map").get_attribute("data-markers") == "1"
    # No tiles in tests: the state outlines from our own static files are the background.
    page.wait_for_function(
        "() => Number(document.getElementById('near-map').dataset.outlines) >= 50"
    )
    # The marker's popup links to the same event.
    marker.click()
    popup_link = page.locator(".leaflet-popup-content a")
    assert popup_link.inner_text() == "Logan Circle Huddle: Hear Our Voice"

    results.get_by_role("link", name="Logan Circle Huddle: Hear Our Voice").click()
    page.wait_for_url(re.compile(r"/events/logan-circle-huddle/$"))
    page.get_by_label("First name").fill("Jordan")
    page.get_by_label("Email address").fill("jordan@example.net")
    page.get_by_label("ZIP code").fill("20009")
    page.get_by_role("button", name="RSVP", exact=True).click()
    page.wait_for_load_state()

    smtp_server.wait_for(1)
    (mail,) = smtp_server.to("jordan@example.net")
    text = message_text(mail)
    assert "Logan Circle Huddle" in (mail["Subject"] or "") + text
    link = re.search(r"http://\S+/rsvp/[^/\s]+/", text)
    assert link, text
    record = RSVP.objects.get(event=huddle)
    assert record.status == RSVP.Status.ACCEPTED

    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(link.group(0))
    page.get_by_role("button", name="Cancel my RSVP").click()
    page.wait_for_load_state()
    assert page.get_by_text("You cancelled this RSVP.").is_visible()
    record.refresh_from_db()
    assert record.status == RSVP.Status.CANCELLED
    huddle.refresh_from_db()
    assert huddle.seats_taken == 0
    assert Event.objects.get(pk=huddle.pk).status == Event.Status.PUBLISHED


def test_search_with_unknown_zip_shows_a_clear_message(page: Any) -> None:
    page.goto("/events/?zip=00000&radius=5")
    alert = page.locator("#search-errors")
    assert "is not a US ZIP code we know" in alert.inner_text()


def test_use_my_location_finds_the_nearest_zip(page: Any, browser: Any, live_server: Any) -> None:
    context = browser.new_context(
        base_url=live_server.url,
        geolocation={"latitude": 38.9096, "longitude": -77.0296},
        permissions=["geolocation"],
    )
    tab = context.new_page()
    EventFactory(title="Logan Circle huddle", slug="logan-circle-huddle")
    tab.goto("/events/")
    tab.get_by_role("button", name="Use my location").click()
    tab.wait_for_url(re.compile(r"zip=\d{5}"))
    assert tab.get_by_role("link", name="Logan Circle huddle").is_visible()
    context.close()
