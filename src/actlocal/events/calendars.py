"""iCalendar files with the event's own time zone (VTIMEZONE included)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar, Timezone
from icalendar import Event as ICalEvent

from actlocal.events.models import Event


def _location(event: Event, *, for_attendee: bool) -> str:
    if event.is_virtual:
        return event.virtual_url if for_attendee else ""
    street = event.address_line if (for_attendee or not event.address_is_private) else ""
    parts = [event.venue, street, f"{event.city} {event.state} {event.zip_code}".strip()]
    return ", ".join(p for p in parts if p)


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//ActLocal//Convenings//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    return cal


def _vevent(event: Event, *, base_url: str, for_attendee: bool) -> ICalEvent:
    tz = ZoneInfo(event.timezone)
    item = ICalEvent()
    item.add("uid", f"{event.uuid}@actlocal")
    item.add("summary", event.title)
    item.add("dtstart", event.starts_at.astimezone(tz))
    item.add("dtend", event.ends_at.astimezone(tz))
    item.add("dtstamp", event.modified_at or dt.datetime.now(dt.UTC))
    item.add("last-modified", event.modified_at or dt.datetime.now(dt.UTC))
    # Changes bump the sequence so calendars replace the old copy.
    item.add("sequence", int((event.modified_at or event.created_at).timestamp()) // 60 % 2**31)
    location = _location(event, for_attendee=for_attendee)
    if location:
        item.add("location", location)
    url = f"{base_url.rstrip('/')}{reverse('web:event', args=[event.slug])}"
    item.add("url", url)
    item.add("description", (event.summary or event.description or "") + f"\n\n{url}")
    if event.status == Event.Status.CANCELLED:
        item.add("status", "CANCELLED")
    else:
        item.add("status", "CONFIRMED")
    return item


@lru_cache(maxsize=256)
def _vtimezone(tzid: str, first_year: int, last_year: int) -> Timezone:
    # Transitions only for the years the events span: the full 1970-2038 table is slow.
    return Timezone.from_tzid(
        tzid, first_date=dt.date(first_year, 1, 1), last_date=dt.date(last_year, 12, 31)
    )


def events_ics(
    events: Iterable[Event], *, name: str, base_url: str | None = None, for_attendee: bool = False
) -> str:
    cal = _calendar(name)
    base = base_url or settings.ACTLOCAL_BASE_URL
    years: dict[str, tuple[int, int]] = {}
    for event in events:
        cal.add_component(_vevent(event, base_url=base, for_attendee=for_attendee))
        low, high = years.get(event.timezone, (event.starts_at.year, event.ends_at.year))
        years[event.timezone] = (min(low, event.starts_at.year), max(high, event.ends_at.year))
    for tzid, (low, high) in sorted(years.items()):
        cal.add_component(_vtimezone(tzid, low - 1, high + 1))
    return str(cal.to_ical().decode())


def event_ics(event: Event, *, base_url: str | None = None, for_attendee: bool = False) -> str:
    return events_ics([event], name=event.title, base_url=base_url, for_attendee=for_attendee)


__all__ = ["event_ics", "events_ics"]
