"""Check-in devices on bad Wi-Fi: the roster they keep offline and the batch sync."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections
from django.test import Client
from django.utils import timezone

from actlocal.common.models import AuditEntry
from actlocal.events.models import RSVP, CheckIn, Event, EventHost
from actlocal.events.services.checkin import QueuedCheckIn, sync_check_ins
from actlocal.events.services.rsvps import rsvp
from actlocal.people.models import Person
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.events import EventFactory, EventHostFactory, RSVPFactory
from tests.factories.people import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return EventFactory(
        visibility=Event.Visibility.INVITE_ONLY, capacity=10, max_guests=2, timezone="UTC"
    )


@pytest.fixture
def volunteer(event):
    user = UserFactory(email="door@example.org")
    EventHostFactory(event=event, user=user, role=EventHost.Role.CHECKIN)
    return user


@pytest.fixture
def device(volunteer):
    """A logged-in check-in device that sends the CSRF token like the page script does."""
    client = Client(enforce_csrf_checks=True)
    client.login(email="door@example.org", password=PASSWORD)
    return client


def _url(event, name=""):
    return f"/orga/events/{event.slug}/checkin/{name}"


def _post(client, event, items):
    token = client.get(_url(event, "counts/")).json()["csrf_token"]
    return client.post(
        _url(event, "sync/"),
        data=json.dumps({"check_ins": items}),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )


def _confirmed(event, given_name, **kwargs):
    record, _token = rsvp(event=event, person=PersonFactory(given_name=given_name), **kwargs)
    return record


def test_roster_lists_confirmed_attendees_only_with_minimal_data_and_is_audited(
    device, event, volunteer
):
    ana = _confirmed(event, "Ana", party_size=2)
    attended = RSVPFactory(event=event, status=RSVP.Status.ATTENDED, checked_in_at=timezone.now())
    RSVPFactory(event=event, status=RSVP.Status.WAITLISTED, waitlist_position=1)
    RSVPFactory(event=event, status=RSVP.Status.CANCELLED)
    RSVPFactory(event=event, status=RSVP.Status.DECLINED)
    RSVPFactory(status=RSVP.Status.ACCEPTED)  # another event

    response = device.get(_url(event, "roster/"))

    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    data = response.json()
    rows = {row["id"]: row for row in data["attendees"]}
    assert set(rows) == {ana.pk, attended.pk}
    assert rows[ana.pk] == {
        "id": ana.pk,
        "name": ana.person.full_name,
        "code": ana.checkin_code,
        "party_size": 2,
        "checked_in": False,
    }
    assert rows[attended.pk]["checked_in"] is True
    assert "@" not in response.content.decode()  # no email addresses leave with the list
    assert data["counts"] == {"expected": 2, "checked_in": 1}
    entry = AuditEntry.objects.get(action="attendees.exported")
    assert entry.actor == volunteer
    assert entry.object_id == str(event.pk)
    assert entry.data == {"via": "check-in device", "records": 2}


def test_roster_and_resent_batches_take_a_fixed_number_of_queries(
    device, event, django_assert_max_num_queries
):
    records = [_confirmed(event, f"Person{i}") for i in range(10)]
    with django_assert_max_num_queries(12):
        assert len(device.get(_url(event, "roster/")).json()["attendees"]) == 10
    queue = [{"client_uuid": str(uuid.uuid4()), "rsvp_id": r.pk} for r in records]
    _post(device, event, queue)
    token = device.get(_url(event, "counts/")).json()["csrf_token"]
    with django_assert_max_num_queries(16):
        again = device.post(
            _url(event, "sync/"),
            data=json.dumps({"check_ins": queue}),
            content_type="application/json",
            headers={"X-CSRFToken": token},
        )
    assert {r["status"] for r in again.json()["results"]} == {"already"}


@pytest.mark.parametrize("name", ["roster/", "counts/", "sw.js"])
def test_device_urls_answer_404_to_anonymous_and_to_a_host_of_another_event(client, event, name):
    assert client.get(_url(event, name)).status_code == 404
    other = UserFactory(email="other-host@example.org")
    EventHostFactory(user=other, role=EventHost.Role.LEAD)  # hosts a different event
    client.login(email="other-host@example.org", password=PASSWORD)
    assert client.get(_url(event, name)).status_code == 404
    assert not AuditEntry.objects.filter(action="attendees.exported").exists()


def test_sync_answers_404_to_anonymous_and_to_a_host_of_another_event(client, event):
    ana = _confirmed(event, "Ana")
    item = [{"client_uuid": str(uuid.uuid4()), "rsvp_id": ana.pk}]
    body = json.dumps({"check_ins": item})
    response = client.post(_url(event, "sync/"), body, content_type="application/json")
    assert response.status_code == 404
    other = UserFactory(email="other-host@example.org")
    EventHostFactory(user=other, role=EventHost.Role.LEAD)
    client.login(email="other-host@example.org", password=PASSWORD)
    response = client.post(_url(event, "sync/"), body, content_type="application/json")
    assert response.status_code == 404
    ana.refresh_from_db()
    assert ana.checked_in_at is None and not CheckIn.objects.exists()


def test_sync_needs_the_csrf_token(device, event):
    ana = _confirmed(event, "Ana")
    response = device.post(
        _url(event, "sync/"),
        data=json.dumps({"check_ins": [{"client_uuid": str(uuid.uuid4()), "rsvp_id": ana.pk}]}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not CheckIn.objects.exists()


def test_sync_refuses_get_and_bad_payloads(device, event):
    assert device.get(_url(event, "sync/")).status_code == 405
    token = device.get(_url(event, "counts/")).json()["csrf_token"]
    headers = {"X-CSRFToken": token}
    bad = device.post(
        _url(event, "sync/"), "not json", content_type="application/json", headers=headers
    )
    assert bad.status_code == 400
    assert _post(device, event, {"client_uuid": "x"}).status_code == 400  # not a list
    too_many = [{"client_uuid": str(uuid.uuid4()), "code": "X"}] * 501
    assert _post(device, event, too_many).status_code == 400


def test_sync_checks_in_by_id_code_and_qr_value_and_repeats_count_once(device, event, volunteer):
    ana, ben, cai = (_confirmed(event, name) for name in ("Ana", "Ben", "Cai"))
    seen = timezone.now() - dt.timedelta(minutes=30)
    queue = [
        {"client_uuid": str(uuid.uuid4()), "rsvp_id": ana.pk, "checked_at": seen.isoformat()},
        {"client_uuid": str(uuid.uuid4()), "code": ben.checkin_code.lower(), "method": "qr"},
        {"client_uuid": str(uuid.uuid4()), "code": f"ACTLOCAL:{cai.checkin_code}"},
    ]

    first = _post(device, event, queue).json()

    assert [r["status"] for r in first["results"]] == ["checked_in"] * 3
    assert [r["client_uuid"] for r in first["results"]] == [i["client_uuid"] for i in queue]
    assert first["results"][0]["message"] == f"{ana.person.full_name} is checked in."
    assert first["results"][1]["rsvp"]["id"] == ben.pk
    assert first["counts"] == {"expected": 3, "checked_in": 3}
    ana.refresh_from_db()
    assert ana.status == RSVP.Status.ATTENDED
    assert abs((ana.checked_in_at - seen).total_seconds()) < 1  # the time at the door
    assert CheckIn.objects.get(rsvp=ben).method == "sync-qr"

    again = _post(device, event, queue).json()  # the device re-sends the same outbox

    assert [r["status"] for r in again["results"]] == ["already"] * 3
    assert again["counts"] == {"expected": 3, "checked_in": 3}
    assert CheckIn.objects.count() == 3
    updates = AuditEntry.objects.filter(action="rsvp.updated", data__check_in__startswith="sync")
    assert updates.count() == 3
    runs = list(AuditEntry.objects.filter(action="checkins.synced").order_by("id"))
    assert [run.data for run in runs] == [
        {"received": 3, "checked_in": 3},
        {"received": 3, "already": 3},
    ]
    assert all(run.actor == volunteer for run in runs)


def test_the_same_person_checked_in_on_two_devices_counts_once(device, event):
    ana = _confirmed(event, "Ana")
    phone = [{"client_uuid": str(uuid.uuid4()), "rsvp_id": ana.pk}]
    tablet = [{"client_uuid": str(uuid.uuid4()), "code": ana.checkin_code}]

    assert _post(device, event, phone).json()["results"][0]["status"] == "checked_in"
    result = _post(device, event, tablet).json()

    assert result["results"][0]["status"] == "already"
    assert result["results"][0]["message"] == f"{ana.person.full_name} was already checked in."
    assert result["counts"]["checked_in"] == 1
    assert CheckIn.objects.filter(rsvp=ana).count() == 2  # both scans kept, one attendance
    assert AuditEntry.objects.filter(action="rsvp.updated", object_id=str(ana.pk)).count() == 1


def test_unknown_codes_other_events_rsvps_and_waitlisted_people_are_refused(device, event):
    elsewhere = RSVPFactory(status=RSVP.Status.ACCEPTED)
    waiting = RSVPFactory(event=event, status=RSVP.Status.WAITLISTED, waitlist_position=1)
    cancelled = RSVPFactory(event=event, status=RSVP.Status.CANCELLED)
    queue = [
        {"client_uuid": str(uuid.uuid4()), "code": "NOPE1234"},
        {"client_uuid": str(uuid.uuid4()), "rsvp_id": elsewhere.pk},
        {"client_uuid": str(uuid.uuid4()), "code": elsewhere.checkin_code},
        {"client_uuid": str(uuid.uuid4()), "rsvp_id": waiting.pk},
        {"client_uuid": str(uuid.uuid4()), "code": cancelled.checkin_code},
    ]

    results = _post(device, event, queue).json()["results"]

    assert [r["status"] for r in results] == ["unknown", "unknown", "unknown", "error", "error"]
    assert results[0]["message"] == "No RSVP for this event has this code."
    assert results[0]["rsvp"] is None
    assert "waitlisted, not confirmed" in results[3]["message"]
    assert "cancelled, not confirmed" in results[4]["message"]
    for record in (elsewhere, waiting, cancelled):
        status = record.status
        record.refresh_from_db()
        assert record.status == status and record.checked_in_at is None
    assert not CheckIn.objects.exists()
    run = AuditEntry.objects.get(action="checkins.synced")
    assert run.data == {"received": 5, "unknown": 3, "error": 2}


def test_a_client_uuid_used_at_another_event_is_refused_without_saying_whose(device, event):
    elsewhere = RSVPFactory(status=RSVP.Status.ACCEPTED)
    used = uuid.uuid4()
    CheckIn.objects.create(rsvp=elsewhere, client_uuid=used)
    ana = _confirmed(event, "Ana")

    (result,) = _post(device, event, [{"client_uuid": str(used), "rsvp_id": ana.pk}]).json()[
        "results"
    ]

    assert result["status"] == "error" and result["rsvp"] is None
    assert elsewhere.person.full_name not in result["message"]
    ana.refresh_from_db()
    assert ana.checked_in_at is None


def test_walk_in_form_with_a_client_uuid_of_another_event_reveals_nobody(client, event, volunteer):
    elsewhere = RSVPFactory(status=RSVP.Status.ACCEPTED)
    used = uuid.uuid4()
    CheckIn.objects.create(rsvp=elsewhere, client_uuid=used)
    client.login(email="door@example.org", password=PASSWORD)
    response = client.post(
        _url(event),
        {"walk_in": "1", "given_name": "Wanda", "client_uuid": str(used)},
        follow=True,
    )
    html = response.content.decode()
    assert "This check-in ID was already used elsewhere." in html
    assert elsewhere.person.full_name not in html
    assert not RSVP.objects.filter(event=event).exists()


def test_malformed_items_get_their_own_error_and_do_not_stop_the_batch(device, event):
    ana = _confirmed(event, "Ana")
    queue = [
        "just a string",
        {"rsvp_id": ana.pk},
        {"client_uuid": "not-a-uuid", "rsvp_id": ana.pk},
        {"client_uuid": str(uuid.uuid4()), "rsvp_id": "seven"},
        {"client_uuid": str(uuid.uuid4())},
        {"client_uuid": str(uuid.uuid4()), "walk_in": {"given_name": " "}},
        {"client_uuid": str(uuid.uuid4()), "walk_in": {"given_name": "Al", "email": "no"}},
        {"client_uuid": str(uuid.uuid4()), "rsvp_id": ana.pk, "checked_at": "yesterday"},
    ]

    results = _post(device, event, queue).json()["results"]

    assert [r["status"] for r in results] == ["error"] * 7 + ["checked_in"]
    assert results[1]["message"] == "Each check-in needs a client UUID."
    assert results[3]["message"] == "The RSVP id must be a number."
    assert results[5]["message"] == "A walk-in needs a first name."
    assert results[6]["message"] == "Enter a valid email address."
    assert not Person.objects.filter(given_name="Al").exists()


def test_device_clock_in_the_future_or_far_past_is_clamped(device, event):
    ana, ben = _confirmed(event, "Ana"), _confirmed(event, "Ben")
    before = timezone.now()
    _post(
        device,
        event,
        [
            {
                "client_uuid": str(uuid.uuid4()),
                "rsvp_id": ana.pk,
                "checked_at": "2099-01-01T00:00:00Z",
            },
            {"client_uuid": str(uuid.uuid4()), "rsvp_id": ben.pk, "checked_at": "2001-01-01"},
        ],
    )
    ana.refresh_from_db()
    ben.refresh_from_db()
    assert before <= ana.checked_in_at <= timezone.now()
    assert ben.checked_in_at >= before - dt.timedelta(days=2, seconds=5)


def test_walk_ins_made_offline_sync_once_even_without_an_email(device, event):
    walk_ins = [
        {
            "client_uuid": str(uuid.uuid4()),
            "walk_in": {"given_name": "Wanda", "family_name": "Walkin"},
        },
        {
            "client_uuid": str(uuid.uuid4()),
            "walk_in": {"given_name": "Xavi", "family_name": "Ruiz", "email": "xr@example.net"},
        },
    ]

    first = _post(device, event, walk_ins).json()
    again = _post(device, event, walk_ins).json()

    assert [r["status"] for r in first["results"]] == ["checked_in", "checked_in"]
    assert [r["status"] for r in again["results"]] == ["already", "already"]
    assert first["results"][0]["rsvp"]["name"] == "Wanda Walkin"
    assert first["results"][0]["rsvp"]["id"] == again["results"][0]["rsvp"]["id"]
    assert Person.objects.filter(given_name="Wanda").count() == 1
    assert RSVP.objects.filter(event=event, source="walk-in").count() == 2
    assert again["counts"] == {"expected": 2, "checked_in": 2}


def test_walk_in_when_the_event_is_full_is_an_error_and_leaves_no_seat_taken(device, event):
    event.capacity = 1
    event.save(update_fields=["capacity"])
    _confirmed(event, "Ana")
    item = {"client_uuid": str(uuid.uuid4()), "walk_in": {"given_name": "Late"}}

    (result,) = _post(device, event, [item]).json()["results"]

    assert result["status"] == "error"
    assert "The event is full" in result["message"]
    assert not RSVP.objects.filter(event=event, person__given_name="Late").exists()


def test_walk_in_form_resubmitted_with_the_same_uuid_counts_once(client, event, volunteer):
    client.login(email="door@example.org", password=PASSWORD)
    form = {"walk_in": "1", "given_name": "Wanda", "client_uuid": str(uuid.uuid4())}
    client.post(_url(event), form)
    client.post(_url(event), form)
    assert Person.objects.filter(given_name="Wanda").count() == 1
    assert client.get(_url(event)).context["counts"] == {"expected": 1, "checked_in": 1}


def test_counts_give_live_numbers_and_a_csrf_token(device, event):
    _confirmed(event, "Ana")
    RSVPFactory(event=event, status=RSVP.Status.ATTENDED, checked_in_at=timezone.now())
    data = device.get(_url(event, "counts/")).json()
    assert data["counts"] == {"expected": 2, "checked_in": 1}
    assert data["csrf_token"]
    assert not AuditEntry.objects.filter(action="attendees.exported").exists()


def test_service_worker_is_served_under_the_check_in_page(device, event):
    response = device.get(_url(event, "sw.js"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == _url(event)
    body = response.content.decode()
    assert f'"page": "{_url(event)}"' in body
    assert "/static/actlocal/js/checkin-store.js" in body


def test_check_in_page_carries_the_device_config_and_still_works_without_script(device, event):
    response = device.get(_url(event))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="checkin-offline-config"' in html
    assert 'id="checkin-device" hidden' in html  # shown only by the script
    assert response.context["offline"]["urls"]["sync"] == _url(event, "sync/")


@pytest.mark.django_db(transaction=True)
def test_devices_syncing_at_the_same_moment_count_each_person_once():
    event = EventFactory(capacity=10, timezone="UTC")
    ana = _confirmed(event, "Ana")
    walk_in_uuid = uuid.uuid4()
    batches = [
        [QueuedCheckIn(uuid.uuid4(), rsvp_id=ana.pk)],  # three devices, one person
        [QueuedCheckIn(uuid.uuid4(), code=ana.checkin_code)],
        [QueuedCheckIn(uuid.uuid4(), rsvp_id=ana.pk)],
        *[  # one device's walk-in, sent three times at once (retries after time-outs)
            [QueuedCheckIn(walk_in_uuid, walk_in={"given_name": "Wanda", "family_name": "W"})]
        ]
        * 3,
    ]
    gate = threading.Barrier(len(batches))
    lock = threading.Lock()
    statuses: list[str] = []
    errors: list[BaseException] = []

    def device(batch: list[QueuedCheckIn]) -> None:
        try:
            with contextlib.suppress(threading.BrokenBarrierError):
                gate.wait(timeout=5)
            results = sync_check_ins(event=Event.objects.get(pk=event.pk), items=batch)
            with lock:
                statuses.extend(result.status for result in results)
        except BaseException as exc:
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(batches)) as pool:
        list(pool.map(device, batches))

    assert errors == []
    assert sorted(statuses) == ["already"] * 4 + ["checked_in"] * 2
    ana.refresh_from_db()
    assert ana.status == RSVP.Status.ATTENDED
    assert AuditEntry.objects.filter(action="rsvp.updated", object_id=str(ana.pk)).count() == 1
    assert Person.objects.filter(given_name="Wanda").count() == 1
    assert RSVP.objects.filter(event=event, source="walk-in").count() == 1
    assert CheckIn.objects.filter(client_uuid=walk_in_uuid).count() == 1
    event.refresh_from_db()
    assert event.seats_taken == 2
