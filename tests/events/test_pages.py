from __future__ import annotations

import re

import pytest
from django.core import mail

from actlocal.events.models import RSVP, Event, Invitation
from actlocal.events.services.checkin import check_in, rsvp_for_code, walk_in
from actlocal.events.services.invitations import send_invitation
from actlocal.events.services.rsvps import rsvp
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.events import (
    EventFactory,
    EventHostFactory,
    InvitationFactory,
    RSVPFactory,
    SessionFactory,
)
from tests.factories.people import PersonFactory

pytestmark = pytest.mark.django_db


def _link(pattern: str) -> str:
    body = mail.outbox[-1].body
    found = re.search(pattern, body)
    assert found, body
    return found.group(0).split("testserver")[-1].replace("http://127.0.0.1:8000", "")


def test_public_event_rsvp_without_account_confirms_and_links_to_manage_page(
    client, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=5, max_guests=1, title="Logan Circle huddle")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/events/{event.slug}/",
            {
                "given_name": "Rosa",
                "family_name": "Diaz",
                "email": "rosa@example.net",
                "party_size": 2,
                "need_interpretation": "Spanish",
            },
        )
    assert response.status_code == 302 and response.url.startswith("/rsvp/")
    record = RSVP.objects.get(event=event)
    assert (record.status, record.party_size, record.need_interpretation) == (
        "accepted",
        2,
        "Spanish",
    )
    page = client.get(response.url)
    assert "You&#x27;re confirmed" in page.content.decode()
    assert record.checkin_code in page.content.decode()
    assert mail.outbox[-1].to == ["rosa@example.net"]
    assert mail.outbox[-1].attachments[0][0] == "event.ics"


def test_rsvp_form_errors_name_the_field_and_write_nothing(client):
    event = EventFactory(capacity=5, max_guests=1)
    response = client.post(
        f"/events/{event.slug}/", {"given_name": "", "email": "not-an-email", "party_size": 3}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"given_name", "email", "party_size"}
    assert not RSVP.objects.exists()


def test_second_rsvp_with_same_email_is_refused_without_changing_the_first(client):
    event = EventFactory(capacity=5)
    data = {"given_name": "Rosa", "email": "rosa@example.net", "party_size": 1}
    client.post(f"/events/{event.slug}/", data)
    response = client.post(f"/events/{event.slug}/", {**data, "need_other": "sneaky"})
    assert "already has an RSVP" in response.content.decode()
    assert RSVP.objects.get().need_other == ""


def test_manage_page_cancel_frees_the_seat_and_promotes(client):
    event = EventFactory(capacity=1)
    _first, token = rsvp(event=event, person=PersonFactory())
    waiting, _ = rsvp(event=event, person=PersonFactory())
    response = client.post(f"/rsvp/{token}/", {"action": "cancel"})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == RSVP.Status.ACCEPTED


def test_manage_page_party_size_error_is_shown_and_nothing_changes(client):
    event = EventFactory(capacity=1, max_guests=2)
    _record, token = rsvp(event=event, person=PersonFactory())
    response = client.post(
        f"/rsvp/{token}/", {"action": "party_size", "party_size": 3}, follow=True
    )
    assert "more seat" in response.content.decode()
    assert RSVP.objects.get().party_size == 1


def test_invitation_link_accept_with_needs_then_decline(client, django_capture_on_commit_callbacks):
    event = EventFactory(visibility=Event.Visibility.INVITE_ONLY, capacity=10)
    invitation = InvitationFactory(event=event, status=Invitation.Status.PENDING)
    token = send_invitation(invitation=invitation)
    response = client.post(
        f"/invitations/{token}/",
        {"answer": "accept", "party_size": 1, "need_childcare": "on"},
    )
    assert response.status_code == 302
    record = RSVP.objects.get(event=event)
    assert record.status == RSVP.Status.ACCEPTED and record.need_childcare
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    client.post(f"/invitations/{token}/", {"answer": "decline", "party_size": 1})
    record.refresh_from_db()
    event.refresh_from_db()
    assert record.status == RSVP.Status.DECLINED and event.seats_taken == 0


def test_resending_an_invitation_invalidates_the_old_link(client):
    invitation = InvitationFactory(status=Invitation.Status.PENDING)
    old = send_invitation(invitation=invitation)
    new = send_invitation(invitation=invitation)
    assert client.get(f"/invitations/{old}/").status_code == 404
    assert client.get(f"/invitations/{new}/").status_code == 200


def test_event_ics_has_vtimezone_and_hides_private_street(client):
    event = EventFactory(
        timezone="America/Denver", address_line="12 Home St", address_is_private=True
    )
    body = client.get(f"/events/{event.slug}/event.ics").content.decode()
    assert "BEGIN:VTIMEZONE" in body and "TZID:America/Denver" in body
    assert "12 Home St" not in body


def test_check_in_is_idempotent_by_client_uuid_and_by_person():
    import uuid

    event = EventFactory(capacity=5)
    record, _ = rsvp(event=event, person=PersonFactory())
    found = rsvp_for_code(event=event, code=record.qr_value)
    assert found == record
    device = uuid.uuid4()
    _, first = check_in(rsvp=record, client_uuid=device)
    _, again = check_in(rsvp=record, client_uuid=device)
    _, other_device = check_in(rsvp=record, client_uuid=uuid.uuid4())
    assert (first, again, other_device) == (True, False, False)
    record.refresh_from_db()
    assert record.status == RSVP.Status.ATTENDED and record.checkins.count() == 2


def test_walk_in_takes_a_seat_and_is_refused_when_full():
    from actlocal.events.services.errors import CheckInError

    event = EventFactory(capacity=1)
    walked = walk_in(event=event, given_name="Walk", family_name="In")
    assert walked.status == RSVP.Status.ATTENDED
    with pytest.raises(CheckInError, match="full"):
        walk_in(event=event, given_name="Late", email="late@example.net")
    assert not RSVP.objects.filter(person__given_name="Late", status="attended").exists()


def test_waitlisted_people_never_appear_in_attendee_lists(client):
    event = EventFactory(capacity=1)
    host = UserFactory(email="h@example.org")
    EventHostFactory(event=event, user=host)
    rsvp(event=event, person=PersonFactory(given_name="Seated"))
    rsvp(event=event, person=PersonFactory(given_name="Waiting"))
    RSVP.objects.update(share_attendance=True)
    public = client.get(f"/events/{event.slug}/").content.decode()
    assert "Seated" in public and "Waiting" not in public
    client.login(email="h@example.org", password=PASSWORD)
    listing = client.get(f"/orga/events/{event.slug}/")
    assert [r.person.given_name for r in listing.context["page"].object_list] == ["Seated"]


def test_attendance_sharing_is_opt_in(client):
    event = EventFactory(capacity=5)
    rsvp(event=event, person=PersonFactory(given_name="Private"))
    assert "Private" not in client.get(f"/events/{event.slug}/").content.decode()


def test_needs_summary_is_for_hosts_only(client):
    event = EventFactory(capacity=5)
    rsvp(event=event, person=PersonFactory(given_name="Needy"), needs={"dietary": "halal"})
    host = UserFactory(email="h@example.org")
    EventHostFactory(event=event, user=host)
    UserFactory(email="x@example.org")
    client.login(email="x@example.org", password=PASSWORD)
    assert client.get(f"/orga/events/{event.slug}/").status_code == 404
    assert "halal" not in client.get(f"/events/{event.slug}/").content.decode()
    client.login(email="h@example.org", password=PASSWORD)
    page = client.get(f"/orga/events/{event.slug}/")
    assert page.context["needs"]["counts"]["dietary"] == 1
    assert "halal" in page.content.decode()


def test_agenda_conflicts_warn_for_same_room_and_facilitator(client):
    from actlocal.events.services.agenda import conflicts, save_session

    event = EventFactory()
    facilitator = PersonFactory(given_name="Fatima", family_name="Fac")
    start = event.starts_at
    import datetime as dt

    save_session(
        event=event,
        by=None,
        title="A",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        room_name="Hall",
        facilitators=[facilitator],
    )
    save_session(
        event=event,
        by=None,
        title="B",
        starts_at=start + dt.timedelta(minutes=30),
        ends_at=start + dt.timedelta(hours=2),
        room_name="Hall",
        facilitators=[facilitator],
    )
    save_session(
        event=event,
        by=None,
        title="C",
        starts_at=start + dt.timedelta(hours=2),
        ends_at=start + dt.timedelta(hours=3),
        room_name="Hall",
    )
    warnings = conflicts(event=event)
    assert len(warnings) == 2
    assert any("Hall" in w for w in warnings) and any("Fatima" in w for w in warnings)


# --- query counts: constant regardless of the number of attendees ---------------------


def _grow(event, n):
    for _ in range(n):
        RSVPFactory(event=event, share_attendance=True, need_dietary="vegan")


@pytest.mark.parametrize("path", ["/events/{slug}/", "/events/{slug}/agenda/"])
def test_event_page_and_agenda_queries_do_not_grow_with_attendees(
    client, django_assert_max_num_queries, path
):
    event = EventFactory(capacity=500)
    for _ in range(3):
        SessionFactory(event=event)
    _grow(event, 3)
    client.get(path.format(slug=event.slug))
    with django_assert_max_num_queries(12) as small:
        client.get(path.format(slug=event.slug))
    _grow(event, 60)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(path.format(slug=event.slug))


def test_attendee_list_queries_do_not_grow_with_attendees(client, django_assert_max_num_queries):
    event = EventFactory(capacity=500)
    host = UserFactory(email="h@example.org")
    EventHostFactory(event=event, user=host)
    client.login(email="h@example.org", password=PASSWORD)
    _grow(event, 3)
    client.get(f"/orga/events/{event.slug}/")
    with django_assert_max_num_queries(30) as small:
        client.get(f"/orga/events/{event.slug}/")
    _grow(event, 60)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(f"/orga/events/{event.slug}/")


def test_attendee_picks_sessions_with_capacity_from_the_manage_link(client):
    event = EventFactory(visibility=Event.Visibility.INVITE_ONLY, capacity=10)
    small = SessionFactory(event=event, title="Small workshop", capacity=1)
    _first, token = rsvp(event=event, person=PersonFactory())
    _second, token2 = rsvp(event=event, person=PersonFactory())
    page = client.get(f"/rsvp/{token}/")
    assert "Small workshop" in page.content.decode()  # agenda shown to the attendee
    client.post(f"/rsvp/{token}/", {"action": "sessions", "session": [small.pk]})
    assert small.choices.count() == 1
    response = client.post(
        f"/rsvp/{token2}/", {"action": "sessions", "session": [small.pk]}, follow=True
    )
    assert "is full" in response.content.decode()
    assert small.choices.count() == 1
    ics = client.get(f"/rsvp/{token}/event.ics").content.decode()
    assert "BEGIN:VEVENT" in ics
