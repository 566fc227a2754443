"""Check-in on a bad connection, in a real browser: the volunteer loses the network, keeps
checking people in from the list on the device, and the queue syncs once when it is back."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from actlocal.events.models import RSVP, CheckIn, Event, EventHost
from actlocal.events.services.rsvps import rsvp
from actlocal.people.models import Person
from tests.conftest import login
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.events import EventFactory, EventHostFactory
from tests.factories.people import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

READ_OUTBOX = """async (slug) => {
  const db = await ActLocalCheckinStore.open(slug);
  return ActLocalCheckinStore.all(db, "outbox");
}"""
READ_ATTENDEES = """async (slug) => {
  const db = await ActLocalCheckinStore.open(slug);
  return ActLocalCheckinStore.all(db, "attendees");
}"""
REFILL_OUTBOX = """async ([slug, items]) => {
  const db = await ActLocalCheckinStore.open(slug);
  for (const item of items) { await ActLocalCheckinStore.put(db, "outbox", item); }
}"""


def _confirmed(event: Event, given: str, family: str) -> RSVP:
    record, _token = rsvp(event=event, person=PersonFactory(given_name=given, family_name=family))
    return record


def test_volunteer_checks_in_offline_and_the_queue_counts_once_when_back_online(page):
    event = EventFactory(
        title="ActLocal November: Tulsa",
        visibility=Event.Visibility.INVITE_ONLY,
        capacity=20,
        timezone="UTC",
    )
    volunteer = UserFactory(email="door@example.org", full_name="Dora Door")
    EventHostFactory(event=event, user=volunteer, role=EventHost.Role.CHECKIN)
    ana = _confirmed(event, "Ana", "Lopez")
    ben = _confirmed(event, "Ben", "Okafor")
    _confirmed(event, "Cai", "Wu")  # does not come
    url = f"/orga/events/{event.slug}/checkin/"

    login(page, "door@example.org", PASSWORD)
    page.goto(url)
    status = page.get_by_test_id("network-status")
    pending = page.get_by_test_id("pending-count")
    live = page.get_by_test_id("checkin-live")
    expect(status).to_have_text("Online.")
    expect(page.locator("#checkin-roster")).to_contain_text("3 people on this device")
    assert page.evaluate("navigator.serviceWorker.ready.then(r => Boolean(r.active))")

    page.context.set_offline(True)
    expect(status).to_contain_text("Offline")

    # 1. By name, from the list on the device.
    page.get_by_label("Find by name or code").fill("lóp")  # accents do not matter
    page.get_by_role("button", name="Check in: Ana Lopez").click()
    expect(live).to_have_text("Ana Lopez: checked in on this device, waiting to sync.")
    # 2. By the QR code's value, through the page's own form.
    page.get_by_label("QR code value or check-in code").fill(f"ACTLOCAL:{ben.checkin_code}")
    page.get_by_role("button", name="Check in", exact=True).click()
    expect(live).to_have_text("Ben Okafor: checked in on this device, waiting to sync.")
    # 3. A walk-in.
    page.get_by_label("First name").fill("Wanda")
    page.get_by_label("Last name").fill("Walkin")
    page.get_by_role("button", name="Add and check in").click()
    expect(live).to_have_text("Walk-in Wanda Walkin: saved on this device, waiting to sync.")
    expect(pending).to_have_text("3 check-ins waiting to sync")
    assert not CheckIn.objects.exists()

    # The page itself keeps working offline (served by the service worker).
    page.reload()
    expect(pending).to_have_text("3 check-ins waiting to sync")
    expect(page.get_by_test_id("checked-in-count")).to_have_text("0")
    page.get_by_label("Find by name or code").fill("ana")
    expect(page.locator("#checkin-results li")).to_contain_text("waiting to sync")
    page.get_by_label("Find by name or code").fill(ben.checkin_code)
    expect(page.locator("#checkin-results li")).to_contain_text("Ben Okafor")
    queue = page.evaluate(READ_OUTBOX, event.slug)
    assert len(queue) == 3

    # Back online: the queue syncs by itself and the server's counts come back.
    page.context.set_offline(False)
    expect(pending).to_have_text("All check-ins are synced.")
    expect(status).to_have_text("Online.")
    expect(page.get_by_test_id("checked-in-count")).to_have_text("3")
    expect(page.get_by_test_id("expected-count")).to_have_text("4")
    assert CheckIn.objects.count() == 3
    ana.refresh_from_db()
    assert ana.status == RSVP.Status.ATTENDED
    assert Person.objects.filter(given_name="Wanda", family_name="Walkin").count() == 1
    page.get_by_label("Find by name or code").fill("wanda")
    expect(page.locator("#checkin-results li")).to_contain_text("checked in")

    # The same queue sent again (say the answer was lost on the way) changes nothing.
    page.evaluate(REFILL_OUTBOX, [event.slug, queue])
    page.get_by_role("button", name="Sync now").click()
    expect(pending).to_have_text("All check-ins are synced.")
    expect(live).to_contain_text("Ana Lopez was already checked in.")
    expect(live).to_contain_text("Wanda Walkin was already checked in.")
    expect(page.get_by_test_id("checked-in-count")).to_have_text("3")
    assert CheckIn.objects.count() == 3
    assert Person.objects.filter(given_name="Wanda").count() == 1
    assert RSVP.objects.filter(event=event, checked_in_at__isnull=False).count() == 3

    # After the event the list is removed from the phone.
    page.get_by_role("button", name="Remove the attendee list from this device").click()
    expect(live).to_have_text("The attendee list is removed from this device.")
    expect(page.locator("#checkin-roster")).to_contain_text("not on this device")
    assert page.evaluate(READ_ATTENDEES, event.slug) == []


def test_when_the_server_cannot_be_reached_check_ins_wait_on_the_device(page):
    """Bad Wi-Fi often still looks online: failed requests switch the page to the outbox,
    and a form the service worker could not deliver is kept too."""
    event = EventFactory(visibility=Event.Visibility.INVITE_ONLY, capacity=20, timezone="UTC")
    volunteer = UserFactory(email="door@example.org")
    EventHostFactory(event=event, user=volunteer, role=EventHost.Role.CHECKIN)
    ana = _confirmed(event, "Ana", "Lopez")
    ben = _confirmed(event, "Ben", "Okafor")
    cai = _confirmed(event, "Cai", "Wu")
    url = f"/orga/events/{event.slug}/checkin/"
    login(page, "door@example.org", PASSWORD)
    page.goto(url)
    expect(page.locator("#checkin-roster")).to_contain_text("3 people on this device")
    assert page.evaluate("navigator.serviceWorker.ready.then(r => Boolean(r.active))")
    page.reload()  # now the service worker controls the page
    assert page.evaluate("Boolean(navigator.serviceWorker.controller)")
    pending = page.get_by_test_id("pending-count")

    # The form's POST never reaches the server: the worker keeps it, and the page sends it.
    def drop_posts(route):
        if route.request.method == "POST":
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.context.route(f"**{url}", drop_posts)
    page.get_by_label("QR code value or check-in code").fill(cai.checkin_code)
    page.get_by_role("button", name="Check in", exact=True).click()
    page.context.unroute(f"**{url}")
    expect(page).to_have_url(f"{url}?queued=1")
    expect(page.get_by_test_id("checked-in-count")).to_have_text("1")
    expect(pending).to_have_text("All check-ins are synced.")
    cai.refresh_from_db()
    assert cai.checked_in_at is not None

    # The JSON calls fail while the browser still says it is online.
    page.route("**/checkin/counts/", lambda route: route.abort("connectionrefused"))
    page.route("**/checkin/sync/", lambda route: route.abort("connectionrefused"))
    page.get_by_label("Find by name or code").fill("Ana")
    page.get_by_role("button", name="Check in: Ana Lopez").click()
    expect(page.get_by_test_id("network-status")).to_have_text(
        "The server cannot be reached: check-ins are kept on this device."
    )
    page.get_by_label("QR code value or check-in code").fill(ben.checkin_code)
    page.get_by_role("button", name="Check in", exact=True).click()  # kept, not posted
    expect(pending).to_have_text("2 check-ins waiting to sync")
    assert CheckIn.objects.count() == 1

    # The server is back but fails on the batch: nothing is lost.
    page.route("**/sync/", lambda route: route.fulfill(status=500, body="Server Error"))
    page.unroute("**/checkin/counts/")
    page.unroute("**/checkin/sync/")
    page.get_by_role("button", name="Sync now").click()
    expect(page.get_by_test_id("checkin-live")).to_have_text(
        "Sending failed: the check-ins stay on this device and are sent again shortly."
    )
    expect(pending).to_have_text("2 check-ins waiting to sync")
    page.unroute("**/sync/")
    page.get_by_role("button", name="Sync now").click()
    expect(pending).to_have_text("All check-ins are synced.")
    expect(page.get_by_test_id("checked-in-count")).to_have_text("3")
    ana.refresh_from_db()
    ben.refresh_from_db()
    assert ana.checked_in_at is not None and ben.checked_in_at is not None
    assert CheckIn.objects.count() == 3
