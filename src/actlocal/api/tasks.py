"""Background work of the API app: thin, idempotent, taking ids."""

from __future__ import annotations

from django_tasks import task


@task()
def deliver_webhook(delivery_id: int) -> str:
    from actlocal.api.webhooks import deliver

    return deliver(delivery_id=delivery_id)


@task()
def deliver_due_webhooks() -> dict[str, int]:
    from actlocal.api.webhooks import deliver_due

    return deliver_due()
