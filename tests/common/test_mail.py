from __future__ import annotations

import pytest
from django.db import transaction

from actlocal.common import mail
from actlocal.common.models import OutboundEmail
from tests.conftest import free_port, message_text
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _queue(**kwargs):
    with transaction.atomic():
        return mail.queue_mail(
            to="leader@example.org",
            template="account_invitation",
            context={
                "invitation": None,
                "inviter": None,
                "link": "http://x/invite/abc/",
                "days": 14,
            },
            **kwargs,
        )


def test_queued_mail_is_sent_after_commit_with_text_and_html(smtp_server):
    email = _queue()
    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "leader@example.org"
    assert message["Subject"] == "You are invited to ActLocal"
    assert "http://x/invite/abc/" in message_text(message)
    assert "http://x/invite/abc/" in message.get_body(preferencelist=("html",)).get_content()
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert email.attempts == 1
    assert email.sent_at is not None


def test_nothing_is_sent_when_the_transaction_rolls_back(smtp_server):
    with pytest.raises(RuntimeError), transaction.atomic():
        mail.queue_mail(
            to="leader@example.org",
            template="password_reset",
            context={"link": "http://x/"},
        )
        raise RuntimeError("the service failed")
    assert OutboundEmail.objects.count() == 0
    assert smtp_server.messages == []


def test_sending_twice_delivers_once(smtp_server):
    email = _queue()
    smtp_server.wait_for(1)
    assert mail.deliver(email_id=email.pk) == "skipped"
    assert len(smtp_server.messages) == 1


def test_dedupe_key_queues_a_message_only_once(smtp_server):
    first = _queue(dedupe_key="reminder:day:1")
    second = _queue(dedupe_key="reminder:day:1")
    assert first is not None and second is None
    smtp_server.wait_for(1)
    assert OutboundEmail.objects.count() == 1


def test_unreachable_smtp_server_is_retried_then_marked_failed(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # nothing listens there
    settings.EMAIL_TIMEOUT = 2
    settings.ACTLOCAL_MAIL_MAX_ATTEMPTS = 2
    email = _queue()
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.QUEUED
    assert email.attempts == 1
    assert email.next_attempt_at is not None
    assert "refused" in email.last_error.lower() or email.last_error

    assert mail.deliver(email_id=email.pk) == "failed"
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.FAILED
    assert email.attempts == 2


def test_staff_retry_a_failed_message_from_the_outbox(client, smtp_server):
    email = OutboundEmail.objects.create(
        to="leader@example.org",
        subject="Hello",
        body_text="Hi",
        status=OutboundEmail.Status.FAILED,
        attempts=5,
        last_error="timed out",
    )
    client.force_login(UserFactory(is_staff=True))
    page = client.get("/orga/outbox/?status=failed")
    assert b"timed out" in page.content
    response = client.post(f"/orga/outbox/{email.pk}/retry/")
    assert response.status_code == 302
    smtp_server.wait_for(1)
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT


def test_outbox_is_staff_only(client):
    client.force_login(UserFactory())
    assert client.get("/orga/outbox/").status_code == 403


def test_periodic_job_sends_mail_whose_retry_time_has_come(smtp_server):
    import datetime as dt

    from django.core.management import call_command
    from django.utils import timezone

    due = OutboundEmail.objects.create(
        to="due@example.org",
        subject="Due",
        body_text="Hi",
        attempts=1,
        next_attempt_at=timezone.now() - dt.timedelta(minutes=1),
    )
    later = OutboundEmail.objects.create(
        to="later@example.org",
        subject="Later",
        body_text="Hi",
        attempts=1,
        next_attempt_at=timezone.now() + dt.timedelta(hours=1),
    )
    call_command("periodic")
    smtp_server.wait_for(1)
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.status == OutboundEmail.Status.SENT
    assert later.status == OutboundEmail.Status.QUEUED
    assert [m["To"] for m in smtp_server.messages] == ["due@example.org"]
