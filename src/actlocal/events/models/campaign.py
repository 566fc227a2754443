from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from actlocal.common.models import UUIDModel


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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self) -> str:
        return self.name
