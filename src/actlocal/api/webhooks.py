"""Webhooks: audit entries become signed POSTs to partners' URLs, with retries and a log.

The audit log is the extension seam: every service writes an entry in its
transaction, so a post_save receiver sees every change however it was made
(page, API, CLI, task) and the deliveries commit or roll back with it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import time
from typing import Any

import requests
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from actlocal.api.models import Webhook, WebhookDelivery
from actlocal.common.models import AuditEntry
from actlocal.common.tasks import enqueue_on_commit

ACTION_TO_EVENT_TYPE = {
    "person.created": Webhook.EventType.PERSON_CREATED,
    "person.updated": Webhook.EventType.PERSON_UPDATED,
    "rsvp.created": Webhook.EventType.ATTENDANCE_CREATED,
    "rsvp.updated": Webhook.EventType.ATTENDANCE_UPDATED,
    "event.created": Webhook.EventType.EVENT_CREATED,
    "event.updated": Webhook.EventType.EVENT_UPDATED,
    "submission.created": Webhook.EventType.SUBMISSION_CREATED,
}
RESOURCE_PATHS = {
    "person": "people/{uuid}",
    "event": "events/{uuid}",
    "rsvp": "events/{event_uuid}/attendances/{uuid}",
    "submission": "forms/{form_uuid}/submissions/{uuid}",
}
SIGNATURE_HEADER = "X-ActLocal-Signature"
TIMEOUT_SECONDS = 10


def max_attempts() -> int:
    return int(getattr(settings, "ACTLOCAL_WEBHOOK_MAX_ATTEMPTS", 5))


def disable_after() -> int:
    """Consecutive failed attempts (across deliveries) after which a webhook is switched off."""
    return int(getattr(settings, "ACTLOCAL_WEBHOOK_DISABLE_AFTER", 10))


def backoff(attempt: int) -> dt.timedelta:
    """1 min, 4 min, 16 min, 64 min ... after the 1st, 2nd, 3rd ... failed attempt."""
    return dt.timedelta(minutes=4 ** max(0, attempt - 1))


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _resource(entry: AuditEntry) -> dict[str, Any]:
    """Identifiers and the API link of the changed record (receivers fetch it with their key)."""
    content_type = entry.content_type
    model = content_type.model_class() if content_type is not None else None
    obj = model._default_manager.filter(pk=entry.object_id).first() if model else None
    if obj is None or not hasattr(obj, "uuid"):
        return {"type": content_type.model if content_type is not None else None}
    kind = obj._meta.model_name
    template = RESOURCE_PATHS.get(kind or "")
    path = None
    if template:
        path = template.format(
            uuid=obj.uuid,
            event_uuid=getattr(getattr(obj, "event", None), "uuid", ""),
            form_uuid=getattr(getattr(obj, "form", None), "uuid", ""),
        )
    base = settings.ACTLOCAL_BASE_URL.rstrip("/")
    return {
        "type": kind,
        "identifiers": [f"actlocal:{obj.uuid}", f"action_network:{obj.uuid}"],
        "href": f"{base}/api/v2/{path}" if path else None,
    }


# "No active webhook" is remembered briefly per process: a bulk import writes one audit
# entry per row and must not query the webhooks table each time when nobody listens.
# When webhooks exist they are always read fresh (a deleted one is never referenced).
# The services forget the answer on change; other processes see a new webhook within
# HOOK_CACHE_SECONDS.
HOOK_CACHE_SECONDS = 5.0
_none_active_since: float | None = None


def _active_hooks() -> list[tuple[int, list[str]]]:
    global _none_active_since
    now = time.monotonic()
    if _none_active_since is not None and now - _none_active_since < HOOK_CACHE_SECONDS:
        return []
    rows = Webhook.objects.filter(is_active=True).values_list("pk", "event_types")
    hooks = [(pk, list(types)) for pk, types in rows]
    _none_active_since = None if hooks else now
    return hooks


def forget_active_hooks() -> None:
    global _none_active_since
    _none_active_since = None


def on_audit_entry(sender: Any, instance: AuditEntry, created: bool, **kwargs: Any) -> None:
    """post_save receiver on AuditEntry: queue a delivery per subscribed webhook."""
    if not created or kwargs.get("raw"):
        return
    event_type = ACTION_TO_EVENT_TYPE.get(instance.action)
    if event_type is None:
        return
    hook_ids = [pk for pk, types in _active_hooks() if event_type in types]
    if not hook_ids:
        return
    payload = {
        "event_type": str(event_type),
        "occurred_at": instance.created_at.astimezone(dt.UTC).isoformat(),
        "resource": _resource(instance),
        "changes": instance.changes,
        "via": instance.via,
        "audit_entry": instance.pk,
    }
    for hook_id in hook_ids:
        delivery = WebhookDelivery.objects.create(
            webhook_id=hook_id, event_type=str(event_type), payload=payload
        )
        from actlocal.api.tasks import deliver_webhook

        enqueue_on_commit(deliver_webhook, delivery.pk)


def deliver(*, delivery_id: int) -> str:
    """One attempt at one delivery; idempotent (a delivered or claimed one is left alone)."""
    delivery = WebhookDelivery.objects.select_related("webhook").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != WebhookDelivery.Status.PENDING:
        return "skipped"
    now = timezone.now()
    if delivery.next_attempt_at is not None and delivery.next_attempt_at > now:
        return "not due"
    hook = delivery.webhook
    if not hook.is_active:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=WebhookDelivery.Status.FAILED, last_error="webhook disabled"
        )
        return "disabled"
    claimed = WebhookDelivery.objects.filter(
        pk=delivery.pk, status=WebhookDelivery.Status.PENDING, attempts=delivery.attempts
    ).update(attempts=delivery.attempts + 1, next_attempt_at=None)
    if not claimed:
        return "skipped"
    attempt = delivery.attempts + 1
    body = json.dumps(
        {**delivery.payload, "delivery": delivery.pk, "attempt": attempt}, sort_keys=True
    ).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "ActLocal-Webhooks/1",
        "X-ActLocal-Event": delivery.event_type,
        "X-ActLocal-Delivery": str(delivery.pk),
        SIGNATURE_HEADER: sign(hook.secret, body),
    }
    code: int | None = None
    error = ""
    try:
        response = requests.post(
            hook.url, data=body, headers=headers, timeout=TIMEOUT_SECONDS, allow_redirects=False
        )
        code = response.status_code
        if not 200 <= code < 300:
            error = f"HTTP {code}: {response.text[:200]}"
    except requests.RequestException as exc:
        error = f"{type(exc).__name__}: {exc}"[:500]
    _record_outcome(delivery=delivery, attempt=attempt, code=code, error=error)
    return "delivered" if not error else "failed"


def _record_outcome(
    *, delivery: WebhookDelivery, attempt: int, code: int | None, error: str
) -> None:
    from actlocal.api.tasks import deliver_webhook

    now = timezone.now()
    with transaction.atomic():
        hook = Webhook.objects.select_for_update().get(pk=delivery.webhook_id)
        fields: dict[str, Any] = {"response_code": code, "last_error": error}
        if not error:
            fields.update(status=WebhookDelivery.Status.DELIVERED, delivered_at=now)
            hook.consecutive_failures = 0
        else:
            hook.consecutive_failures += 1
            if attempt >= max_attempts():
                fields["status"] = WebhookDelivery.Status.FAILED
            else:
                fields["next_attempt_at"] = now + backoff(attempt)
            if hook.consecutive_failures >= disable_after() and hook.is_active:
                hook.is_active = False
                hook.disabled_reason = f"{hook.consecutive_failures} failed attempts in a row"
                from actlocal.common.audit import log_action

                log_action("webhook.disabled", obj=hook, data={"reason": hook.disabled_reason})
                transaction.on_commit(forget_active_hooks)
        hook.save(
            update_fields=["consecutive_failures", "is_active", "disabled_reason", "modified_at"]
        )
        WebhookDelivery.objects.filter(pk=delivery.pk).update(**fields)
        if "next_attempt_at" in fields:
            # The immediate backend cannot wait: then `actlocal deliver-webhooks` picks it up.
            enqueue_on_commit(deliver_webhook, delivery.pk, run_after=fields["next_attempt_at"])


def due_deliveries() -> list[int]:
    now = timezone.now()
    return list(
        WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("created_at")
        .values_list("pk", flat=True)[:1000]
    )


def deliver_due() -> dict[str, int]:
    """The sweep: attempt every delivery that is due (run by cron or the worker)."""
    counts: dict[str, int] = {}
    for pk in due_deliveries():
        outcome = deliver(delivery_id=pk)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts
