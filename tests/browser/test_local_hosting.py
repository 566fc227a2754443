"""A new host creates an event; it is hidden until a guide approves it; then it is found."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone

from actlocal.events.models import Event
from actlocal.local.models import GroupMembership
from tests.conftest import login, message_text
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.local import GroupMembershipFactory, OpenCampaignFactory
from tests.factories.people import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_new_host_event_waits_for_guide_then_appears_in_search_and_feed(
    page: Any, browser: Any, live_server: Any, smtp_server: Any, settings: Any
) -> None:
    settings.ACTLOCAL_BASE_URL = live_server.url
    OpenCampaignFactory(slug="hear-our-voice")
    guide = UserFactory(email="guide@example.org")
    GroupMembershipFactory(person=PersonFactory(user=guide), role=GroupMembership.Role.ORGANIZER)

    # 1. A first-time host fills the short public form.
    page.goto("/campaigns/hear-our-voice/host/")
    assert page.get_by_text("Bring your neighbors together").is_visible()
    assert page.get_by_text("Pick a public, accessible place").is_visible()
    page.get_by_label("Your name").fill("Rosa Alvarez")
    page.get_by_label("Your email").fill("rosa@example.net")
    page.get_by_label("Event title").fill("Logan Circle neighbors huddle")
    page.get_by_label("Kind of event").select_option("huddle")
    page.get_by_label("Description").fill("Inspirations, concerns and how each will contribute.")
    starts = timezone.localtime() + dt.timedelta(days=5)
    page.get_by_label("Starts (local time)").fill(starts.strftime("%Y-%m-%dT18:30"))
    page.get_by_label("Venue or place").fill("Logan Circle park")
    page.get_by_label("City").fill("Washington")
    page.get_by_label("State").select_option("DC")
    page.get_by_label("ZIP code").fill("20009")
    page.get_by_label("Is the venue accessible?").select_option("accessible")
    page.get_by_role("button", name="Submit my event").click()
    assert page.get_by_role("heading", name="Check your email").is_visible()

    # 2. The host confirms by email and gets an account.
    smtp_server.wait_for(1)
    (mail,) = smtp_server.to("rosa@example.net")
    link = re.search(r"http://\S+/host/confirm/[^/\s]+/", message_text(mail))
    assert link
    page.goto(link.group(0))
    page.get_by_label("Choose a password").fill("a-long-enough-password")
    page.get_by_role("button", name="Confirm my event").click()
    assert "waiting for a guide" in page.locator("#confirm-status").inner_text()
    event = Event.objects.get(title="Logan Circle neighbors huddle")
    assert event.status == Event.Status.PENDING

    # 3. Not public yet: not in search, not in the feed, no public page.
    page.goto("/events/?zip=20009&radius=5")
    assert page.get_by_text("Logan Circle neighbors huddle").count() == 0
    feed = page.request.get("/api/public/v1/events?zipcode=20009&max_dist=5")
    assert "Logan Circle neighbors huddle" not in feed.text()
    assert page.request.get(f"/events/{event.slug}/").status == 404

    # 4. A guide approves it from the moderation queue.
    guide_context = browser.new_context(base_url=live_server.url)
    guide_page = guide_context.new_page()
    login(guide_page, "guide@example.org", PASSWORD)
    guide_page.goto("/orga/local/moderation/")
    card = guide_page.locator(f"#review-{event.pk}")
    assert card.get_by_text("rosa@example.net").is_visible()
    card.get_by_role("button", name="Approve").click()
    assert guide_page.get_by_text("is published").is_visible()
    guide_context.close()
    smtp_server.wait_for(2)
    assert any("approved" in message_text(m) for m in smtp_server.to("rosa@example.net"))

    # 5. Now it is found: search list and map, and the public feed.
    page.goto("/events/?zip=20009&radius=5")
    assert page.get_by_role("link", name="Logan Circle neighbors huddle").is_visible()
    page.locator(f'.leaflet-marker-icon[data-event="{event.slug}"]').wait_for()
    feed = page.request.get("/api/public/v1/events?zipcode=20009&max_dist=5")
    assert feed.status == 200
    assert "Logan Circle neighbors huddle" in [e["title"] for e in feed.json()["data"]]
