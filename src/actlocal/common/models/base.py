from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    modified_at = models.DateTimeField(_("modified"), auto_now=True, db_index=True)

    class Meta:
        abstract = True


class UUIDModel(TimeStampedModel):
    """A record with a public UUID, exposed as ``actlocal:<uuid>`` in identifiers."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        abstract = True

    @property
    def identifier(self) -> str:
        return f"actlocal:{self.uuid}"
