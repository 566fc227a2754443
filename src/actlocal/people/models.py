"""People: activists, leaders, attendees. Contact points are separate records (OSDI shape)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from actlocal.common.models import UUIDModel


class Person(UUIDModel):
    given_name = models.CharField(_("first name"), max_length=150, blank=True)
    family_name = models.CharField(_("last name"), max_length=150, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    # Primary postal address (OSDI postal_addresses[0]).
    address_line = models.CharField(_("street address"), max_length=255, blank=True)
    locality = models.CharField(_("city"), max_length=120, blank=True)
    region = models.CharField(_("state"), max_length=60, blank=True)
    postal_code = models.CharField(_("ZIP code"), max_length=12, blank=True, db_index=True)
    country = models.CharField(_("country"), max_length=2, default="US")
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    languages_spoken = models.JSONField(_("languages spoken"), default=list, blank=True)
    custom_fields = models.JSONField(_("custom fields"), default=dict, blank=True)
    consent_follow_up = models.BooleanField(_("agreed to follow-up"), default=False)
    consent_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(_("source"), max_length=100, blank=True)
    # Identifiers from other systems ("action_network:...", "partner_x:123").
    external_identifiers = models.JSONField(default=list, blank=True)
    tags: models.ManyToManyField[Tag, Tagging] = models.ManyToManyField(
        "Tag", through="Tagging", related_name="people", blank=True
    )

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name or (self.primary_email or f"#{self.pk}")

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def primary_email(self) -> str:
        for email in self.email_addresses.all():
            if email.primary:
                return email.address
        first = next(iter(self.email_addresses.all()), None)
        return first.address if first else ""

    @property
    def identifiers(self) -> list[str]:
        return [self.identifier, f"action_network:{self.uuid}", *self.external_identifiers]


class EmailAddress(models.Model):
    class Status(models.TextChoices):
        SUBSCRIBED = "subscribed", _("subscribed")
        UNSUBSCRIBED = "unsubscribed", _("unsubscribed")
        BOUNCING = "bouncing", _("bouncing")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="email_addresses")
    # Stored lowercased (save); the plain index serves ``address =`` / ``__in`` lookups
    # (API filters, invitation lists), the unique one on lower(address) guards duplicates.
    address = models.EmailField(_("email address"), db_index=True)
    primary = models.BooleanField(default=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBSCRIBED)

    class Meta:
        ordering = ["-primary", "id"]
        constraints = [
            # One person per address: signups upsert by email.
            models.UniqueConstraint(Lower("address"), name="people_email_address_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.address

    def save(self, *args: object, **kwargs: object) -> None:
        self.address = self.address.strip().lower()
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class PhoneNumber(models.Model):
    class Kind(models.TextChoices):
        MOBILE = "Mobile", _("mobile")
        HOME = "Home", _("home")
        WORK = "Work", _("work")
        OTHER = "Other", _("other")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="phone_numbers")
    number = models.CharField(_("phone number"), max_length=40)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.MOBILE)
    primary = models.BooleanField(default=True)
    sms_opt_in = models.BooleanField(default=False)

    class Meta:
        ordering = ["-primary", "id"]

    def __str__(self) -> str:
        return self.number


class Tag(UUIDModel):
    name = models.CharField(_("name"), max_length=200, unique=True)
    origin_system = models.CharField(max_length=100, default="ActLocal")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Tagging(UUIDModel):
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="taggings")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="taggings")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tag", "person"], name="people_tagging_unique")
        ]

    def __str__(self) -> str:
        return f"{self.tag} → {self.person}"


class PersonList(UUIDModel):
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    organization = models.ForeignKey(
        "network.Organization",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="lists",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ListItem(UUIDModel):
    person_list = models.ForeignKey(PersonList, on_delete=models.CASCADE, related_name="items")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="list_items")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person_list", "person"], name="people_list_item_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_list}: {self.person}"


class Membership(UUIDModel):
    """A person on an organization's rolls (a member or supporter signed up by the partner).

    A partner's API key sees the people of its organization: its members and its leaders.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        "network.Organization", on_delete=models.CASCADE, related_name="memberships"
    )
    source = models.CharField(_("source"), max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organization"], name="people_membership_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.organization}"


class Form(UUIDModel):
    """A sign-up form (OSDI ``forms``); each answer is a ``Submission``."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    call_to_action = models.CharField(_("call to action"), max_length=200, blank=True)
    organization = models.ForeignKey(
        "network.Organization",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="forms",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    origin_system = models.CharField(max_length=100, default="ActLocal")

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("form")
        verbose_name_plural = _("forms")

    def __str__(self) -> str:
        return self.title


class Submission(UUIDModel):
    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="submissions")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="submissions")
    referrer = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self) -> str:
        return f"{self.form}: {self.person}"
