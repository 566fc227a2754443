"""`actlocal dedupe [--export FILE]`: recompute duplicate candidates, list pairs for review."""

from __future__ import annotations

import csv
import sys
from typing import Any

from django.core.management.base import BaseCommand

from actlocal.common.context import acting_as
from actlocal.network import selectors
from actlocal.network.services.dedupe import run_dedupe


class Command(BaseCommand):
    help = "Find duplicate players: certain matches merge, likely ones wait for review."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--export", help="Write the pairs waiting for review as CSV ('-': stdout)."
        )
        parser.add_argument("--no-merge", action="store_true", help="Queue every match for review.")

    def handle(self, *args: Any, **options: Any) -> None:
        with acting_as(via="cli"):
            result = run_dedupe(auto_merge=not options["no_merge"])
        self.stderr.write(
            f"dedupe: {result.compared} pairs compared, {result.merged} merged, "
            f"{result.for_review} waiting for review"
        )
        if not options["export"]:
            return
        handle = (
            sys.stdout
            if options["export"] == "-"
            else open(options["export"], "w", newline="", encoding="utf-8")  # noqa: SIM115
        )
        try:
            writer = csv.writer(handle)
            writer.writerow(["left_identifiers", "right_identifiers", "score"])
            for candidate in selectors.pending_candidates().order_by("-score", "id"):
                writer.writerow(
                    [
                        "|".join(candidate.left.identifiers),
                        "|".join(candidate.right.identifiers),
                        f"{candidate.score:.4f}",
                    ]
                )
        finally:
            if handle is not sys.stdout:
                handle.close()
