"""Typed relationships between players, and the people who lead them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from actlocal.common.models import TimeStampedModel


class Relationship(TimeStampedModel):
    class Kind(models.TextChoices):
        CHAPTER_OF = "chapter_of", _("chapter of")
        PARTNER_OF = "partner_of", _("partner of")
        MEMBER_OF = "member_of", _("member of")
        LEADS = "leads", _("leads")
        COALITION_WITH = "coalition_with", _("in coalition with")
        FUNDS = "funds", _("funds")

    #: Kinds that read the same both ways: A in coalition with B is B in coalition with A.
    SYMMETRIC_KINDS = frozenset({Kind.PARTNER_OF, Kind.COALITION_WITH})

    source = models.ForeignKey(
        "network.Organization", on_delete=models.CASCADE, related_name="relationships_out"
    )
    target = models.ForeignKey(
        "network.Organization", on_delete=models.CASCADE, related_name="relationships_in"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    data_source = models.CharField(_("source"), max_length=120, blank=True)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "kind"], name="network_relationship_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.get_kind_display()} {self.target}"


class Leader(TimeStampedModel):
    """A person who leads a player (the ``leads`` relationship to a person)."""

    organization = models.ForeignKey(
        "network.Organization", on_delete=models.CASCADE, related_name="leaders"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="organizations_led"
    )
    role = models.CharField(_("role"), max_length=120, blank=True)
    data_source = models.CharField(_("source"), max_length=120, blank=True)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "person"], name="network_leader_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.role}) — {self.organization}"
