"""Named actions of the API app: keys, webhooks, and the OSDI signup helper."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actlocal.api.models import ApiKey, Webhook
from actlocal.api.webhooks import forget_active_hooks
from actlocal.common.audit import log_action
from actlocal.network.rules import administered_organization_ids
from actlocal.people import services as people_services
from actlocal.people.models import Person


class ApiError(Exception):
    """A business-rule failure with a user-facing message."""


def create_api_key(
    *, user: Any, name: str, read_only: bool = False, organization: Any = None, by: Any = None
) -> tuple[ApiKey, str]:
    """Make a key for ``user``; returns it with the token, which is never stored."""
    if organization is not None and not (
        user.is_staff or organization.pk in administered_organization_ids(user)
    ):
        raise ApiError(
            _("%(user)s does not administer %(org)s.") % {"user": user.email, "org": organization}
        )
    token = f"al_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        key = ApiKey.objects.create(
            user=user,
            name=(name or _("API key"))[:100],
            token_hash=ApiKey.hash_token(token),
            prefix=token[:10],
            read_only=read_only,
            organization=organization,
        )
        log_action(
            "api_key.created",
            obj=key,
            data={"owner": user.email, "read_only": read_only, "organization": str(organization)},
            actor=by,
        )
    return key, token


def revoke_api_key(*, key: ApiKey, by: Any = None) -> ApiKey:
    with transaction.atomic():
        if key.revoked_at is None:
            key.revoked_at = timezone.now()
            key.save(update_fields=["revoked_at", "modified_at"])
            log_action("api_key.revoked", obj=key, actor=by)
    return key


def create_webhook(*, name: str, url: str, event_types: list[str], by: Any = None) -> Webhook:
    valid = set(Webhook.EventType.values)
    unknown = sorted(set(event_types) - valid)
    if unknown:
        raise ApiError(_("Unknown event types: %(types)s") % {"types": ", ".join(unknown)})
    if not event_types:
        raise ApiError(_("Choose at least one event type."))
    with transaction.atomic():
        webhook = Webhook.objects.create(
            name=name[:100],
            url=url,
            event_types=sorted(set(event_types)),
            secret=secrets.token_hex(32),
            created_by=by if getattr(by, "is_authenticated", False) else None,
        )
        log_action("webhook.created", obj=webhook, data={"url": url}, actor=by)
        forget_active_hooks()
    return webhook


def set_webhook_active(*, webhook: Webhook, active: bool, by: Any = None) -> Webhook:
    with transaction.atomic():
        webhook.is_active = active
        if active:
            webhook.consecutive_failures = 0
            webhook.disabled_reason = ""
        webhook.save()
        log_action("webhook.enabled" if active else "webhook.disabled", obj=webhook, actor=by)
        forget_active_hooks()
    return webhook


def delete_webhook(*, webhook: Webhook, by: Any = None) -> None:
    with transaction.atomic():
        log_action("webhook.deleted", obj=webhook, data={"url": webhook.url}, actor=by)
        webhook.delete()
        forget_active_hooks()


# --- OSDI person signup helper ------------------------------------------------------


@dataclass
class PersonInput:
    """A person as the OSDI helper sends it, validated into our fields."""

    email: str | None
    fields: dict[str, Any]
    phone: str | None = None
    custom_fields: dict[str, Any] = field(default_factory=dict)


def signup_person(
    *,
    data: PersonInput,
    add_tags: list[str],
    remove_tags: list[str],
    organization: Any = None,
    source: str = "api",
    by: Any = None,
) -> tuple[Person, bool]:
    """Upsert by email, then tag/untag and (for a partner key) enroll in its organization."""
    with transaction.atomic():
        fields = dict(data.fields)
        if data.custom_fields:
            existing = people_services.person_by_email(data.email) if data.email else None
            current = dict(existing.custom_fields) if existing is not None else {}
            fields["custom_fields"] = {**current, **data.custom_fields}
        person, created = people_services.upsert_person(
            email=data.email, fields=fields, phone=data.phone, source=source, by=by
        )
        if add_tags:
            people_services.tag_person(person=person, tag_names=add_tags, by=by)
        if remove_tags:
            people_services.untag_person(person=person, tag_names=remove_tags, by=by)
        if organization is not None:
            people_services.add_membership(
                person=person, organization=organization, source=source, by=by
            )
        if created:
            # OSDI clients tell "created" from "updated" by created_date == modified_date.
            Person.objects.filter(pk=person.pk).update(modified_at=person.created_at)
            person.modified_at = person.created_at
    return person, created


def submit_form(
    *,
    form: Any,
    data: PersonInput,
    add_tags: list[str],
    organization: Any = None,
    source: str = "form",
    by: Any = None,
) -> Any:
    """The OSDI record-submission helper: upsert the person and record their answer, at once."""
    with transaction.atomic():
        person, _created = signup_person(
            data=data,
            add_tags=add_tags,
            remove_tags=[],
            organization=organization,
            source=source,
            by=by,
        )
        return people_services.record_submission(form=form, person=person, by=by)


def record_attendance(
    *,
    event: Any,
    data: PersonInput,
    add_tags: list[str],
    organization: Any = None,
    source: str = "api",
    by: Any = None,
) -> tuple[Any, bool]:
    """The OSDI record-attendance helper: upsert the person, then RSVP (or waitlist) them.

    Raises ``EventsError`` when the event takes no RSVPs; nothing is written then.
    """
    from actlocal.events.models import RSVP
    from actlocal.events.services.rsvps import rsvp

    with transaction.atomic():
        person, _created = signup_person(
            data=data,
            add_tags=add_tags,
            remove_tags=[],
            organization=organization,
            source=source,
            by=by,
        )
        existed = RSVP.objects.filter(event=event, person=person).exists()
        record, _token = rsvp(event=event, person=person, source=source[:50], by=by)
    return record, not existed


def create_api_event(
    *, fields: dict[str, Any], campaign: Any = None, organization: Any = None, by: Any = None
) -> Any:
    """``POST /api/v2/events``: the events app's ``create_event``; the key's org sponsors."""
    from actlocal.events.services.events import create_event

    if organization is not None:
        fields = {**fields, "organization": organization}
    return create_event(campaign=campaign, by=by, **fields)
