from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from actlocal.common.models import UUIDModel
from actlocal.events.models.event import Event


class Campaign(UUIDModel):
    """A set of events run together: a day of convenings, or a call for local huddles."""

    class Kind(models.TextChoices):
        CONVENING = "convening", _("convenings (hosted by the network)")
        LOCAL_ACTION = "local_action", _("local action (anyone may host)")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CONVENING)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("first day"), null=True, blank=True)
    ends_on = models.DateField(_("last day"), null=True, blank=True)
    brand_color = models.CharField(_("brand colour"), max_length=7, default="#1d4ed8")
    is_open_for_hosting = models.BooleanField(_("anyone may host an event"), default=False)
    requires_approval = models.BooleanField(_("new events need approval by a guide"), default=True)
    host_pitch = models.TextField(_("why host"), blank=True)
    host_instructions = models.TextField(_("instructions for hosts"), blank=True)
    is_public = models.BooleanField(_("listed publicly"), default=True)
    logo = models.FileField(_("logo"), upload_to="campaigns/logos/", blank=True, max_length=255)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    # Defaults for new city events (the organizer can change each one).
    default_event_type = models.CharField(
        _("type of event"), max_length=20, choices=Event.Type.choices, blank=True
    )
    default_visibility = models.CharField(
        _("visibility"), max_length=20, choices=Event.Visibility.choices, blank=True
    )
    default_capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    default_start_time = models.TimeField(_("starts at (local time)"), null=True, blank=True)
    default_end_time = models.TimeField(_("ends at (local time)"), null=True, blank=True)
    default_timezone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        help_text=_("Leave empty to use the time zone of each event's ZIP code."),
    )
    default_description = models.TextField(_("description"), blank=True)
    default_accessibility_status = models.CharField(
        _("accessibility"), max_length=20, choices=Event.Accessibility.choices, blank=True
    )
    default_accessibility_notes = models.TextField(_("accessibility notes"), blank=True)
    default_contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    default_contact_email = models.EmailField(_("contact email"), blank=True)
    template_event = models.ForeignKey(
        "events.Event",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("copy the agenda of"),
        help_text=_("New events get this event's sessions, moved to their own date."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self) -> str:
        return self.name

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def safe_brand_color(self) -> str:
        """The brand colour, or the default when white text on it would be unreadable."""
        from actlocal.events.branding import safe_brand_color

        return safe_brand_color(self.brand_color)


def _document_path(instance: CampaignDocument, filename: str) -> str:
    # Never the uploader's name on disk: it is kept in ``filename`` for the download.
    return f"campaigns/documents/{instance.campaign.uuid}/{uuid.uuid4().hex}"


class CampaignDocument(UUIDModel):
    """A file staff share with the host committees of a campaign's events; never public."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    file = models.FileField(upload_to=_document_path, max_length=255)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("campaign document")
        verbose_name_plural = _("campaign documents")

    def __str__(self) -> str:
        return self.title
