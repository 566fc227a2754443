"""Background work of the network map: imports and dedupe runs (thin, idempotent)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_import_task(run_id: int) -> str:
    from actlocal.common.context import acting_as
    from actlocal.network.models import ImportRun
    from actlocal.network.services.imports import run_import

    run = ImportRun.objects.select_related("created_by").filter(pk=run_id).first()
    if run is None or run.status not in {ImportRun.Status.QUEUED, ImportRun.Status.RUNNING}:
        return "skipped"
    with acting_as(user=run.created_by, via="task"):
        return run_import(run=run).status


@task()
def run_dedupe_task() -> str:
    from actlocal.common.context import acting_as
    from actlocal.network.services.dedupe import run_dedupe

    with acting_as(via="task"):
        result = run_dedupe()
    return f"{result.merged} merged, {result.for_review} for review"


@task()
def run_dedupe_run_task(run_id: int) -> str:
    """A dedupe run started from the web; its page shows the progress and the counts."""
    from actlocal.common.context import acting_as
    from actlocal.network.models import DedupeRun
    from actlocal.network.services.dedupe_runs import execute_dedupe_run

    run = DedupeRun.objects.select_related("started_by").filter(pk=run_id).first()
    if run is None or run.status != DedupeRun.Status.QUEUED:
        return "skipped"
    with acting_as(user=run.started_by, via="task"):
        return execute_dedupe_run(run=run).status


@task()
def compute_graph_task(query_string: str) -> str:
    """Compute and cache the graph metrics of a filtered scope (as a logged-in viewer)."""
    from django.http import QueryDict

    from actlocal.network import graph, selectors

    filters = selectors.PlayerFilter.from_params(QueryDict(query_string))

    class _Member:
        is_authenticated = True

    metrics = graph.metrics_for(
        selectors.players(filters, viewer=_Member()), scope_key=filters.querystring()
    )
    return f"{metrics.nodes} nodes"
