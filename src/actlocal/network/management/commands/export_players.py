"""`actlocal export-players --format csv|xlsx|geojson|graphml [-o FILE]`, one row per player."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from actlocal.common.context import acting_as
from actlocal.network import selectors
from actlocal.network.services.exports import FORMATS, export_players


class Command(BaseCommand):
    help = "Export players (merged duplicates folded in) as CSV, XLSX, GeoJSON or GraphML."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--format", choices=FORMATS, default="csv")
        parser.add_argument("-o", "--output", help="File to write (default: standard output).")
        for name in ("kind", "issue", "state", "partner", "tag"):
            parser.add_argument(f"--{name}", default="", help=f"Only players with this {name}.")

    def handle(self, *args: Any, **options: Any) -> None:
        filters = selectors.PlayerFilter.from_params(options)
        with acting_as(via="cli"):
            data = export_players(
                orgs=selectors.players(filters, viewer=_Everyone()),
                fmt=options["format"],
                filters=filters.querystring(),
            )
        if options["output"]:
            Path(options["output"]).write_bytes(data)
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()


class _Everyone:
    """The CLI runs as the administrator: every player, listed publicly or not."""

    is_authenticated = True
