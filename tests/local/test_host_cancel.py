"""A host calls off their own hosted event from the host pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from actlocal.common.models import AuditEntry, OutboundEmail
from actlocal.events.models import RSVP, Event, EventHost
from actlocal.local.models import HostedEvent
from tests.factories.accounts import UserFactory
from tests.factories.events import EventFactory, EventHostFactory, RSVPFactory
from tests.factories.local import OpenCampaignFactory
from tests.factories.people import PersonFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-enough-password"


def _hosted_event() -> tuple[Event, Any]:
    event = EventFactory(campaign=OpenCampaignFactory(), status=Event.Status.PUBLISHED)
    host = UserFactory(email="rosa@example.net", password=PASSWORD)
    EventHostFactory(event=event, user=host, role=EventHost.Role.LEAD)
    HostedEvent.objects.create(
        event=event,
        host_person=PersonFactory(user=host),
        host_email=host.email,
        confirm_token_hash=HostedEvent.hash_token(f"t{event.pk}"),
    )
    return event, host


def _rsvp(event: Event, status: str) -> str:
    record = RSVPFactory(event=event, status=status)
    return str(record.person.primary_email)


def test_host_confirms_then_cancels_and_everyone_who_rsvped_hears(client: Client) -> None:
    event, host = _hosted_event()
    told = [_rsvp(event, RSVP.Status.ACCEPTED), _rsvp(event, RSVP.Status.WAITLISTED)]
    _rsvp(event, RSVP.Status.DECLINED)
    assert all(told)
    client.force_login(host)
    edit = client.get(reverse("web:host-edit", args=[event.pk])).content.decode()
    assert reverse("web:host-cancel", args=[event.pk]) in edit

    page = client.get(reverse("web:host-cancel", args=[event.pk]))
    assert page.status_code == 200
    assert "2 people have RSVPed" in page.content.decode()
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED  # looking at the page changes nothing

    response = client.post(
        reverse("web:host-cancel", args=[event.pk]), {"reason": "Rain; new date soon."}
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    mails = OutboundEmail.objects.filter(template="event_cancelled")
    assert sorted(mail.to for mail in mails) == sorted(told)
    assert all("Rain; new date soon." in mail.body_text for mail in mails)
    entry = AuditEntry.objects.get(action="event.updated", object_id=str(event.pk))
    assert entry.actor == host
    assert entry.data["reason"] == "Rain; new date soon."

    after = client.get(reverse("web:host-edit", args=[event.pk])).content.decode()
    assert "This event is cancelled" in after
    assert reverse("web:host-cancel", args=[event.pk]) not in after
    # Cancelling again neither re-sends mail nor errors.
    again = client.post(reverse("web:host-cancel", args=[event.pk]), {"reason": "x"}, follow=True)
    assert "already cancelled" in again.content.decode()
    assert OutboundEmail.objects.filter(template="event_cancelled").count() == 2


@pytest.mark.parametrize("method", ["get", "post"])
def test_someone_else_cannot_cancel_or_learn_of_the_event(client: Client, method: str) -> None:
    event, _host = _hosted_event()
    client.force_login(UserFactory(email="other@example.net"))
    response = getattr(client, method)(reverse("web:host-cancel", args=[event.pk]))
    assert response.status_code == 404
    assert event.title not in response.content.decode()
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED


def test_anonymous_visitor_is_sent_to_log_in_and_nothing_changes(client: Client) -> None:
    event, _host = _hosted_event()
    response = client.post(reverse("web:host-cancel", args=[event.pk]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED


def test_network_convenings_are_not_cancelled_through_the_host_pages(
    client: Client, staff_user: Any
) -> None:
    event = EventFactory(status=Event.Status.PUBLISHED)  # no HostedEvent: a network event
    client.force_login(staff_user)
    assert client.post(reverse("web:host-cancel", args=[event.pk])).status_code == 404
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
