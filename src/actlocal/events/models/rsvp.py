from __future__ import annotations

import hashlib

from django.db import models
from django.utils.translation import gettext_lazy as _

from actlocal.common.models import UUIDModel


class RSVP(UUIDModel):
    """One person's answer to one event, for a party of ``party_size`` seats."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        WAITLISTED = "waitlisted", _("waitlisted")
        CANCELLED = "cancelled", _("cancelled")
        ATTENDED = "attended", _("attended")

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="rsvps")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="rsvps")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACCEPTED, db_index=True
    )
    party_size = models.PositiveSmallIntegerField(_("seats (you and guests)"), default=1)
    # Order on the waitlist: allocated from a per-event counter in commit order.
    waitlist_position = models.PositiveIntegerField(null=True, blank=True)
    source = models.CharField(max_length=50, blank=True)
    manage_token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    # Short human-readable code beside the QR code; the QR code holds it too.
    checkin_code = models.CharField(_("check-in code"), max_length=12, blank=True, db_index=True)
    share_attendance = models.BooleanField(
        _("show my attendance to other attendees"), default=False
    )
    need_accessibility = models.CharField(_("accessibility needs"), max_length=500, blank=True)
    need_dietary = models.CharField(_("dietary needs"), max_length=500, blank=True)
    need_childcare = models.BooleanField(_("needs childcare"), default=False)
    need_interpretation = models.CharField(_("interpretation language"), max_length=100, blank=True)
    need_other = models.CharField(_("other needs"), max_length=1000, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("RSVP")
        verbose_name_plural = _("RSVPs")
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="events_rsvp_one_per_person"),
            models.UniqueConstraint(
                fields=["event", "waitlist_position"], name="events_rsvp_unique_waitlist_position"
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "waitlist_position"])]

    def __str__(self) -> str:
        return f"{self.person} → {self.event} ({self.status})"

    @property
    def is_confirmed(self) -> bool:
        return self.status in {self.Status.ACCEPTED, self.Status.ATTENDED}

    @property
    def qr_value(self) -> str:
        return f"ACTLOCAL:{self.checkin_code}"

    @property
    def needs(self) -> dict[str, object]:
        return {
            "accessibility": self.need_accessibility,
            "dietary": self.need_dietary,
            "childcare": self.need_childcare,
            "interpretation": self.need_interpretation,
            "other": self.need_other,
        }

    @property
    def has_needs(self) -> bool:
        return any(self.needs.values())

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()
