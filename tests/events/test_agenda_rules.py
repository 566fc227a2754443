"""Each event decides what a room or facilitator clash does: block, warn or ignore."""

from __future__ import annotations

import datetime as dt

import pytest

from actlocal.common.models import AuditEntry
from actlocal.events.models import EventHost, Session
from actlocal.events.services import AgendaError
from actlocal.events.services.agenda import conflicts, save_session
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.events import EventFactory, EventHostFactory
from tests.factories.people import PersonFactory

pytestmark = pytest.mark.django_db


def _two_sessions(event, *, room_b: str, facilitator, second_title: str = "B"):
    start = event.starts_at
    save_session(
        event=event,
        by=None,
        title="A",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        room_name="Hall",
        facilitators=[facilitator],
    )
    return save_session(
        event=event,
        by=None,
        title=second_title,
        starts_at=start + dt.timedelta(minutes=30),
        ends_at=start + dt.timedelta(hours=2),
        room_name=room_b,
        facilitators=[facilitator],
    )


def test_blocked_room_clash_is_refused_and_nothing_is_saved():
    event = EventFactory(room_conflicts="block")
    with pytest.raises(AgendaError, match="Room Hall"):
        _two_sessions(event, room_b="Hall", facilitator=PersonFactory())
    assert list(Session.objects.filter(event=event).values_list("title", flat=True)) == ["A"]


def test_blocked_facilitator_clash_is_refused_but_a_room_clash_only_warns():
    event = EventFactory(facilitator_conflicts="block")
    fatima = PersonFactory(given_name="Fatima")
    with pytest.raises(AgendaError, match="Fatima"):
        _two_sessions(event, room_b="Annex", facilitator=fatima)
    assert Session.objects.filter(event=event).count() == 1
    _two_sessions(EventFactory(), room_b="Hall", facilitator=PersonFactory())  # default: warn


def test_ignored_rules_hide_the_warning_and_warn_rules_show_it():
    event = EventFactory(room_conflicts="ignore", facilitator_conflicts="warn")
    _two_sessions(event, room_b="Hall", facilitator=PersonFactory(given_name="Fatima"))
    warnings = conflicts(event=event)
    assert len(warnings) == 1 and "Fatima" in warnings[0]


def test_lead_host_sets_the_rules_on_the_agenda_page_audited(client):
    event = EventFactory()
    EventHostFactory(event=event, user=UserFactory(email="lead@example.org"), role="lead")
    client.login(email="lead@example.org", password=PASSWORD)
    url = f"/orga/events/{event.slug}/agenda/"
    assert "Conflict rules" in client.get(url).content.decode()
    bad = client.post(url, {"action": "rules", "room_conflicts": "maybe"})
    assert bad.status_code == 200 and "Select a valid choice" in bad.content.decode()
    response = client.post(
        url, {"action": "rules", "room_conflicts": "block", "facilitator_conflicts": "ignore"}
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.room_conflicts, event.facilitator_conflicts) == ("block", "ignore")
    entry = AuditEntry.objects.get(action="event.updated", object_id=str(event.pk))
    assert entry.changes["room_conflicts"] == ["warn", "block"]
    assert not Session.objects.filter(event=event).exists()  # no session form was submitted


def test_check_in_volunteer_cannot_change_the_rules(client):
    event = EventFactory()
    EventHostFactory(
        event=event, user=UserFactory(email="door@example.org"), role=EventHost.Role.CHECKIN
    )
    client.login(email="door@example.org", password=PASSWORD)
    response = client.post(
        f"/orga/events/{event.slug}/agenda/",
        {"action": "rules", "room_conflicts": "ignore", "facilitator_conflicts": "ignore"},
    )
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.room_conflicts == "warn"
