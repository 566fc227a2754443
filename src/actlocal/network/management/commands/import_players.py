"""`actlocal import-players FILE --source NAME [--mapping JSON] [--dry-run]`."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from actlocal.common.context import acting_as
from actlocal.network.services import NetworkError
from actlocal.network.services import imports as import_services
from actlocal.network.tabular import UnreadableFile


class Command(BaseCommand):
    help = "Import players (organizations, chapters, groups) from a CSV or XLSX file."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")
        parser.add_argument(
            "--source", required=True, help="Who sent the file, e.g. 'Indivisible'."
        )
        parser.add_argument(
            "--mapping",
            help='JSON object {"column header": "field"}; defaults to the saved preset or a guess.',
        )
        parser.add_argument("--dry-run", action="store_true", help="Show what would happen.")
        parser.add_argument("--report", help="Where to write the per-row error report (CSV).")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        with acting_as(via="cli"):
            try:
                run = import_services.create_run(
                    path=path, filename=path.name, source=options["source"]
                )
                mapping = dict(run.mapping)
                if options["mapping"]:
                    given = json.loads(options["mapping"])
                    if not isinstance(given, dict):
                        raise CommandError("--mapping must be a JSON object")
                    mapping = {str(k): str(v) for k, v in given.items()}
                import_services.configure_run(run=run, mapping=mapping, dry_run=options["dry_run"])
            except UnreadableFile as exc:
                raise CommandError(f"{path}: {exc}") from exc
            except NetworkError as exc:
                raise CommandError(str(exc)) from exc
            except json.JSONDecodeError as exc:
                raise CommandError(f"--mapping is not valid JSON: {exc}") from exc
            run = import_services.run_import(run=run)
        if run.status == run.Status.FAILED:
            raise CommandError(run.error)
        report = Path(options["report"] or f"{path.with_suffix('')}.errors.csv")
        with report.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(import_services.problems_csv_rows(run))
        prefix = "dry run: would have " if run.dry_run else ""
        self.stdout.write(
            f"{prefix}created {run.created_count}, updated {run.updated_count}, "
            f"merged {run.merged_count}, flagged {run.flagged_count}, "
            f"rejected {run.rejected_count}, for review {run.review_count}, "
            f"leaders linked {run.link_counts.get('leaders', 0)}, "
            f"relationships added {run.link_counts.get('relationships', 0)} "
            f"({run.total_rows} rows; run {run.uuid})"
        )
        rejected = [p for p in run.problems if p.get("level") == "error"]
        for problem in rejected[:50]:
            self.stdout.write(
                f"  rejected row {problem['row']}: {problem['field']}: {problem['problem']}"
            )
        if len(rejected) > 50:
            self.stdout.write(f"  ... {len(rejected) - 50} more")
        self.stdout.write(f"error report: {report}")
