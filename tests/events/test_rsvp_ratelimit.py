"""Rate limits on the public RSVP forms: per client IP and per email (or link), from settings."""

from __future__ import annotations

import pytest

from actlocal.common.models import AuditEntry, OutboundEmail
from actlocal.events.models import RSVP, Event, Invitation
from actlocal.events.services.invitations import send_invitation
from actlocal.events.services.rsvps import rsvp
from actlocal.people.models import EmailAddress, Person
from tests.factories.events import EventFactory, InvitationFactory
from tests.factories.people import PersonFactory

pytestmark = pytest.mark.django_db

MESSAGE = "Too many RSVPs from here or for this email address recently"


def _post(client, event: Event, email: str, ip: str = "203.0.113.7"):
    return client.post(
        f"/events/{event.slug}/",
        {"given_name": "Rosa", "family_name": "Diaz", "email": email, "party_size": 1},
        REMOTE_ADDR=ip,
    )


def _stored() -> tuple[int, int, int, int, int]:
    return (
        Person.objects.count(),
        EmailAddress.objects.count(),
        RSVP.objects.count(),
        OutboundEmail.objects.count(),
        AuditEntry.objects.count(),
    )


def test_rsvps_over_the_per_ip_limit_are_refused_with_a_message_and_store_nothing(client, settings):
    settings.ACTLOCAL_RSVP_LIMIT_PER_IP = 2
    event = EventFactory(capacity=50)
    assert _post(client, event, "a@example.net").status_code == 302
    assert _post(client, event, "b@example.net").status_code == 302
    before = _stored()

    response = _post(client, event, "c@example.net")

    assert response.status_code == 429
    assert MESSAGE in response.content.decode()
    assert response.context["form"].data["email"] == "c@example.net"  # the form is kept
    assert _stored() == before
    assert not EmailAddress.objects.filter(address="c@example.net").exists()
    # Another address on the network is not affected.
    assert _post(client, event, "c@example.net", ip="198.51.100.9").status_code == 302


def test_rsvps_over_the_per_email_limit_are_refused_whatever_the_ip_or_case(client, settings):
    settings.ACTLOCAL_RSVP_LIMIT_PER_EMAIL = 2
    events = [EventFactory(capacity=50) for _ in range(3)]
    assert _post(client, events[0], "rosa@example.net", ip="198.51.100.1").status_code == 302
    assert _post(client, events[1], "Rosa@Example.net", ip="198.51.100.2").status_code == 302
    before = _stored()

    response = _post(client, events[2], "ROSA@example.net", ip="198.51.100.3")

    assert response.status_code == 429
    assert MESSAGE in response.content.decode()
    assert _stored() == before
    assert not RSVP.objects.filter(event=events[2]).exists()
    assert _post(client, events[2], "other@example.net", ip="198.51.100.3").status_code == 302


def test_invalid_posts_are_not_counted_and_zero_switches_a_limit_off(client, settings):
    settings.ACTLOCAL_RSVP_LIMIT_PER_IP = 0
    settings.ACTLOCAL_RSVP_LIMIT_PER_EMAIL = 1
    event = EventFactory(capacity=50)
    bad = client.post(f"/events/{event.slug}/", {"given_name": "", "email": "rosa@example.net"})
    assert bad.status_code == 200  # a form error, not a rate limit
    for i in range(5):  # no per-IP limit at all
        assert _post(client, event, f"p{i}@example.net").status_code == 302
    assert _post(client, EventFactory(), "p0@example.net").status_code == 429


def test_default_limits_are_on():
    from django.conf import settings

    assert settings.ACTLOCAL_RSVP_LIMIT_PER_IP == 60
    assert settings.ACTLOCAL_RSVP_LIMIT_PER_EMAIL == 10
    assert settings.ACTLOCAL_RSVP_LIMIT_WINDOW == 3600


def test_manage_link_posts_are_limited_per_link_and_change_nothing(client, settings):
    settings.ACTLOCAL_RSVP_LIMIT_PER_EMAIL = 1
    event = EventFactory(capacity=5, max_guests=3)
    record, token = rsvp(event=event, person=PersonFactory())
    first = client.post(f"/rsvp/{token}/", {"action": "party_size", "party_size": 2})
    assert first.status_code == 302

    response = client.post(f"/rsvp/{token}/", {"action": "cancel"})

    assert response.status_code == 429
    assert MESSAGE in response.content.decode()
    record.refresh_from_db()
    assert (record.status, record.party_size) == (RSVP.Status.ACCEPTED, 2)
    assert client.get(f"/rsvp/{token}/").status_code == 200  # reading is never limited


def test_invitation_answers_are_limited_per_invitation_and_per_ip(client, settings):
    settings.ACTLOCAL_RSVP_LIMIT_PER_EMAIL = 1
    settings.ACTLOCAL_RSVP_LIMIT_PER_IP = 2
    event = EventFactory(visibility=Event.Visibility.INVITE_ONLY, capacity=10)
    invitation = InvitationFactory(event=event, status=Invitation.Status.PENDING)
    token = send_invitation(invitation=invitation)
    answer = {"answer": "accept", "party_size": 1}
    assert client.post(f"/invitations/{token}/", answer).status_code == 302

    response = client.post(f"/invitations/{token}/", {**answer, "answer": "decline"})

    assert response.status_code == 429
    assert MESSAGE in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert RSVP.objects.get(event=event).status == RSVP.Status.ACCEPTED
    # The per-IP count is shared with the event page's form (2 used: both posts above).
    other = EventFactory(capacity=5)
    assert _post(client, other, "new@example.net", ip="127.0.0.1").status_code == 429
    assert not RSVP.objects.filter(event=other).exists()
