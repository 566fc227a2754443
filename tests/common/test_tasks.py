"""The database task backend and `actlocal worker`, as production runs them."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import transaction

from actlocal.common import mail
from actlocal.common.models import OutboundEmail

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_tasks(settings):
    # django-tasks resets its backends when TASKS changes (and again when restored).
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_worker_batch_sends_queued_mail_once_even_if_run_twice(database_tasks, smtp_server):
    from django_tasks_db.models import DBTaskResult

    with transaction.atomic():
        email = mail.queue_mail(
            to="leader@example.org", template="password_reset", context={"link": "http://x/"}
        )
    assert DBTaskResult.objects.count() == 1
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.QUEUED  # nothing sent before the worker runs

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    smtp_server.wait_for(1)
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT

    # The same task run again (e.g. after a worker crash) does not send twice.
    assert mail.deliver(email_id=email.pk) == "skipped"
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    assert len(smtp_server.messages) == 1
