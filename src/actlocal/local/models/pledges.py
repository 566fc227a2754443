"""What each huddle participant pledged to contribute."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from actlocal.common.models import UUIDModel


class Pledge(UUIDModel):
    class Time(models.TextChoices):
        ONE_OFF = "one_off", _("a few hours, once")
        MONTHLY = "monthly", _("a few hours a month")
        WEEKLY = "weekly", _("a few hours a week")
        MORE = "more", _("more than that")

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="pledges")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="pledges")
    skills = models.JSONField(_("skills"), default=list, blank=True)
    time_commitment = models.CharField(_("time"), max_length=10, choices=Time.choices, blank=True)
    actions = models.JSONField(_("actions"), default=list, blank=True)
    note = models.TextField(_("in their words"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["event", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="local_pledge_one_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person} at {self.event}"

    @property
    def tag_names(self) -> list[str]:
        names = [f"skill: {s}" for s in self.skills]
        names += [f"action: {a}" for a in self.actions]
        if self.time_commitment:
            names.append(f"time: {self.get_time_commitment_display()}")
        return names
