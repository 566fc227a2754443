"""`actlocal periodic`: the time-driven jobs, for cron or a timer (every minute is fine).

Queues due event reminders, delivers due webhook retries, and re-queues mail whose
retry time has come. Each job is idempotent, so overlapping runs do no harm.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from actlocal.common import ratelimit
from actlocal.common.models import OutboundEmail
from actlocal.common.tasks import enqueue_on_commit, send_outbound_email

JOBS = ["send_event_reminders", "deliver_webhooks"]


class Command(BaseCommand):
    help = "Run the periodic jobs once: reminders, webhook retries, mail retries, purges."

    def handle(self, *args: Any, **options: Any) -> None:
        for job in JOBS:
            call_command(job, stdout=self.stdout)
        due = list(
            OutboundEmail.objects.filter(
                status=OutboundEmail.Status.QUEUED, next_attempt_at__lte=timezone.now()
            ).values_list("pk", flat=True)
        )
        for pk in due:
            enqueue_on_commit(send_outbound_email, pk)
        self.stdout.write(f"{len(due)} mail retr(y/ies) queued")
        self.stdout.write(f"{ratelimit.purge_expired()} expired rate-limit window(s) deleted")
