from __future__ import annotations

import pytest

from actlocal.events import demo
from actlocal.events.models import RSVP, Event, EventHost, Invitation, Session

pytestmark = pytest.mark.django_db


def test_demo_loads_16_invite_only_city_convenings_and_is_idempotent():
    demo.load(None)
    demo.load(None)
    events = Event.objects.filter(campaign__slug="actlocal-november")
    assert events.count() == 16
    assert set(events.values_list("visibility", flat=True)) == {Event.Visibility.INVITE_ONLY}
    dc = events.get(slug="actlocal-november-washington-dc")
    assert dc.hosts.filter(user__email="host@actlocal.example", role=EventHost.Role.LEAD).exists()
    assert set(Invitation.objects.values_list("status", flat=True)) == set(Invitation.Status.values)
    assert Session.objects.filter(event=dc).count() == 6
    assert RSVP.objects.filter(status=RSVP.Status.WAITLISTED).exists()
    assert RSVP.objects.exclude(need_dietary="").exists()
    for event in events:
        confirmed = RSVP.objects.filter(event=event, status=RSVP.Status.ACCEPTED)
        assert event.seats_taken == sum(confirmed.values_list("party_size", flat=True))
        assert event.seats_taken <= event.capacity
