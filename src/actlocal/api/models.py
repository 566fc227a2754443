"""API keys and webhooks: how partners' tools reach ActLocal and how ActLocal reaches them."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from actlocal.common.models import TimeStampedModel


class ApiKey(TimeStampedModel):
    """A token for the OSDI API. Only its SHA-256 hash is stored; the token is shown once."""

    name = models.CharField(_("name"), max_length=100)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_keys",
        verbose_name=_("owner"),
    )
    token_hash = models.CharField(max_length=64, unique=True)
    # The first characters of the token, so people can tell their keys apart.
    prefix = models.CharField(max_length=12)
    read_only = models.BooleanField(_("read-only"), default=False)
    organization = models.ForeignKey(
        "network.Organization",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_keys",
        verbose_name=_("limited to organization"),
        help_text=_("Empty: the owner's whole scope (the whole network for staff)."),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Webhook(TimeStampedModel):
    """A URL that receives a signed POST for each event of the chosen types."""

    class EventType(models.TextChoices):
        PERSON_CREATED = "person.created", _("person created")
        PERSON_UPDATED = "person.updated", _("person updated")
        ATTENDANCE_CREATED = "attendance.created", _("attendance created")
        ATTENDANCE_UPDATED = "attendance.updated", _("attendance updated")
        EVENT_CREATED = "event.created", _("event created")
        EVENT_UPDATED = "event.updated", _("event updated")
        SUBMISSION_CREATED = "submission.created", _("form submission created")

    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("URL"), max_length=500)
    event_types = models.JSONField(_("event types"), default=list)
    # Shared secret for the HMAC-SHA256 signature; shown to staff so the receiver can verify.
    secret = models.CharField(max_length=64)
    is_active = models.BooleanField(_("active"), default=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    disabled_reason = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self) -> str:
        return self.name


class WebhookDelivery(models.Model):
    """One payload for one webhook, with every attempt's outcome."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event_type = models.CharField(max_length=40)
    payload = models.JSONField(default=dict)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")

    def __str__(self) -> str:
        return f"{self.webhook} {self.event_type} ({self.status})"
