"""Dedupe started from the web: one recorded run at a time, in the background, audited."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from actlocal.common.audit import log_action
from actlocal.common.tasks import enqueue_on_commit
from actlocal.network.models import DedupeRun
from actlocal.network.services import dedupe

logger = logging.getLogger(__name__)

# A run still queued or running after this long lost its worker (a crash or a deploy);
# it is marked failed so that staff can start another one.
STALE_AFTER = dt.timedelta(hours=6)


def _fail_stale_runs() -> None:
    cutoff = timezone.now() - STALE_AFTER
    for run in DedupeRun.objects.filter(active=True, modified_at__lt=cutoff):
        _finish(run, status=DedupeRun.Status.FAILED, error="interrupted: no progress for 6 hours")


def start_dedupe_run(*, by: Any) -> tuple[DedupeRun, bool]:
    """Queue a dedupe run, or return the one already queued or running (``created`` False)."""
    _fail_stale_runs()
    existing = DedupeRun.objects.filter(active=True).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            run = DedupeRun.objects.create(started_by=by)
            log_action("dedupe_run.started", obj=run, actor=by)
            from actlocal.network.tasks import run_dedupe_run_task

            enqueue_on_commit(run_dedupe_run_task, run.pk)
    except IntegrityError:
        # Another request started one between our check and our insert: show that one.
        return DedupeRun.objects.get(active=True), False
    return run, True


def execute_dedupe_run(*, run: DedupeRun) -> DedupeRun:
    """Run a queued dedupe and record its counts or its error. Safe to call twice."""
    claimed = DedupeRun.objects.filter(pk=run.pk, status=DedupeRun.Status.QUEUED).update(
        status=DedupeRun.Status.RUNNING, started_at=timezone.now(), modified_at=timezone.now()
    )
    run.refresh_from_db()
    if not claimed:
        return run
    try:
        result = dedupe.run_dedupe()
    except Exception as exc:  # any failure is shown on the run's page, not lost in a log
        logger.exception("dedupe run %s failed", run.uuid)
        return _finish(
            run, status=DedupeRun.Status.FAILED, error=str(exc) or exc.__class__.__name__
        )
    return _finish(
        run,
        status=DedupeRun.Status.DONE,
        pairs_examined=result.compared,
        merged_count=result.merged,
        review_count=result.for_review,
    )


def _finish(run: DedupeRun, *, status: str, error: str = "", **counts: int) -> DedupeRun:
    with transaction.atomic():
        run.status = status
        run.active = False
        run.error = error[:2000]
        run.finished_at = timezone.now()
        for name, value in counts.items():
            setattr(run, name, value)
        run.save()
        if status == DedupeRun.Status.FAILED:
            log_action("dedupe_run.failed", obj=run, data={"error": run.error})
        else:
            log_action("dedupe_run.finished", obj=run, data=counts)
    return run
