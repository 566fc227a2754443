"""The audit log: every state-changing service calls ``log_action`` in its transaction."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from actlocal.common.context import current_actor
from actlocal.common.models import AuditEntry


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The concrete field values of ``instance``, to diff against after a change."""
    names = (
        list(fields)
        if fields is not None
        else [f.attname for f in instance._meta.concrete_fields if not f.primary_key]
    )
    return {name: _plain(getattr(instance, name)) for name in names}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for the fields whose value changed."""
    keys = set(before) | set(after)
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(keys)
        if before.get(key) != after.get(key) and not key.endswith("modified_at")
    }


def log_action(
    action: str,
    *,
    obj: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
    actor: Any = None,
) -> AuditEntry:
    """Record ``action`` on ``obj`` by the current actor (or ``actor``).

    Call it inside the transaction that makes the change, so the entry and the
    change are committed or rolled back together.
    """
    context = current_actor()
    user = actor if actor is not None else context.user
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    label = getattr(user, "email", "") if user is not None else ""
    if not label:
        label = context.via if context.via != "web" else "anonymous"
    return AuditEntry.objects.create(
        actor=user,
        actor_label=label[:255],
        via=context.via[:100],
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
        changes=_plain(changes or {}),
        data=_plain(data or {}),
        ip_address=context.ip_address,
    )


def entries_for(obj: models.Model) -> models.QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).select_related("actor")
