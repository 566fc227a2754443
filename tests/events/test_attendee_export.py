"""Hosts download everyone who answered: registered vs attended, needs; audited; private."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from actlocal.common.models import AuditEntry
from actlocal.events.models import RSVP, Event, EventHost
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.events import EventFactory, EventHostFactory, RSVPFactory
from tests.factories.people import PersonFactory, PhoneNumberFactory

pytestmark = pytest.mark.django_db


def _rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


@pytest.fixture
def event() -> Event:
    event = EventFactory(
        visibility=Event.Visibility.INVITE_ONLY, capacity=10, timezone="America/Chicago"
    )
    EventHostFactory(event=event, user=UserFactory(email="lead@example.org"), role="lead")
    return event


def test_host_gets_every_answer_with_attendance_needs_and_an_audit_entry(client, event):
    came = PersonFactory(given_name="Ana", family_name="Zed")
    PhoneNumberFactory(person=came)
    RSVPFactory(
        event=event,
        person=came,
        status=RSVP.Status.ATTENDED,
        checked_in_at=dt.datetime(2026, 12, 12, 15, 5, tzinfo=dt.UTC),
        need_dietary="vegetarian",
        need_childcare=True,
    )
    RSVPFactory(event=event, person=PersonFactory(given_name="Bo", family_name="Yu"))
    RSVPFactory(
        event=event,
        person=PersonFactory(given_name="=HYPERLINK(1)", family_name="Cy"),
        status=RSVP.Status.WAITLISTED,
        waitlist_position=1,
    )
    RSVPFactory(event=event, status=RSVP.Status.CANCELLED)
    RSVPFactory(event=EventFactory(), person=PersonFactory(given_name="Elsewhere"))

    client.login(email="lead@example.org", password=PASSWORD)
    response = client.get(f"/orga/events/{event.slug}/attendees.csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "private, no-store"
    rows = _rows(response)
    assert [r["status"] for r in rows] == ["attended", "accepted", "waitlisted", "cancelled"]
    ana = rows[0]
    assert (ana["given_name"], ana["phone"], ana["need_dietary"], ana["need_childcare"]) == (
        "Ana",
        came.phone_numbers.get().number,
        "vegetarian",
        "yes",
    )
    assert ana["checked_in_at"] == "2026-12-12 09:05"  # the event's time zone (Chicago)
    assert ana["email"] == came.primary_email
    assert rows[2]["given_name"] == "'=HYPERLINK(1)"  # a formula becomes text
    assert rows[2]["waitlist_position"] == "1"
    assert "Elsewhere" not in response.content.decode()
    entry = AuditEntry.objects.get(action="attendees.exported", object_id=str(event.pk))
    assert entry.data == {"rows": 4, "format": "csv"}
    assert entry.actor.email == "lead@example.org"


@pytest.mark.parametrize("who", ["anonymous", "host of another event", "invited guest"])
def test_nobody_else_learns_the_list_or_that_the_event_exists(client, event, who):
    RSVPFactory(event=event, person=PersonFactory(given_name="Secretname"))
    if who == "host of another event":
        EventHostFactory(
            event=EventFactory(), user=UserFactory(email="x@example.org"), role=EventHost.Role.LEAD
        )
        client.login(email="x@example.org", password=PASSWORD)
    elif who == "invited guest":
        user = UserFactory(email="guest@example.org")
        RSVPFactory(event=event, person=PersonFactory(user=user))
        client.login(email="guest@example.org", password=PASSWORD)
    response = client.get(f"/orga/events/{event.slug}/attendees.csv")
    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert "/accounts/login/" in response["Location"]
    assert "Secretname" not in response.content.decode()
    assert not AuditEntry.objects.filter(action="attendees.exported").exists()
