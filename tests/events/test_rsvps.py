from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from actlocal.common.models import AuditEntry, OutboundEmail
from actlocal.events.models import RSVP, Event
from actlocal.events.services.rsvps import (
    AlreadyAnsweredError,
    RSVPError,
    cancel_rsvp,
    change_party_size,
    rsvp,
    rsvp_by_email,
    rsvp_for_manage_token,
)
from actlocal.people.models import EmailAddress, Person
from tests.factories.events import EventFactory
from tests.factories.people import PersonFactory

pytestmark = pytest.mark.django_db


def test_rsvp_accepts_and_takes_seats_and_returns_a_manage_token(
    django_capture_on_commit_callbacks,
):
    event = EventFactory(capacity=10, max_guests=2)
    person = PersonFactory()
    with django_capture_on_commit_callbacks(execute=True):
        record, token = rsvp(event=event, person=person, party_size=3)
    assert record.status == RSVP.Status.ACCEPTED
    assert token and rsvp_for_manage_token(token) == record
    assert record.manage_token_hash != token  # stored hashed
    event.refresh_from_db()
    assert event.seats_taken == 3
    assert AuditEntry.objects.filter(action="rsvp.created", object_id=str(record.pk)).exists()
    assert OutboundEmail.objects.filter(template="rsvp_confirmed").count() == 1


def test_rsvp_again_updates_and_never_duplicates():
    event = EventFactory(capacity=10, max_guests=3)
    person = PersonFactory()
    first, _token = rsvp(event=event, person=person, party_size=1)
    second, token2 = rsvp(event=event, person=person, party_size=2, needs={"dietary": "vegan"})
    assert first.pk == second.pk and token2 is None
    assert RSVP.objects.filter(event=event).count() == 1
    second.refresh_from_db()
    assert second.party_size == 2 and second.need_dietary == "vegan"
    event.refresh_from_db()
    assert event.seats_taken == 2


def test_rsvp_when_event_full_goes_to_waitlist(django_capture_on_commit_callbacks):
    event = EventFactory(capacity=1)
    rsvp(event=event, person=PersonFactory())
    with django_capture_on_commit_callbacks(execute=True):
        record, _ = rsvp(event=event, person=PersonFactory())
        other, _ = rsvp(event=event, person=PersonFactory())
    assert record.status == RSVP.Status.WAITLISTED
    assert (record.waitlist_position, other.waitlist_position) == (1, 2)
    assert OutboundEmail.objects.filter(template="rsvp_waitlisted").count() == 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": Event.Status.CANCELLED}, "cancelled"),
        ({"status": Event.Status.DRAFT}, "not open"),
        (
            {
                "starts_at": timezone.now() - dt.timedelta(days=2),
                "ends_at": timezone.now() - dt.timedelta(days=1),
            },
            "over",
        ),
    ],
)
def test_rsvp_refused_for_closed_events(changes, message):
    event = EventFactory(**changes)
    with pytest.raises(RSVPError, match=message):
        rsvp(event=event, person=PersonFactory())
    assert not RSVP.objects.exists()


def test_rsvp_refuses_bad_party_size_naming_the_limit():
    event = EventFactory(capacity=10, max_guests=1)
    with pytest.raises(RSVPError, match="at most 2"):
        rsvp(event=event, person=PersonFactory(), party_size=3)
    with pytest.raises(RSVPError, match="at least 1"):
        rsvp(event=event, person=PersonFactory(), party_size=0)
    assert not RSVP.objects.exists()


def test_cancel_promotes_waitlist_in_order_and_emails_the_promoted_person(
    django_capture_on_commit_callbacks,
):
    event = EventFactory(capacity=2)
    a, _ = rsvp(event=event, person=PersonFactory())
    rsvp(event=event, person=PersonFactory())
    w1, _ = rsvp(event=event, person=PersonFactory())
    w2, _ = rsvp(event=event, person=PersonFactory())
    with django_capture_on_commit_callbacks(execute=True):
        cancel_rsvp(rsvp=a)
    w1.refresh_from_db()
    w2.refresh_from_db()
    assert w1.status == RSVP.Status.ACCEPTED
    assert w2.status == RSVP.Status.WAITLISTED
    promoted = OutboundEmail.objects.filter(template="rsvp_promoted")
    assert [m.to for m in promoted] == [w1.person.primary_email]
    event.refresh_from_db()
    assert event.seats_taken == 2


def test_party_waits_as_one_entry_until_all_its_seats_are_free():
    event = EventFactory(capacity=3, max_guests=2)
    a, _ = rsvp(event=event, person=PersonFactory())
    b, _ = rsvp(event=event, person=PersonFactory())
    rsvp(event=event, person=PersonFactory())
    party, _ = rsvp(event=event, person=PersonFactory(), party_size=3)
    later, _ = rsvp(event=event, person=PersonFactory())
    cancel_rsvp(rsvp=a)
    party.refresh_from_db()
    later.refresh_from_db()
    # One seat free: the party of 3 keeps waiting and nobody overtakes it.
    assert party.status == later.status == RSVP.Status.WAITLISTED
    cancel_rsvp(rsvp=b)
    party.refresh_from_db()
    assert party.status == RSVP.Status.WAITLISTED
    event.refresh_from_db()
    assert event.seats_taken == 1


def test_cancelling_after_promotion_passes_the_seat_on():
    event = EventFactory(capacity=1)
    a, _ = rsvp(event=event, person=PersonFactory())
    w1, _ = rsvp(event=event, person=PersonFactory())
    w2, _ = rsvp(event=event, person=PersonFactory())
    cancel_rsvp(rsvp=a)
    w1.refresh_from_db()
    cancel_rsvp(rsvp=w1)
    w2.refresh_from_db()
    assert w2.status == RSVP.Status.ACCEPTED


def test_leaving_the_waitlist_frees_no_seat_and_keeps_order():
    event = EventFactory(capacity=1)
    rsvp(event=event, person=PersonFactory())
    w1, _ = rsvp(event=event, person=PersonFactory())
    cancel_rsvp(rsvp=w1)
    event.refresh_from_db()
    assert event.seats_taken == 1
    w1.refresh_from_db()
    assert w1.status == RSVP.Status.CANCELLED


def test_growing_party_beyond_free_seats_is_refused_and_unchanged():
    event = EventFactory(capacity=2, max_guests=3)
    record, _ = rsvp(event=event, person=PersonFactory())
    rsvp(event=event, person=PersonFactory())
    with pytest.raises(RSVPError, match="seat"):
        change_party_size(rsvp=record, party_size=2)
    record.refresh_from_db()
    assert record.party_size == 1


def test_shrinking_party_promotes_the_waitlist():
    event = EventFactory(capacity=3, max_guests=2)
    big, _ = rsvp(event=event, person=PersonFactory(), party_size=3)
    w, _ = rsvp(event=event, person=PersonFactory())
    change_party_size(rsvp=big, party_size=2)
    w.refresh_from_db()
    assert w.status == RSVP.Status.ACCEPTED


def test_manage_token_lookup_rejects_unknown_tokens():
    assert rsvp_for_manage_token("nope") is None
    assert rsvp_for_manage_token("") is None


def test_waiting_party_that_shrinks_is_promoted_when_it_now_fits():
    event = EventFactory(capacity=2, max_guests=2)
    rsvp(event=event, person=PersonFactory())
    party, _ = rsvp(event=event, person=PersonFactory(), party_size=3)
    assert party.status == RSVP.Status.WAITLISTED
    change_party_size(rsvp=party, party_size=1)
    party.refresh_from_db()
    assert party.status == RSVP.Status.ACCEPTED
    event.refresh_from_db()
    assert event.seats_taken == 2


def test_rsvp_by_email_creates_person_and_rsvp_with_one_audit_entry_each(
    django_capture_on_commit_callbacks,
):
    event = EventFactory(capacity=10)
    with django_capture_on_commit_callbacks(execute=True):
        record, token = rsvp_by_email(
            event=event,
            email="  Rosa@Example.net ",
            fields={"given_name": "Rosa", "family_name": "Diaz", "postal_code": "20009"},
            needs={"dietary": "vegan"},
            share_attendance=True,
        )
    assert token and record.status == RSVP.Status.ACCEPTED
    assert record.share_attendance and record.need_dietary == "vegan"
    assert record.person.given_name == "Rosa"
    assert EmailAddress.objects.get(person=record.person).address == "rosa@example.net"
    actions = sorted(AuditEntry.objects.values_list("action", flat=True))
    assert actions == ["person.created", "rsvp.created"]  # no second "rsvp.updated"
    created = AuditEntry.objects.get(action="rsvp.created")
    assert created.changes["share_attendance"] == [None, True]
    assert OutboundEmail.objects.get().to == "rosa@example.net"
    event.refresh_from_db()
    assert event.seats_taken == 1


def test_rsvp_by_email_refuses_an_active_rsvp_and_stores_nothing():
    event = EventFactory(capacity=10)
    first, _token = rsvp_by_email(
        event=event, email="rosa@example.net", fields={"given_name": "Rosa", "family_name": ""}
    )
    entries, mails = AuditEntry.objects.count(), OutboundEmail.objects.count()
    with pytest.raises(AlreadyAnsweredError, match="already has an RSVP"):
        rsvp_by_email(
            event=event,
            email="ROSA@example.net",
            fields={"given_name": "Rosa", "family_name": "Filled-in"},
            party_size=1,
        )
    person = Person.objects.get()
    assert person.family_name == ""  # the upsert was rolled back with the refusal
    assert (AuditEntry.objects.count(), OutboundEmail.objects.count()) == (entries, mails)
    assert RSVP.objects.get() == first


def test_rsvp_by_email_after_cancelling_comes_back_through_the_locked_path():
    event = EventFactory(capacity=1)
    first, _token = rsvp_by_email(event=event, email="rosa@example.net", fields={})
    cancel_rsvp(rsvp=first)
    again, token = rsvp_by_email(event=event, email="rosa@example.net", fields={})
    assert again.pk == first.pk and token
    assert again.status == RSVP.Status.ACCEPTED
    event.refresh_from_db()
    assert event.seats_taken == 1


def test_fast_path_that_loses_the_last_seat_leaves_nothing_behind_and_waitlists(
    django_capture_on_commit_callbacks,
):
    event = EventFactory(capacity=1)
    stale = Event.objects.get(pk=event.pk)  # still shows the seat as free
    rsvp(event=event, person=PersonFactory())
    late = PersonFactory()
    with django_capture_on_commit_callbacks(execute=True):
        record, _token = rsvp(event=stale, person=late)
    assert record.status == RSVP.Status.WAITLISTED and record.waitlist_position == 1
    assert RSVP.objects.filter(person=late).count() == 1
    assert AuditEntry.objects.filter(action="rsvp.created", object_id=str(record.pk)).count() == 1
    to_late = OutboundEmail.objects.filter(to=late.primary_email)
    assert list(to_late.values_list("template", flat=True)) == ["rsvp_waitlisted"]
    event.refresh_from_db()
    assert (event.seats_taken, event.waitlist_counter) == (1, 1)


@pytest.mark.django_db(transaction=True)
def test_database_task_backend_queues_the_mail_task_with_the_transaction(settings):
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    # django-tasks resets its backends when TASKS changes (and again when restored).
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    event = EventFactory(capacity=5)

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        rsvp_by_email(event=event, email="gone@example.net", fields={})
        assert DBTaskResult.objects.count() == 1  # written inside the transaction
        raise Abort
    assert not DBTaskResult.objects.exists() and not OutboundEmail.objects.exists()

    record, _token = rsvp_by_email(event=event, email="rosa@example.net", fields={})
    assert record.status == RSVP.Status.ACCEPTED
    email = OutboundEmail.objects.get()
    task = DBTaskResult.objects.get()
    assert task.args_kwargs["args"] == [email.pk]
    assert email.status == OutboundEmail.Status.QUEUED  # the worker sends it later


def test_public_rsvp_post_runs_a_fixed_small_number_of_queries(
    client, settings, django_assert_max_num_queries
):
    settings.ACTLOCAL_RSVP_LIMIT_PER_IP = 0
    settings.ACTLOCAL_RSVP_LIMIT_PER_EMAIL = 0
    event = EventFactory(capacity=100)
    data = {"given_name": "Rosa", "email": "rosa@example.net", "party_size": 1}
    # Event, email lookup, person + email + audit, RSVP + audit, outbox, seat claim and
    # savepoints; here also the cold content-type and "any webhook?" caches (3 queries).
    with django_assert_max_num_queries(18):
        response = client.post(f"/events/{event.slug}/", data)
    assert response.status_code == 302
    assert RSVP.objects.get(event=event).status == RSVP.Status.ACCEPTED


def test_rsvp_by_email_finds_an_address_stored_in_another_case_by_a_bulk_import():
    event = EventFactory(capacity=10)
    person = PersonFactory(email=None)
    # bulk_create skips save(), which lowercases: matching must follow the unique index.
    EmailAddress.objects.bulk_create([EmailAddress(person=person, address="Mixed@Example.net")])
    record, _token = rsvp_by_email(event=event, email="mixed@example.NET", fields={})
    assert record.person == person
    assert Person.objects.count() == 1 and EmailAddress.objects.count() == 1


def test_attendee_qr_is_a_full_qr_code_that_camera_scanners_read(client):
    import re

    import segno

    event = EventFactory(capacity=5)
    _record, token = rsvp(event=event, person=PersonFactory())
    svg = client.get(f"/rsvp/{token}/qr.svg").content.decode()
    width = int(re.search(r'width="(\d+)"', svg).group(1))
    # scale 6 with the quiet zone: a Micro QR (M4, 17 modules + 2x2) would be 126 px;
    # the smallest full QR (21 modules + 2x4) is 174 px.
    assert width >= (21 + 8) * 6
    assert segno.make("ACTLOCAL:ABCDEFGH", error="m").is_micro  # what segno.make would do
