"""Players of the progressive movement: organizations, chapters and groups."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from actlocal.common.models import UUIDModel


class IssueArea(models.Model):
    """The managed vocabulary of issue areas (immigration/DACA, voting rights, ...)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Organization(UUIDModel):
    class Kind(models.TextChoices):
        NATIONAL = "national", _("national organization")
        ANCHOR = "anchor", _("anchor partner")
        CHAPTER = "chapter", _("local chapter")
        GRASSROOTS = "grassroots", _("grassroots group")
        FAITH = "faith", _("faith community")
        UNION = "union", _("union")
        CAMPUS = "campus", _("campus group")
        ELECTED = "elected", _("elected office")
        COALITION = "coalition", _("coalition")

    class Size(models.TextChoices):
        UNKNOWN = "", _("unknown")
        XS = "1-10", "1–10"
        S = "11-50", "11–50"
        M = "51-250", "51–250"
        L = "251-1000", "251–1,000"
        XL = "1000+", "1,000+"

    name = models.CharField(_("name"), max_length=255, db_index=True)
    slug = models.SlugField(max_length=255, unique=True)
    aliases = models.JSONField(_("also known as"), default=list, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    issue_areas = models.ManyToManyField(
        IssueArea, blank=True, related_name="organizations", verbose_name=_("issue areas")
    )
    address = models.CharField(_("street address"), max_length=255, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True, db_index=True)
    state = models.CharField(_("state"), max_length=2, blank=True, db_index=True)
    zip_code = models.CharField(_("ZIP code"), max_length=10, blank=True)
    latitude = models.FloatField(null=True, blank=True, db_index=True)
    longitude = models.FloatField(null=True, blank=True)
    location_flag = models.CharField(
        max_length=40, blank=True, help_text=_("why the location is missing or approximate")
    )
    service_area = models.CharField(_("service area"), max_length=255, blank=True)
    website = models.URLField(_("website"), max_length=500, blank=True)
    social_links = models.JSONField(_("social links"), default=list, blank=True)
    public_email = models.EmailField(_("public contact email"), blank=True)
    public_phone = models.CharField(_("public contact phone"), max_length=40, blank=True)
    size_band = models.CharField(
        _("size"), max_length=10, choices=Size.choices, default=Size.UNKNOWN, blank=True
    )
    founded_year = models.PositiveSmallIntegerField(_("founded"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    listed_publicly = models.BooleanField(
        _("listed publicly"),
        default=False,
        help_text=_("Shown on the public map. Leaders' contact details are never public."),
    )
    # field -> {"source", "run", "at"}: where each value came from.
    provenance = models.JSONField(default=dict, blank=True)
    # "<source>:<source id>" for every record merged into this one.
    source_identifiers = models.JSONField(default=list, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_from"
    )
    admins = models.ManyToManyField(  # type: ignore[var-annotated]
        settings.AUTH_USER_MODEL,
        through="OrganizationAdmin",
        related_name="administered_organizations",
        blank=True,
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chapters",
        help_text=_("The national organization this is a chapter of."),
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return self.name

    @property
    def identifiers(self) -> list[str]:
        return [self.identifier, *self.source_identifiers]


class OrganizationAdmin(models.Model):
    """A user who administers a partner organization (and its chapters)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="admin_memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organization_admin_roles"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user"], name="network_org_admin_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} admin of {self.organization}"
