"""`actlocal demo`: load the demo network. Idempotent: running it again changes nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from actlocal.common.context import acting_as

# Each step is a function ``load(stdout) -> None`` that must be safe to run again.
DEMO_STEPS = [
    "actlocal.accounts.demo.load",
    "actlocal.network.demo.load",
    "actlocal.events.demo.load",
    "actlocal.followup.demo.load",
    "actlocal.local.demo.load",
    "actlocal.api.demo.load",
]


class Command(BaseCommand):
    help = "Load the demo network (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--quiet", action="store_true", help="Print only the logins.")

    def handle(self, *args: Any, **options: Any) -> None:
        with acting_as(via="demo"):
            for dotted in DEMO_STEPS:
                try:
                    step = import_string(dotted)
                except ImportError:
                    continue
                step(self.stdout if not options["quiet"] else None)
        from actlocal.accounts.demo import DEMO_LOGINS

        self.stdout.write("Demo logins (email / password):")
        for role, email, password in DEMO_LOGINS:
            self.stdout.write(f"  {role:<8} {email} / {password}")
