"""A dedupe run started from the web: its state and counts, shown on its progress page."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from actlocal.common.models import UUIDModel


class DedupeRun(UUIDModel):
    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("finished")
        FAILED = "failed", _("failed")

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    # True while queued or running; the partial unique constraint allows one such run.
    active = models.BooleanField(default=True, editable=False)
    pairs_examined = models.PositiveIntegerField(_("pairs examined"), default=0)
    merged_count = models.PositiveIntegerField(_("merged automatically"), default=0)
    review_count = models.PositiveIntegerField(_("sent to review"), default=0)
    error = models.TextField(_("error"), blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["active"],
                condition=Q(active=True),
                name="network_one_active_dedupe_run",
            )
        ]

    def __str__(self) -> str:
        return f"dedupe {self.uuid} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RUNNING}
