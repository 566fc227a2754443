from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest

from actlocal.events.models import RSVP, Event, Invitation
from tests.conftest import login, message_text
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.events import CampaignFactory, EventFactory, EventHostFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_host_builds_agenda_invites_three_one_accepts_by_email_and_is_checked_in_by_qr(
    page, browser, live_server, smtp_server, settings
):
    settings.ACTLOCAL_BASE_URL = live_server.url
    tz = ZoneInfo("America/Chicago")
    campaign = CampaignFactory(name="ActLocal November", slug="actlocal-november")
    event = EventFactory(
        campaign=campaign,
        title="ActLocal November: Chicago",
        slug="actlocal-november-chicago",
        visibility=Event.Visibility.INVITE_ONLY,
        city="Chicago",
        state="IL",
        zip_code="60601",
        timezone="America/Chicago",
        capacity=50,
        starts_at=dt.datetime(2030, 12, 12, 9, 0, tzinfo=tz),
        ends_at=dt.datetime(2030, 12, 12, 17, 0, tzinfo=tz),
    )
    host = UserFactory(email="host@example.org", full_name="Hana Host")
    EventHostFactory(event=event, user=host)
    login(page, "host@example.org", PASSWORD)

    # 1. The host builds the agenda.
    page.goto(f"/orga/events/{event.slug}/agenda/")
    session_form = page.locator("#session-form")
    session_form.get_by_label("Title").fill("Organizing 101")
    session_form.get_by_label("Starts").fill("2030-12-12T10:00")
    session_form.get_by_label("Ends").fill("2030-12-12T11:00")
    session_form.get_by_label("Room").fill("Hall A")
    session_form.get_by_role("button", name="Add session").click()
    assert page.get_by_role("cell", name="10:00–11:00").is_visible()
    assert event.sessions.get().room.name == "Hall A"

    # 2. The host invites three people by pasted emails.
    page.goto(f"/orga/events/{event.slug}/invitations/")
    page.get_by_label("Email addresses").fill(
        "ana@example.net, Ana, Lopez\nben@example.net, Ben, Okafor\ncai@example.net, Cai, Wu"
    )
    page.get_by_role("button", name="Invite", exact=True).click()
    assert page.get_by_text("3 people invited.").is_visible()
    smtp_server.wait_for(3)
    assert Invitation.objects.filter(event=event, status="sent").count() == 3

    # 3. Ana accepts through the link in her email, without an account.
    (mail,) = smtp_server.to("ana@example.net")
    link = re.search(r"http://\S+/invitations/\S+/", message_text(mail)).group(0)
    guest = browser.new_context()
    invitee = guest.new_page()
    invitee.goto(link)
    assert invitee.get_by_role("heading", name="ActLocal November: Chicago").is_visible()
    invitee.get_by_label("Yes, I will come").check()
    invitee.get_by_label("Dietary needs").fill("vegetarian")
    invitee.get_by_role("button", name="Send my answer").click()
    assert invitee.get_by_text("You're confirmed").first.is_visible()
    code = invitee.get_by_test_id("checkin-code").inner_text().strip()
    guest.close()
    record = RSVP.objects.get(event=event, person__email_addresses__address="ana@example.net")
    assert record.status == RSVP.Status.ACCEPTED and record.need_dietary == "vegetarian"
    smtp_server.wait_for(4)  # the confirmation

    # 4. The host checks her in by the QR code's value.
    page.goto(f"/orga/events/{event.slug}/checkin/")
    assert page.locator("input[name=client_uuid]").first.input_value()  # set by the page script
    page.get_by_label("QR code value or check-in code").fill(f"ACTLOCAL:{code}")
    page.get_by_role("button", name="Check in", exact=True).click()
    assert page.get_by_text("Ana Lopez is checked in.").is_visible()
    assert page.get_by_test_id("checked-in-count").inner_text() == "1"
    # Scanning twice records once.
    page.get_by_label("QR code value or check-in code").fill(f"ACTLOCAL:{code}")
    page.get_by_role("button", name="Check in", exact=True).click()
    assert page.get_by_test_id("checked-in-count").inner_text() == "1"

    # 5. The campaign dashboard shows the counts.
    page.goto(f"/orga/campaigns/{campaign.slug}/")
    assert page.get_by_test_id("total-invited").inner_text() == "3"
    assert page.get_by_test_id("total-accepted").inner_text() == "1"
    assert page.get_by_test_id("total-checked-in").inner_text() == "1"
    chart = page.get_by_role("img", name="Invitations, confirmed RSVPs and check-ins per city")
    assert chart.is_visible()
