"""Campaigns and events: create, update, cancel (cancelling tells everyone who RSVPed)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from actlocal.common import geo
from actlocal.common.audit import diff, log_action, snapshot
from actlocal.common.mail import queue_mail
from actlocal.events.models import RSVP, Campaign, Event, EventHost
from actlocal.events.services import links
from actlocal.events.services.errors import EventsError

EVENT_FIELDS = tuple(
    f.name
    for f in Event._meta.concrete_fields
    if f.name
    not in {
        "id",
        "uuid",
        "created_at",
        "modified_at",
        "campaign",
        "seats_taken",
        "waitlist_counter",
        "created_by",
    }
)
LOCATION_FIELDS = {"zip_code", "city", "state", "address_line", "address_is_private"}


def _unique_slug(title: str) -> str:
    base = slugify(title)[:180] or "event"
    slug, n = base, 1
    while Event.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _geocode(event: Event, *, explicit_point: bool) -> None:
    """ZIP (else city) centroid; a private address always publishes only that centroid."""
    if explicit_point and not event.address_is_private:
        return
    point = geo.locate(zip_code=event.zip_code, city=event.city, state=event.state)
    event.latitude, event.longitude = point if point else (None, None)


def _check(event: Event) -> None:
    if event.ends_at < event.starts_at:
        raise EventsError(_("The event must end after it starts."))
    if event.zip_code and geo.normalize_zip(event.zip_code) is None:
        raise EventsError(_("ZIP code %(zip)s is not a US ZIP code.") % {"zip": event.zip_code})
    if event.capacity is not None and event.capacity < event.seats_taken:
        raise EventsError(
            _("Capacity cannot go below the %(n)s seats already taken.") % {"n": event.seats_taken}
        )


def create_event(*, campaign: Campaign | None, by: Any, **fields: Any) -> Event:
    """Create an event; the creator (unless staff) becomes its lead host."""
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise ValueError(f"unknown event fields: {sorted(unknown)}")
    with transaction.atomic():
        event = Event(campaign=campaign, **fields)
        if not event.slug:
            event.slug = _unique_slug(event.title)
        user = by if getattr(by, "is_authenticated", False) else None
        event.created_by = user
        explicit = fields.get("latitude") is not None and fields.get("longitude") is not None
        _geocode(event, explicit_point=explicit)
        _check(event)
        event.save()
        if user is not None and not user.is_staff:
            EventHost.objects.create(event=event, user=user, role=EventHost.Role.LEAD)
        log_action("event.created", obj=event, changes=snapshot(event), actor=by)
    return event


def update_event(*, event: Event, by: Any, **fields: Any) -> Event:
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise ValueError(f"unknown event fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        before = snapshot(locked)
        for name, value in fields.items():
            setattr(locked, name, value)
        if LOCATION_FIELDS & set(fields) or {"latitude", "longitude"} & set(fields):
            explicit = "latitude" in fields and fields.get("latitude") is not None
            _geocode(locked, explicit_point=explicit)
        _check(locked)
        locked.save()
        changes = diff(before, snapshot(locked))
        if changes:
            log_action("event.updated", obj=locked, changes=changes, actor=by)
        if locked.capacity is None or (
            "capacity" in fields and locked.capacity > locked.seats_taken
        ):
            from actlocal.events.services.rsvps import promote_waitlist

            promote_waitlist(event=locked, by=by)
    return locked


def cancel_event(*, event: Event, by: Any, reason: str = "") -> Event:
    """Cancel the event and email everyone who RSVPed (accepted or waiting)."""
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.status == Event.Status.CANCELLED:
            return locked
        before = snapshot(locked, ["status"])
        locked.status = Event.Status.CANCELLED
        locked.save(update_fields=["status", "modified_at"])
        log_action(
            "event.updated",
            obj=locked,
            changes=diff(before, snapshot(locked, ["status"])),
            data={"reason": reason},
            actor=by,
        )
        answered = (
            RSVP.objects.filter(
                event=locked,
                status__in=[RSVP.Status.ACCEPTED, RSVP.Status.WAITLISTED, RSVP.Status.ATTENDED],
            )
            .select_related("person")
            .prefetch_related("person__email_addresses")
        )
        for record in answered:
            address = record.person.primary_email
            if address:
                queue_mail(
                    to=address,
                    template="event_cancelled",
                    context={
                        "event": locked,
                        "person": record.person,
                        "reason": reason,
                        "event_url": links.event_url(locked.slug),
                    },
                    dedupe_key=f"event-cancelled:{locked.pk}:{record.pk}",
                )
    return locked


def add_host(*, event: Event, user: Any, role: str, by: Any) -> EventHost:
    with transaction.atomic():
        host, created = EventHost.objects.update_or_create(
            event=event, user=user, defaults={"role": role}
        )
        log_action(
            "event.host_added" if created else "event.host_changed",
            obj=event,
            data={"user": user.email, "role": role},
            actor=by,
        )
    return host


def remove_host(*, host: EventHost, by: Any) -> None:
    with transaction.atomic():
        log_action(
            "event.host_removed",
            obj=host.event,
            data={"user": host.user.email, "role": host.role},
            actor=by,
        )
        host.delete()
