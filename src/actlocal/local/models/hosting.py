"""Events hosted by anyone: who submitted them, email confirmation, the moderation trail."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class HostedEvent(models.Model):
    """The public host form's extra data for one event (the event itself is events.Event)."""

    event = models.OneToOneField("events.Event", on_delete=models.CASCADE, related_name="hosting")
    host_person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="hosted_events"
    )
    host_email = models.EmailField(_("host email"))
    confirm_token_hash = models.CharField(max_length=64, unique=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.event} (hosted by {self.host_email})"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class ModerationDecision(models.Model):
    """One guide decision on a hosted event: the moderation trail shown to guides."""

    class Decision(models.TextChoices):
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        CHANGES_REQUESTED = "changes_requested", _("changes requested")

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="moderation_decisions"
    )
    decision = models.CharField(max_length=20, choices=Decision.choices)
    note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-id"]

    def __str__(self) -> str:
        return f"{self.event}: {self.decision}"
