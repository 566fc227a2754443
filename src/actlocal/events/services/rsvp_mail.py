"""The RSVP mails: confirmation (or waitlist) and promotion, each with the attendee .ics."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from django.conf import settings

from actlocal.common.mail import queue_mail
from actlocal.events.models import RSVP, Event
from actlocal.events.services import links

# The attendee .ics is the same for every attendee of an event: render it once per
# version of the fields it shows (icalendar is the costliest part of a confirmation).
ICS_FIELDS = (
    "pk",
    "uuid",
    "slug",
    "title",
    "summary",
    "description",
    "status",
    "timezone",
    "starts_at",
    "ends_at",
    "created_at",
    "modified_at",
    "is_virtual",
    "virtual_url",
    "venue",
    "address_line",
    "address_is_private",
    "city",
    "state",
    "zip_code",
)
_ics_cache: OrderedDict[tuple[Any, ...], str] = OrderedDict()
ICS_CACHE_SIZE = 64


def attendee_ics(event: Event) -> str:
    from actlocal.events.calendars import event_ics

    key = (settings.ACTLOCAL_BASE_URL, *(getattr(event, name) for name in ICS_FIELDS))
    body = _ics_cache.get(key)
    if body is None:
        body = event_ics(event, for_attendee=True)
        _ics_cache[key] = body
        while len(_ics_cache) > ICS_CACHE_SIZE:
            _ics_cache.popitem(last=False)
    return body


def confirmation_mail(record: RSVP, token: str | None, email: str | None = None) -> None:
    email = email or record.person.primary_email
    if not email:
        return
    template = "rsvp_confirmed" if record.is_confirmed else "rsvp_waitlisted"
    attachments = []
    if record.is_confirmed:
        attachments.append(
            {
                "filename": "event.ics",
                "content": attendee_ics(record.event),
                "mimetype": "text/calendar",
            }
        )
    queue_mail(
        to=email,
        template=template,
        context={
            "event": record.event,
            "rsvp": record,
            "person": record.person,
            "manage_url": links.manage_url(token) if token else "",
            "event_url": links.event_url(record.event.slug),
        },
        attachments=attachments,
    )


def promoted_mail(record: RSVP) -> None:
    email = record.person.primary_email
    if not email:
        return
    queue_mail(
        to=email,
        template="rsvp_promoted",
        context={
            "event": record.event,
            "rsvp": record,
            "person": record.person,
            "event_url": links.event_url(record.event.slug),
        },
        attachments=[
            {
                "filename": "event.ics",
                "content": attendee_ics(record.event),
                "mimetype": "text/calendar",
            }
        ],
        dedupe_key=f"rsvp-promoted:{record.pk}:{record.waitlist_position}",
    )
