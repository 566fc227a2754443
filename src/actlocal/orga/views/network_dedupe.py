"""Dashboard pages of on-demand dedupe: start a run (one at a time) and follow its progress."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from actlocal.common.permissions import perm_required
from actlocal.network import selectors
from actlocal.network.models import DedupeRun
from actlocal.network.services.dedupe_runs import start_dedupe_run


@perm_required("network.review_duplicates")
def dedupe_now(request: HttpRequest) -> HttpResponse:
    """GET: recent runs and the start button; POST: start a run (or show the running one)."""
    if request.method != "POST":
        return render(
            request, "orga/network/dedupe_runs.html", {"runs": selectors.recent_dedupe_runs()}
        )
    run, created = start_dedupe_run(by=request.user)
    if created:
        messages.success(request, _("Duplicate detection started."))
    else:
        messages.info(request, _("Duplicate detection is already running; here is that run."))
    return redirect("orga:network-dedupe-run", uuid=run.uuid)


@perm_required("network.review_duplicates")
def dedupe_run(request: HttpRequest, uuid: str) -> HttpResponse:
    run = get_object_or_404(DedupeRun.objects.select_related("started_by"), uuid=uuid)
    # htmx polls the status fragment until the run is finished or failed.
    if request.headers.get("HX-Request"):
        return render(request, "orga/network/dedupe_status.html", {"run": run})
    return render(request, "orga/network/dedupe_run.html", {"run": run})
