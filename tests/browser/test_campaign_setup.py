"""Browser flow: staff set up a branded campaign, share a document, add a pre-filled city event."""

from __future__ import annotations

from typing import Any

import pytest

from actlocal.events.models import Campaign, CampaignDocument, Event
from tests.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40


def test_staff_creates_campaign_uploads_document_and_adds_prefilled_event(
    page: Any, live_server: Any, staff_user: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    login(page, staff_user.email, "correct-horse-battery-staple")
    page.goto("/orga/campaigns/")
    page.get_by_role("link", name="New campaign").click()
    page.locator("#id_name").fill("ActLocal Spring")
    page.locator("#id_starts_on").fill("2027-04-10")
    page.locator("#id_ends_on").fill("2027-04-11")
    page.locator("#id_brand_color").fill("#fde047")
    page.get_by_role("button", name="Create campaign").click()
    assert page.get_by_text("contrast of only 1.3:1").is_visible()

    page.locator("#id_brand_color").fill("#7c2d12")
    page.locator("#id_logo_file").set_input_files(
        files=[{"name": "logo.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.locator("#id_default_capacity").fill("75")
    page.locator("#id_default_start_time").fill("10:00")
    page.locator("#id_default_end_time").fill("16:00")
    page.locator("#id_default_contact_email").fill("spring@example.org")
    page.get_by_role("button", name="Create campaign").click()
    page.wait_for_url("**/orga/campaigns/actlocal-spring/")
    assert page.get_by_role("heading", name="ActLocal Spring").is_visible()
    campaign = Campaign.objects.get(slug="actlocal-spring")
    assert campaign.brand_color == "#7c2d12" and campaign.logo

    page.get_by_role("link", name="Shared documents").click()
    page.get_by_label("Title").fill("Host guide")
    page.get_by_label("File").set_input_files(
        files=[{"name": "guide.txt", "mimeType": "text/plain", "buffer": b"Welcome, hosts!\n"}]
    )
    page.get_by_role("button", name="Upload").click()
    assert page.get_by_text("Document shared with the host committees.").is_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Host guide").click()
    download = download_info.value
    assert download.suggested_filename == "host-guide.txt"
    assert CampaignDocument.objects.filter(campaign=campaign).count() == 1

    page.goto("/orga/campaigns/actlocal-spring/")
    page.get_by_role("link", name="Add a city event").click()
    assert page.locator("#id_capacity").input_value() == "75"
    assert page.locator("#id_starts_at").input_value() == "2027-04-10T10:00"
    assert page.locator("#id_ends_at").input_value() == "2027-04-10T16:00"
    assert page.locator("#id_contact_email").input_value() == "spring@example.org"
    assert page.locator("#id_timezone").input_value() == ""
    page.locator("#id_title").fill("Spring convening Denver")
    page.locator("#id_city").fill("Denver")
    page.locator("#id_state").fill("CO")
    page.locator("#id_zip_code").fill("80202")
    page.get_by_role("button", name="Create event").click()
    page.wait_for_url("**/hosts/")
    event = Event.objects.get(title="Spring convening Denver")
    assert event.campaign == campaign and event.capacity == 75
    assert event.timezone == "America/Denver"
    assert event.contact_email == "spring@example.org"
