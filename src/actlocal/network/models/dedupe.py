"""Duplicate candidates waiting for review, remembered non-duplicates, reversible merges."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from actlocal.common.models import UUIDModel


class DuplicateCandidate(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for review")
        MERGED = "merged", _("merged")
        NOT_DUPLICATE = "not_duplicate", _("not a duplicate")

    left = models.ForeignKey(
        "network.Organization", on_delete=models.CASCADE, related_name="duplicate_left"
    )
    right = models.ForeignKey(
        "network.Organization", on_delete=models.CASCADE, related_name="duplicate_right"
    )
    score = models.FloatField()
    reasons = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["left", "right"], name="network_duplicate_pair_unique")
        ]

    def __str__(self) -> str:
        return f"{self.left} ~ {self.right} ({self.score:.2f})"


class NotDuplicate(models.Model):
    """A pair staff said are different players; dedupe never proposes it again."""

    left = models.ForeignKey("network.Organization", on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey("network.Organization", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["left", "right"], name="network_not_duplicate_unique")
        ]

    def __str__(self) -> str:
        return f"{self.left_id} != {self.right_id}"


class MergeRecord(UUIDModel):
    """What a merge changed, so that it can be undone."""

    survivor = models.ForeignKey(
        "network.Organization", on_delete=models.CASCADE, related_name="merges_kept"
    )
    merged = models.ForeignKey(
        "network.Organization", on_delete=models.CASCADE, related_name="merges_absorbed"
    )
    survivor_before = models.JSONField(default=dict)
    moved = models.JSONField(default=dict)  # {"relationships": [...], "leaders": [...], ...}
    automatic = models.BooleanField(default=False)
    score = models.FloatField(null=True, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
