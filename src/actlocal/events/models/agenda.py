from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from actlocal.common.models import UUIDModel


class Track(models.Model):
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="tracks")
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="events_track_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Room(models.Model):
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("name"), max_length=120)
    capacity = models.PositiveIntegerField(_("seats"), null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["event", "name"], name="events_room_unique")]

    def __str__(self) -> str:
        return self.name


class Session(UUIDModel):
    class Format(models.TextChoices):
        WORKSHOP = "workshop", _("workshop")
        TRAINING = "training", _("training")
        PLENARY = "plenary", _("plenary")
        NETWORKING = "networking", _("networking")

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    format = models.CharField(
        _("format"), max_length=20, choices=Format.choices, default=Format.WORKSHOP
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    track = models.ForeignKey(
        Track, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions"
    )
    room = models.ForeignKey(
        Room, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions"
    )
    capacity = models.PositiveIntegerField(
        _("seats"), null=True, blank=True, help_text=_("Leave empty when anyone may join.")
    )
    topics = models.JSONField(_("topics"), default=list, blank=True)

    class Meta:
        ordering = ["starts_at", "room__name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="events_session_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Facilitator(models.Model):
    """A session's facilitator: a person, a player (organization), or both."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="facilitators")
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    organization = models.ForeignKey(
        "network.Organization", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | models.Q(organization__isnull=False),
                name="events_facilitator_person_or_org",
            )
        ]

    def __str__(self) -> str:
        return str(self.person or self.organization)


class SessionChoice(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="choices")
    rsvp = models.ForeignKey(
        "events.RSVP", on_delete=models.CASCADE, related_name="session_choices"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "rsvp"], name="events_session_choice_unique")
        ]

    def __str__(self) -> str:
        return f"{self.rsvp_id} → {self.session_id}"


class CheckIn(models.Model):
    """One scan or tap at the door. Repeats of a client UUID count once."""

    rsvp = models.ForeignKey("events.RSVP", on_delete=models.CASCADE, related_name="checkins")
    client_uuid = models.UUIDField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    method = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"check-in {self.client_uuid}"
