"""Template helpers shared by every app."""

from __future__ import annotations

from typing import Any

from django import template
from django.db import models
from django.urls import reverse

register = template.Library()


@register.simple_tag
def history_url(obj: models.Model) -> str:
    """Link to the audit history of ``obj`` (staff only): use on every object's page."""
    meta: Any = obj._meta
    return reverse(
        "orga:object-history",
        kwargs={"app_label": meta.app_label, "model": meta.model_name, "pk": str(obj.pk)},
    )
