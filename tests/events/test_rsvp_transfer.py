"""An attendee gives their seat to someone else from the manage link."""

from __future__ import annotations

import re

import pytest

from actlocal.common.models import AuditEntry, OutboundEmail
from actlocal.events.models import RSVP, Event
from actlocal.events.services.rsvps import (
    RSVPError,
    rsvp,
    rsvp_for_manage_token,
    transfer_rsvp,
)
from tests.conftest import message_text
from tests.factories.events import EventFactory
from tests.factories.people import PersonFactory

pytestmark = pytest.mark.django_db


def _full_event_with_a_waitlist(django_capture_on_commit_callbacks):
    event = EventFactory(capacity=2, max_guests=1)
    with django_capture_on_commit_callbacks(execute=True):
        giver, token = rsvp(event=event, person=PersonFactory(), party_size=2)
        waiting, _ = rsvp(event=event, person=PersonFactory(), party_size=1)
    assert waiting.status == RSVP.Status.WAITLISTED
    return event, giver, token, waiting


def test_seat_passes_on_with_its_guests_and_the_waitlist_keeps_its_place(
    client, django_capture_on_commit_callbacks, smtp_server
):
    event, giver, token, waiting = _full_event_with_a_waitlist(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/rsvp/{token}/",
            {
                "action": "transfer",
                "given_name": "Rosa",
                "family_name": "Diaz",
                "email": "rosa@example.net",
            },
            follow=True,
        )
    assert "Your seat now belongs to Rosa" in response.content.decode()
    giver.refresh_from_db()
    waiting.refresh_from_db()
    event.refresh_from_db()
    new = RSVP.objects.get(event=event, person__email_addresses__address="rosa@example.net")
    assert (giver.status, new.status, new.party_size) == ("cancelled", "accepted", 2)
    assert waiting.status == RSVP.Status.WAITLISTED and waiting.waitlist_position == 1
    assert event.seats_taken == 2
    assert new.checkin_code and new.checkin_code != giver.checkin_code
    # Rosa gets her own confirmation with her own manage link, over real SMTP.
    (message,) = [m for m in smtp_server.messages if "rosa@example.net" in m["To"]]
    link = re.search(r"/rsvp/([A-Za-z0-9_-]+)/", message_text(message))
    assert link and rsvp_for_manage_token(link.group(1)) == new
    assert rsvp_for_manage_token(token) == giver  # the old link still shows "cancelled"
    moved = AuditEntry.objects.get(action="rsvp.updated", object_id=str(giver.pk))
    assert moved.data["transferred_to"] == new.uuid.hex
    assert AuditEntry.objects.get(action="rsvp.created", object_id=str(new.pk)).data == {
        "source": "transfer",
        "transferred_from": giver.uuid.hex,
    }


def test_invite_only_seats_are_personal(django_capture_on_commit_callbacks):
    event = EventFactory(capacity=5, visibility=Event.Visibility.INVITE_ONLY)
    record, _token = rsvp(event=event, person=PersonFactory(), party_size=1)
    with pytest.raises(RSVPError, match="Invitations are personal"):
        transfer_rsvp(rsvp=record, email="rosa@example.net", given_name="Rosa")
    record.refresh_from_db()
    assert record.status == RSVP.Status.ACCEPTED
    assert not RSVP.objects.exclude(pk=record.pk).exists()


def test_refused_transfers_change_nothing(django_capture_on_commit_callbacks):
    event, giver, _token, waiting = _full_event_with_a_waitlist(django_capture_on_commit_callbacks)
    waiting_email = waiting.person.primary_email
    with pytest.raises(RSVPError, match="already has an RSVP"):
        transfer_rsvp(rsvp=giver, email=waiting_email, given_name="W")
    with pytest.raises(RSVPError, match="your own email"):
        transfer_rsvp(rsvp=giver, email=giver.person.primary_email, given_name="Me")
    with pytest.raises(RSVPError, match="Only a confirmed seat"):
        transfer_rsvp(rsvp=waiting, email="rosa@example.net", given_name="Rosa")
    giver.refresh_from_db()
    event.refresh_from_db()
    assert giver.status == RSVP.Status.ACCEPTED and event.seats_taken == 2
    assert RSVP.objects.filter(event=event).count() == 2
    assert not OutboundEmail.objects.filter(to="rosa@example.net").exists()


def test_bad_form_input_is_named_and_nothing_moves(client, django_capture_on_commit_callbacks):
    _event, giver, token, _waiting = _full_event_with_a_waitlist(django_capture_on_commit_callbacks)
    data = {"action": "transfer", "given_name": "", "email": "x"}
    response = client.post(f"/rsvp/{token}/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid email address" in html and "This field is required" in html
    giver.refresh_from_db()
    assert giver.status == RSVP.Status.ACCEPTED
