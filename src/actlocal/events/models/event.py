from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from actlocal.common.models import UUIDModel


class ConflictRule(models.TextChoices):
    BLOCK = "block", _("refuse the session")
    WARN = "warn", _("save it and warn")
    IGNORE = "ignore", _("allow it silently")


class Event(UUIDModel):
    class Type(models.TextChoices):
        CONVENING = "convening", _("convening")
        WORKSHOP = "workshop", _("workshop")
        TRAINING = "training", _("training")
        HUDDLE = "huddle", _("huddle")
        TOWN_HALL = "town_hall", _("town hall")
        MEETING = "meeting", _("meeting")
        DINNER = "dinner", _("dinner")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("public")
        INVITE_ONLY = "invite_only", _("invite-only")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PENDING = "pending", _("waiting for approval")
        CHANGES_REQUESTED = "changes_requested", _("changes requested")
        PUBLISHED = "published", _("published")
        REJECTED = "rejected", _("rejected")
        CANCELLED = "cancelled", _("cancelled")
        COMPLETED = "completed", _("completed")

    class Accessibility(models.TextChoices):
        ACCESSIBLE = "accessible", _("accessible venue")
        NOT_ACCESSIBLE = "not_accessible", _("not accessible")
        UNKNOWN = "unknown", _("not sure")

    campaign = models.ForeignKey(
        "events.Campaign",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        verbose_name=_("campaign"),
    )
    slug = models.SlugField(max_length=200, unique=True)
    title = models.CharField(_("title"), max_length=200)
    event_type = models.CharField(
        _("type"), max_length=20, choices=Type.choices, default=Type.MEETING, db_index=True
    )
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    address_line = models.CharField(_("street address"), max_length=255, blank=True)
    address_is_private = models.BooleanField(
        _("share the street address only with confirmed attendees"), default=False
    )
    city = models.CharField(_("city"), max_length=120, blank=True)
    state = models.CharField(_("state"), max_length=2, blank=True)
    zip_code = models.CharField(_("ZIP code"), max_length=10, blank=True)
    # The published point: the address point, or the ZIP centroid when the address is private.
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    is_virtual = models.BooleanField(_("virtual event"), default=False)
    virtual_url = models.URLField(_("link to join"), blank=True)
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"), db_index=True)
    timezone = models.CharField(_("time zone"), max_length=64, default="America/New_York")
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    max_guests = models.PositiveSmallIntegerField(_("guests each attendee may bring"), default=0)
    # Seats taken by accepted RSVPs (party sizes), kept by the RSVP service under a lock.
    seats_taken = models.PositiveIntegerField(default=0)
    # Last waitlist position handed out; positions come from here, under the event lock.
    waitlist_counter = models.PositiveIntegerField(default=0)
    accessibility_status = models.CharField(
        _("accessibility"),
        max_length=20,
        choices=Accessibility.choices,
        default=Accessibility.UNKNOWN,
    )
    accessibility_notes = models.TextField(_("accessibility notes"), blank=True)
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    organization = models.ForeignKey(
        "network.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        verbose_name=_("sponsoring organization"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    moderation_note = models.TextField(_("note from the guide"), blank=True)
    # What the agenda does when two overlapping sessions share a room / a facilitator.
    room_conflicts = models.CharField(
        _("same room at the same time"),
        max_length=10,
        choices=ConflictRule.choices,
        default=ConflictRule.WARN,
    )
    facilitator_conflicts = models.CharField(
        _("same facilitator at the same time"),
        max_length=10,
        choices=ConflictRule.choices,
        default=ConflictRule.WARN,
    )

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            models.Index(fields=["status", "visibility", "latitude", "longitude"]),
            models.Index(fields=["status", "visibility", "ends_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")),
                name="events_event_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True)
                | models.Q(seats_taken__lte=models.F("capacity")),
                name="events_event_capacity_not_exceeded",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_invite_only(self) -> bool:
        return self.visibility == self.Visibility.INVITE_ONLY

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and self.seats_taken >= self.capacity

    @property
    def seats_left(self) -> int | None:
        return None if self.capacity is None else max(0, self.capacity - self.seats_taken)


class EventHost(models.Model):
    """A member of an event's host committee, scoped to that event."""

    class Role(models.TextChoices):
        LEAD = "lead", _("lead host")
        AGENDA = "agenda", _("agenda editor")
        CHECKIN = "checkin", _("check-in volunteer")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="hosts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_host_roles"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.LEAD)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="events_host_unique")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) — {self.event}"
