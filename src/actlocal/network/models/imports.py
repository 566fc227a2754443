"""Import runs from partners' spreadsheets, with the row-level changes that undo reverts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from actlocal.common.models import UUIDModel


class MappingPreset(models.Model):
    """The column mapping last used for a source, offered again on its next upload."""

    source = models.CharField(max_length=120, unique=True)
    mapping = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.source


class ImportRun(UUIDModel):
    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("waiting for column mapping")
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")
        UNDONE = "undone", _("undone")

    source = models.CharField(_("source"), max_length=120)
    filename = models.CharField(_("file"), max_length=255)
    file_path = models.CharField(max_length=500, blank=True)
    headers = models.JSONField(default=list, blank=True)
    mapping = models.JSONField(default=dict, blank=True)
    dry_run = models.BooleanField(_("dry run"), default=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UPLOADED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    merged_count = models.PositiveIntegerField(default=0)
    flagged_count = models.PositiveIntegerField(default=0)
    rejected_count = models.PositiveIntegerField(default=0)
    review_count = models.PositiveIntegerField(default=0)
    # Leaders linked and relationships created by the run: {"leaders": n, "relationships": n}.
    link_counts = models.JSONField(default=dict, blank=True)
    # [{"row": 3, "field": "zip", "problem": "...", "level": "error"|"warning"}]
    problems = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    undo_conflicts = models.JSONField(default=list, blank=True)
    organization = models.ForeignKey(
        "network.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_runs",
        help_text=_("The partner organization that uploaded the file."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.source}: {self.filename}"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED, self.Status.UNDONE}

    @property
    def progress_percent(self) -> int:
        if not self.total_rows:
            return 100 if self.is_finished else 0
        return min(100, round(100 * self.processed_rows / self.total_rows))


class ImportChange(models.Model):
    """One row's effect on one player: enough to revert it field by field."""

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        UPDATED = "updated", _("updated")
        MERGED = "merged", _("merged into an existing player")

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="changes")
    organization = models.ForeignKey(
        "network.Organization", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    row = models.PositiveIntegerField()
    action = models.CharField(max_length=10, choices=Action.choices)
    identifier = models.CharField(max_length=255)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["run", "row"]

    def __str__(self) -> str:
        return f"{self.identifier}: {self.action}"
