from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from actlocal.common.models import UUIDModel


class Invitation(UUIDModel):
    """An invitation of one person to one (usually invite-only) event.

    The link's token is unguessable and stored only as its SHA-256 hash.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("not sent yet")
        SENT = "sent", _("sent")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        REVOKED = "revoked", _("revoked")

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="event_invitations"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    token_hash = models.CharField(max_length=64, unique=True)
    source = models.CharField(max_length=50, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    send_count = models.PositiveSmallIntegerField(default=0)
    reminded_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="events_invitation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.event}"


class Nomination(UUIDModel):
    """A partner's suggestion of a leader for a city's invite list; hosts decide."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for a decision")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="nominations")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="nominations"
    )
    organization = models.ForeignKey(
        "network.Organization", null=True, blank=True, on_delete=models.SET_NULL
    )
    reason = models.TextField(_("why this leader"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="events_nomination_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person} for {self.event}"
