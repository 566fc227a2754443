"""Background tasks of the common app, and the one way to enqueue after commit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import router, transaction
from django_tasks import task
from django_tasks.base import Task


def enqueue_on_commit(
    task_obj: Task[Any, Any], *args: Any, run_after: dt.datetime | None = None, **kwargs: Any
) -> None:
    """Enqueue ``task_obj`` once the current transaction commits (now, outside one).

    With the database backend on the same database the task row is written inside
    the transaction instead: no worker can see it before the commit, it is rolled
    back with the transaction, and it saves a second commit per request.
    """

    def _enqueue() -> None:
        target = task_obj
        if run_after is not None:
            if not task_obj.get_backend().supports_defer:
                # The immediate backend cannot wait; `actlocal send-queued-mail` and the
                # scheduled sweeps pick such work up later.
                return
            target = task_obj.using(run_after=run_after)
        target.enqueue(*args, **kwargs)

    if _enqueues_in_transaction(task_obj):
        _enqueue()
    else:
        transaction.on_commit(_enqueue)


def _enqueues_in_transaction(task_obj: Task[Any, Any]) -> bool:
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(task_obj.get_backend(), DatabaseBackend):
        return False
    return bool(transaction.get_connection(router.db_for_write(DBTaskResult)).in_atomic_block)


@task()
def send_outbound_email(email_id: int) -> str:
    from actlocal.common.mail import deliver

    return deliver(email_id=email_id)
