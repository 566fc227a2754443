"""Dedupe started from the dashboard: one run at a time, its progress page, its failure."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from actlocal.common.models import AuditEntry
from actlocal.network.models import DedupeRun, DuplicateCandidate, MergeRecord, Organization
from actlocal.network.services import dedupe, dedupe_runs
from actlocal.network.tasks import run_dedupe_run_task
from tests.factories.network import OrganizationAdminFactory, OrganizationFactory


def _duplicates() -> None:
    for _ in range(2):
        OrganizationFactory(
            name="Casa Esperanza", website="https://casa-esperanza.example.org", zip_code="20009"
        )
    OrganizationFactory(name="Westside Tenants Union")


@pytest.mark.django_db
def test_start_queues_one_run_and_starting_again_returns_it(
    staff_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run, created = dedupe_runs.start_dedupe_run(by=staff_user)
        again, created_again = dedupe_runs.start_dedupe_run(by=staff_user)
    assert created and not created_again
    assert again.pk == run.pk and run.status == DedupeRun.Status.QUEUED
    assert len(callbacks) == 1  # one task for one run
    assert DedupeRun.objects.count() == 1
    entry = AuditEntry.objects.get(action="dedupe_run.started")
    assert entry.actor == staff_user


@pytest.mark.django_db
def test_run_records_counts_and_is_safe_to_run_twice(
    staff_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _duplicates()
    with django_capture_on_commit_callbacks(execute=False):
        run, _created = dedupe_runs.start_dedupe_run(by=staff_user)
    run_dedupe_run_task.call(run.pk)
    run.refresh_from_db()
    assert run.status == DedupeRun.Status.DONE and not run.active
    assert run.merged_count == MergeRecord.objects.count() == 1
    assert run.review_count == DuplicateCandidate.objects.filter(status="pending").count()
    assert run.pairs_examined >= 1 and run.finished_at is not None
    assert run_dedupe_run_task.call(run.pk) == "skipped"
    assert MergeRecord.objects.count() == 1
    assert AuditEntry.objects.filter(action="dedupe_run.finished").count() == 1
    # Finished: a new run may start.
    with django_capture_on_commit_callbacks(execute=False):
        assert dedupe_runs.start_dedupe_run(by=staff_user)[1] is True


@pytest.mark.django_db
def test_failed_run_shows_the_error_and_lets_staff_start_again(
    client: Any,
    staff_user: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # A failure valid data cannot provoke (a database outage, a bug): the matcher raises.
    def broken(**kwargs: Any) -> dedupe.DedupeResult:
        raise RuntimeError("matcher ran out of memory")

    monkeypatch.setattr(dedupe, "run_dedupe", broken)
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("orga:network-dedupe"))
    run = DedupeRun.objects.get()
    assert response["Location"] == reverse("orga:network-dedupe-run", args=[run.uuid])
    assert run.status == DedupeRun.Status.FAILED and not run.active
    page = client.get(response["Location"]).content.decode()
    assert "matcher ran out of memory" in page
    assert "hx-trigger" not in page  # polling stops
    assert AuditEntry.objects.get(action="dedupe_run.failed").data["error"] == (
        "matcher ran out of memory"
    )
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(reverse("orga:network-dedupe"))
    assert DedupeRun.objects.count() == 2
    assert DedupeRun.objects.order_by("-id").first().status == DedupeRun.Status.DONE  # type: ignore[union-attr]
    assert again.status_code == 302


@pytest.mark.django_db
def test_starting_while_a_run_is_active_shows_that_run(
    client: Any, staff_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        running, _created = dedupe_runs.start_dedupe_run(by=staff_user)
    DedupeRun.objects.filter(pk=running.pk).update(
        status=DedupeRun.Status.RUNNING, started_at=timezone.now()
    )
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("orga:network-dedupe"), follow=True)
    assert callbacks == []
    assert DedupeRun.objects.count() == 1
    assert response.redirect_chain[-1][0] == reverse("orga:network-dedupe-run", args=[running.uuid])
    html = response.content.decode()
    assert "already running" in html and "Running since" in html
    fragment = client.get(
        reverse("orga:network-dedupe-run", args=[running.uuid]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert fragment.lstrip().startswith('<div id="dedupe-status" data-status="running"')
    assert 'hx-trigger="every 2s"' in fragment and "<html" not in fragment


@pytest.mark.django_db
def test_a_run_that_lost_its_worker_is_failed_after_hours(
    staff_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        old, _created = dedupe_runs.start_dedupe_run(by=staff_user)
        DedupeRun.objects.filter(pk=old.pk).update(
            modified_at=timezone.now() - dt.timedelta(hours=7)
        )
        new, created = dedupe_runs.start_dedupe_run(by=staff_user)
    old.refresh_from_db()
    assert created and new.pk != old.pk
    assert old.status == DedupeRun.Status.FAILED and "interrupted" in old.error


@pytest.mark.django_db
def test_only_staff_start_or_watch_dedupe(client: Any, staff_user: Any) -> None:
    with_run = DedupeRun.objects.create(started_by=staff_user)
    url = reverse("orga:network-dedupe-run", args=[with_run.uuid])
    assert client.get(url).status_code == 302  # to the login
    client.force_login(OrganizationAdminFactory().user)
    assert client.post(reverse("orga:network-dedupe")).status_code == 403
    assert client.get(url).status_code == 403
    assert DedupeRun.objects.count() == 1


@pytest.fixture
def database_tasks(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_progress_page_from_queued_to_finished_with_the_real_worker(
    client: Any, staff_user: Any, database_tasks: None
) -> None:
    _duplicates()
    client.force_login(staff_user)
    response = client.post(reverse("orga:network-dedupe"))
    run = DedupeRun.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert 'data-status="queued"' in page and 'hx-trigger="every 2s"' in page
    assert Organization.objects.filter(merged_into__isnull=True).count() == 3  # not yet run

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")

    run.refresh_from_db()
    assert run.status == DedupeRun.Status.DONE
    fragment = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert 'data-status="done"' in fragment and "hx-trigger" not in fragment
    assert f"<strong>{run.merged_count}</strong> merged automatically" in fragment
    assert f"<strong>{run.pairs_examined}</strong> pairs examined" in fragment
    assert reverse("orga:network-review") in fragment
    assert Organization.objects.filter(merged_into__isnull=True).count() == 2
    history = client.get(reverse("orga:network-dedupe")).content.decode()
    assert reverse("orga:network-dedupe-run", args=[run.uuid]) in history
