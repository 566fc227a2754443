"""``actlocal deliver-webhooks``: attempt every webhook delivery that is due (cron-friendly)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from actlocal.api.webhooks import deliver_due
from actlocal.common.context import acting_as


class Command(BaseCommand):
    help = "Deliver pending webhook payloads whose retry time has come."

    def handle(self, *args: Any, **options: Any) -> None:
        with acting_as(via="cli"):
            counts = deliver_due()
        summary = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())) or "nothing due"
        self.stdout.write(summary)
