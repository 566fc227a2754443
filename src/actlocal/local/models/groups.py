"""Local action networks: groups tied to a place that people join with one form."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from actlocal.common.models import UUIDModel


class LocalNetwork(UUIDModel):
    """A neighborhood or city group. May be linked to a player of the network map."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    neighborhood = models.CharField(_("neighborhood"), max_length=120, blank=True)
    city = models.CharField(_("city"), max_length=120)
    state = models.CharField(_("state"), max_length=2)
    zip_code = models.CharField(_("ZIP code"), max_length=10, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    organization = models.ForeignKey(
        "network.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="local_networks",
        verbose_name=_("player in the network map"),
    )
    campaign = models.ForeignKey(
        "events.Campaign",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="local_networks",
    )
    is_public = models.BooleanField(_("listed publicly"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["state", "city", "name"]
        verbose_name = _("local action network")
        verbose_name_plural = _("local action networks")

    def __str__(self) -> str:
        return self.name


class GroupMembership(models.Model):
    """A person in a local network; organizers act as guides for the group."""

    class Role(models.TextChoices):
        MEMBER = "member", _("member")
        ORGANIZER = "organizer", _("organizer (guide)")

    network = models.ForeignKey(LocalNetwork, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="group_memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)
    # Set when the member follows the unsubscribe link of a group message.
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    unsubscribe_token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["network", "-role", "joined_at"]
        constraints = [
            models.UniqueConstraint(fields=["network", "person"], name="local_membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.network}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class GroupMessage(UUIDModel):
    """A message from the group's organizers to its members, sent through the outbox."""

    network = models.ForeignKey(LocalNetwork, on_delete=models.CASCADE, related_name="messages")
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    recipient_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject
