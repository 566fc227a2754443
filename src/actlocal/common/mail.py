"""Mail as a service: render text + HTML templates into the outbox; a task sends.

``queue_mail`` is called inside a service's transaction; sending happens
after commit in the background, with retries and backoff.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from actlocal.common.models import OutboundEmail
from actlocal.common.tasks import enqueue_on_commit, send_outbound_email

logger = logging.getLogger(__name__)

# Seconds to wait before attempt n+1 (n = attempts so far).
BACKOFF_SECONDS = (60, 300, 1800, 7200, 21600)


def queue_mail(
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    attachments: Sequence[dict[str, str]] = (),
    reply_to: str = "",
    language: str | None = None,
    dedupe_key: str | None = None,
    headers: dict[str, str] | None = None,
) -> OutboundEmail | None:
    """Render ``mail/<template>.{subject,txt,html}`` and queue it for ``to``.

    With a ``dedupe_key`` the same message is queued at most once (returns None
    the second time): reminders and confirmations are never sent twice.
    """
    base_context = {"base_url": settings.ACTLOCAL_BASE_URL, **context}
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        subject = render_to_string(f"mail/{template}.subject", base_context).strip()
        body_text = render_to_string(f"mail/{template}.txt", base_context)
        body_html = render_to_string(f"mail/{template}.html", base_context)
    email = OutboundEmail(
        to=to,
        subject=" ".join(subject.split())[:255],
        body_text=body_text,
        body_html=body_html,
        template=template,
        attachments=list(attachments),
        reply_to=reply_to,
        headers=headers or {},
        dedupe_key=dedupe_key,
    )
    if dedupe_key:
        if OutboundEmail.objects.filter(dedupe_key=dedupe_key).exists():
            return None
        try:
            with transaction.atomic():  # a savepoint only where a duplicate can collide
                email.save(force_insert=True)
        except IntegrityError:
            return None
    else:
        email.save(force_insert=True)
    enqueue_on_commit(send_outbound_email, email.pk)
    return email


def deliver(*, email_id: int) -> str:
    """Send one queued message; safe to run twice (a sent message is not resent)."""
    with transaction.atomic():
        email = OutboundEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status not in {
            OutboundEmail.Status.QUEUED,
            OutboundEmail.Status.SENDING,
        }:
            return "skipped"
        email.status = OutboundEmail.Status.SENDING
        email.attempts += 1
        email.save(update_fields=["status", "attempts"])

    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        reply_to=[email.reply_to] if email.reply_to else None,
        headers=email.headers or None,
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    try:
        message.send()
    except Exception as exc:  # any transport failure is retried
        logger.warning(
            "mail %s to %s failed (attempt %s): %s", email.pk, email.to, email.attempts, exc
        )
        return _schedule_retry(email, str(exc))
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=OutboundEmail.Status.SENT,
        sent_at=timezone.now(),
        last_error="",
        next_attempt_at=None,
    )
    return "sent"


def _schedule_retry(email: OutboundEmail, error: str) -> str:
    if email.attempts >= settings.ACTLOCAL_MAIL_MAX_ATTEMPTS:
        OutboundEmail.objects.filter(pk=email.pk).update(
            status=OutboundEmail.Status.FAILED, last_error=error[:2000], next_attempt_at=None
        )
        return "failed"
    delay = BACKOFF_SECONDS[min(email.attempts - 1, len(BACKOFF_SECONDS) - 1)]
    when = timezone.now() + dt.timedelta(seconds=delay)
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=OutboundEmail.Status.QUEUED, last_error=error[:2000], next_attempt_at=when
    )
    enqueue_on_commit(send_outbound_email, email.pk, run_after=when)
    return "retry"


def retry_now(*, email: OutboundEmail) -> None:
    """Staff action: put a failed message back in the queue."""
    from actlocal.common.audit import log_action

    with transaction.atomic():
        OutboundEmail.objects.filter(pk=email.pk).update(
            status=OutboundEmail.Status.QUEUED, next_attempt_at=None
        )
        log_action("mail.retry", obj=email)
        enqueue_on_commit(send_outbound_email, email.pk)
