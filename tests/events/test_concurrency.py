"""Capacity under concurrent RSVPs: threads, each with its own database connection."""

from __future__ import annotations

import contextlib
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections

from actlocal.events.models import RSVP, Event
from actlocal.events.services.rsvps import AlreadyAnsweredError, cancel_rsvp, rsvp, rsvp_by_email
from actlocal.people.models import EmailAddress, Person
from tests.factories.events import EventFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _people(n: int) -> list[Person]:
    people = Person.objects.bulk_create(
        [Person(given_name=f"P{i}", family_name="Racer") for i in range(n)]
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(person=p, address=f"racer{i}@example.net") for i, p in enumerate(people)]
    )
    return list(Person.objects.filter(family_name="Racer").order_by("id"))


def _race(event: Event, people: list[Person], workers: int) -> list[BaseException]:
    errors: list[BaseException] = []
    gate = threading.Barrier(workers)
    lock = threading.Lock()

    def one(person: Person) -> None:
        try:
            with contextlib.suppress(threading.BrokenBarrierError):
                gate.wait(timeout=5)
            rsvp(event=Event.objects.get(pk=event.pk), person=person, source="race")
        except BaseException as exc:
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(one, people))
    return errors


def _assert_no_oversell(event: Event, capacity: int, total: int) -> None:
    event.refresh_from_db()
    accepted = RSVP.objects.filter(event=event, status=RSVP.Status.ACCEPTED)
    waitlisted = RSVP.objects.filter(event=event, status=RSVP.Status.WAITLISTED)
    assert accepted.count() == capacity
    assert event.seats_taken == capacity
    assert waitlisted.count() == total - capacity
    positions = list(
        waitlisted.order_by("waitlist_position").values_list("waitlist_position", flat=True)
    )
    assert positions == list(range(1, total - capacity + 1))
    # Arrival (commit) order: positions grow with the order the rows were written.
    by_insert = list(waitlisted.order_by("id").values_list("waitlist_position", flat=True))
    assert by_insert == positions


def test_concurrent_rsvps_on_sqlite_never_oversell_and_raise_nothing():
    event = EventFactory(capacity=5)
    people = _people(20)
    errors = _race(event, people, workers=8)
    assert errors == []
    _assert_no_oversell(event, capacity=5, total=20)


@pytest.mark.postgres
def test_200_simultaneous_rsvps_to_50_seats_give_50_accepted_150_waitlisted_in_order():
    event = EventFactory(capacity=50)
    people = _people(200)
    errors = _race(event, people, workers=40)
    assert errors == []
    _assert_no_oversell(event, capacity=50, total=200)

    first_waiting = RSVP.objects.get(event=event, waitlist_position=1)
    leaving = RSVP.objects.filter(event=event, status=RSVP.Status.ACCEPTED).first()
    assert leaving is not None
    # Two cancels of the same RSVP race: the first on the waitlist is promoted exactly once.
    results: list[BaseException] = []

    def cancel() -> None:
        try:
            cancel_rsvp(rsvp=RSVP.objects.get(pk=leaving.pk))
        except BaseException as exc:
            results.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=cancel) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == []
    first_waiting.refresh_from_db()
    assert first_waiting.status == RSVP.Status.ACCEPTED
    assert RSVP.objects.filter(event=event, status=RSVP.Status.ACCEPTED).count() == 50
    assert RSVP.objects.filter(event=event, status=RSVP.Status.WAITLISTED).count() == 149
    second = RSVP.objects.get(event=event, waitlist_position=2)
    assert second.status == RSVP.Status.WAITLISTED
    from actlocal.common.models import OutboundEmail

    assert OutboundEmail.objects.filter(template="rsvp_promoted").count() == 1


def _at_once(calls: list, workers: int) -> tuple[list, list[BaseException]]:
    gate = threading.Barrier(workers)
    lock = threading.Lock()
    results: list = []
    errors: list[BaseException] = []

    def one(call) -> None:
        try:
            with contextlib.suppress(threading.BrokenBarrierError):
                gate.wait(timeout=5)
            outcome = call()
            with lock:
                results.append(outcome)
        except BaseException as exc:
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(one, calls))
    return results, errors


def test_the_same_new_email_sent_at_once_gives_one_person_one_rsvp_and_clean_refusals():
    event = EventFactory(capacity=10)

    def submit():
        return rsvp_by_email(
            event=Event.objects.get(pk=event.pk),
            email="double.click@example.net",
            fields={"given_name": "Rosa"},
        )

    results, errors = _at_once([submit] * 6, workers=6)
    assert len(results) == 1
    assert len(errors) == 5 and all(isinstance(e, AlreadyAnsweredError) for e in errors)
    assert Person.objects.count() == 1 and EmailAddress.objects.count() == 1
    assert RSVP.objects.get().status == RSVP.Status.ACCEPTED
    event.refresh_from_db()
    assert event.seats_taken == 1


def test_public_rsvps_racing_for_the_last_seats_never_oversell():
    event = EventFactory(capacity=10)

    def submit(i: int):
        return lambda: rsvp_by_email(
            event=Event.objects.get(pk=event.pk), email=f"racer{i}@example.net", fields={}
        )

    _results, errors = _at_once([submit(i) for i in range(30)], workers=10)
    assert errors == []
    _assert_no_oversell(event, capacity=10, total=30)
    from actlocal.common.models import AuditEntry

    # Fast-path attempts that lost the seat left no stray audit entry behind.
    assert AuditEntry.objects.filter(action="rsvp.created").count() == 30
