"""`actlocal send-event-reminders`: queue the reminders due now (run it from cron every
few minutes, or let the self-rescheduling task do it under `actlocal worker`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from actlocal.common.context import acting_as
from actlocal.events.tasks import queue_due_reminders


class Command(BaseCommand):
    help = "Queue event reminders (a day and an hour before); each is sent once."

    def handle(self, *args: Any, **options: Any) -> None:
        with acting_as(via="cli"):
            count = queue_due_reminders()
        self.stdout.write(f"{count} reminder(s) queued")
