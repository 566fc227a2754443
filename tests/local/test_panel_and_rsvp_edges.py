from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from actlocal.events.models import RSVP, Event
from actlocal.local.models import HostedEvent
from tests.factories.events import EventFactory, EventHostFactory
from tests.factories.people import PersonFactory

pytestmark = pytest.mark.django_db


def test_dashboard_panel_shows_queue_to_staff(client: Client, staff_user: Any) -> None:
    EventFactory(status=Event.Status.PENDING)
    client.force_login(staff_user)
    html = client.get(reverse("orga:dashboard")).content.decode()
    assert "Events waiting for review" in html
    assert reverse("orga:local-moderation") in html


def test_dashboard_panel_links_a_host_to_the_huddle_toolkit(client: Client) -> None:
    host = EventHostFactory()
    HostedEvent.objects.create(
        event=host.event,
        host_person=PersonFactory(),
        host_email="h@example.net",
        confirm_token_hash="x" * 64,
    )
    client.force_login(host.user)
    html = client.get(reverse("orga:dashboard")).content.decode()
    assert reverse("orga:local-toolkit", args=[host.event.pk]) in html


def _rsvp(client: Client, event: Event, email: str) -> Any:
    return client.post(
        reverse("web:event", args=[event.slug]),
        {"given_name": "Sam", "email": email, "postal_code": "20009", "party_size": "1"},
        follow=True,
    )


def test_rsvp_to_a_full_huddle_goes_to_the_waitlist_and_never_overfills(client: Client) -> None:
    event = EventFactory(capacity=1)
    _rsvp(client, event, "first@example.net")
    response = _rsvp(client, event, "second@example.net")
    assert "waitlist" in response.content.decode().lower()
    event.refresh_from_db()
    assert event.seats_taken == 1
    assert RSVP.objects.get(person__email_addresses__address="second@example.net").status == (
        RSVP.Status.WAITLISTED
    )


def test_rsvp_to_a_cancelled_huddle_stores_nothing(client: Client) -> None:
    event = EventFactory(status=Event.Status.CANCELLED)
    page = client.get(reverse("web:event", args=[event.slug])).content.decode()
    assert "cancel" in page.lower()
    _rsvp(client, event, "late@example.net")
    assert not RSVP.objects.exists()


def test_repeated_rsvp_by_the_same_email_makes_one_rsvp(client: Client) -> None:
    event = EventFactory()
    _rsvp(client, event, "same@example.net")
    _rsvp(client, event, "SAME@example.net")
    assert RSVP.objects.filter(event=event).count() == 1
