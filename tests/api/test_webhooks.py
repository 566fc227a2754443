"""Webhooks: signed deliveries to a real HTTP server on loopback, retries, disabling."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.utils import timezone

from actlocal.api.models import Webhook, WebhookDelivery
from actlocal.api.services import create_webhook
from actlocal.api.webhooks import deliver, deliver_due
from actlocal.people.services import update_person, upsert_person
from tests.conftest import free_port

pytestmark = pytest.mark.django_db


@dataclass
class Receiver:
    url: str
    status: int = 200
    requests: list[tuple[dict[str, str], bytes]] = field(default_factory=list)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    port = free_port()
    state = Receiver(url=f"http://127.0.0.1:{port}/hook")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.requests.append((dict(self.headers), body))
            self.send_response(state.status)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def test_person_created_is_delivered_signed_with_hmac_sha256(
    receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    hook = create_webhook(name="CRM", url=receiver.url, event_types=["person.created"])
    with django_capture_on_commit_callbacks(execute=True):
        person, _ = upsert_person(email="hooked@example.org", fields={"given_name": "Hook"})
    assert len(receiver.requests) == 1
    headers, body = receiver.requests[0]
    expected = "sha256=" + hmac.new(hook.secret.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-ActLocal-Signature"] == expected
    payload = json.loads(body)
    assert payload["event_type"] == "person.created"
    assert f"action_network:{person.uuid}" in payload["resource"]["identifiers"]
    assert payload["resource"]["href"].endswith(f"/api/v2/people/{person.uuid}")
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "delivered" and delivery.response_code == 200


def test_only_subscribed_event_types_are_delivered(
    receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    create_webhook(name="updates", url=receiver.url, event_types=["person.updated"])
    with django_capture_on_commit_callbacks(execute=True):
        person, _ = upsert_person(email="x@example.org", fields={})
    assert receiver.requests == []
    with django_capture_on_commit_callbacks(execute=True):
        update_person(person=person, given_name="Changed")
    assert len(receiver.requests) == 1
    assert json.loads(receiver.requests[0][1])["changes"]["given_name"] == ["", "Changed"]


def test_rolled_back_change_sends_nothing(receiver: Receiver) -> None:
    create_webhook(name="CRM", url=receiver.url, event_types=["person.created"])
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        upsert_person(email="ghost@example.org", fields={})
        raise RuntimeError("boom")
    assert not WebhookDelivery.objects.exists()


def test_failed_delivery_is_retried_with_backoff_then_delivered(
    receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    receiver.status = 500
    create_webhook(name="CRM", url=receiver.url, event_types=["person.created"])
    with django_capture_on_commit_callbacks(execute=True):
        upsert_person(email="retry@example.org", fields={})
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending" and delivery.attempts == 1
    assert delivery.response_code == 500 and "HTTP 500" in delivery.last_error
    assert delivery.next_attempt_at is not None and delivery.next_attempt_at > timezone.now()
    assert deliver_due() == {}  # not due yet
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    receiver.status = 204
    assert deliver_due() == {"delivered": 1}
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.attempts == 2
    assert json.loads(receiver.requests[-1][1])["attempt"] == 2


def test_delivery_gives_up_after_max_attempts_and_hook_disabled_after_repeated_failure(
    receiver: Receiver, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.ACTLOCAL_WEBHOOK_MAX_ATTEMPTS = 2
    settings.ACTLOCAL_WEBHOOK_DISABLE_AFTER = 3
    receiver.status = 503
    hook = create_webhook(name="Flaky", url=receiver.url, event_types=["person.created"])
    with django_capture_on_commit_callbacks(execute=True):
        upsert_person(email="a1@example.org", fields={})
        upsert_person(email="a2@example.org", fields={})
    first, second = WebhookDelivery.objects.order_by("id")
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    deliver(delivery_id=first.pk)
    first.refresh_from_db()
    assert first.status == "failed" and first.attempts == 2
    hook.refresh_from_db()
    assert not hook.is_active and "3 failed" in hook.disabled_reason
    assert deliver(delivery_id=second.pk) == "disabled"
    second.refresh_from_db()
    assert second.status == "failed"


def test_unreachable_url_is_logged_as_error(django_capture_on_commit_callbacks: Any) -> None:
    create_webhook(
        name="Down", url=f"http://127.0.0.1:{free_port()}/none", event_types=["person.created"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        upsert_person(email="down@example.org", fields={})
    delivery = WebhookDelivery.objects.get()
    assert delivery.response_code is None and "ConnectionError" in delivery.last_error


def test_delivery_is_idempotent(
    receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    create_webhook(name="CRM", url=receiver.url, event_types=["person.created"])
    with django_capture_on_commit_callbacks(execute=True):
        upsert_person(email="once@example.org", fields={})
    delivery = WebhookDelivery.objects.get()
    assert deliver(delivery_id=delivery.pk) == "skipped"
    assert len(receiver.requests) == 1


def test_unknown_event_type_is_refused() -> None:
    from actlocal.api.services import ApiError

    with pytest.raises(ApiError, match="Unknown event types"):
        create_webhook(name="x", url="http://127.0.0.1/x", event_types=["person.deleted"])
    assert not Webhook.objects.exists()


def test_attendance_created_via_api_is_delivered_with_attendance_link(
    receiver: Receiver, staff_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from tests.api.conftest import api
    from tests.factories.api import make_key
    from tests.factories.events import EventFactory

    create_webhook(name="RSVPs", url=receiver.url, event_types=["attendance.created"])
    event = EventFactory()
    _key, token = make_key(staff_user, name="signup form")
    with django_capture_on_commit_callbacks(execute=True):
        response = api(token).post(
            f"/api/v2/events/{event.uuid}/attendances",
            {"person": {"email_addresses": [{"address": "rsvp@example.org"}]}},
        )
    assert response.status_code == 201
    [(_headers, body)] = receiver.requests
    payload = json.loads(body)
    assert payload["event_type"] == "attendance.created"
    assert payload["via"] == "api:signup form"
    assert f"/api/v2/events/{event.uuid}/attendances/" in payload["resource"]["href"]
