"""Demo: the "Hear Our Voice" campaign with public huddles across the country, and groups.

Idempotent: everything is found by slug (or email) before it is created. All
people are fictional.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from actlocal.common import geo
from actlocal.events.models import Campaign, Event
from actlocal.local.models import GroupMembership, LocalNetwork
from actlocal.people.services import upsert_person

CAMPAIGN_SLUG = "hear-our-voice"

# (city, state, ZIP) spread over the country; several events each.
CITIES = [
    ("Washington", "DC", "20001"), ("New York", "NY", "10027"), ("Brooklyn", "NY", "11215"),
    ("Philadelphia", "PA", "19104"), ("Boston", "MA", "02118"), ("Baltimore", "MD", "21218"),
    ("Richmond", "VA", "23220"), ("Raleigh", "NC", "27601"), ("Atlanta", "GA", "30308"),
    ("Miami", "FL", "33137"), ("Orlando", "FL", "32801"), ("Nashville", "TN", "37203"),
    ("Louisville", "KY", "40202"), ("Columbus", "OH", "43215"), ("Cleveland", "OH", "44113"),
    ("Detroit", "MI", "48201"), ("Chicago", "IL", "60614"), ("Milwaukee", "WI", "53202"),
    ("Minneapolis", "MN", "55408"), ("St. Louis", "MO", "63104"), ("Kansas City", "MO", "64111"),
    ("New Orleans", "LA", "70116"), ("Houston", "TX", "77004"), ("Austin", "TX", "78704"),
    ("Dallas", "TX", "75204"), ("San Antonio", "TX", "78210"), ("Denver", "CO", "80205"),
    ("Albuquerque", "NM", "87102"), ("Phoenix", "AZ", "85004"), ("Tucson", "AZ", "85705"),
    ("Salt Lake City", "UT", "84111"), ("Las Vegas", "NV", "89101"), ("Los Angeles", "CA", "90026"),
    ("Oakland", "CA", "94612"), ("San Diego", "CA", "92104"), ("Sacramento", "CA", "95814"),
    ("Portland", "OR", "97214"), ("Seattle", "WA", "98122"), ("Boise", "ID", "83702"),
    ("Anchorage", "AK", "99501"),
]  # fmt: skip

VENUES = [
    "Public Library community room", "Neighborhood church hall", "Community center",
    "Union hall", "Coffee shop back room", "Park pavilion", "Recreation center",
]  # fmt: skip
FIRST = [
    "Amara",
    "Diego",
    "Mei",
    "Tobias",
    "Lena",
    "Kwame",
    "Sofia",
    "Arjun",
    "Hana",
    "Mateo",
    "Ines",
    "Jonah",
    "Yara",
    "Felix",
    "Noor",
    "Otis",
    "Priya",
    "Rafael",
    "Zoe",
    "Emeka",
]
LAST = [
    "Quillfeather",
    "Brightwater",
    "Oakhollow",
    "Marlowe-Reyes",
    "Stonebridge",
    "Fairweather",
    "Ashdown",
    "Kestrel",
    "Larkspur",
    "Holloway-Tran",
    "Winterbourne",
    "Calder",
]

GROUPS = [
    ("logan-circle-action", "Logan Circle Action Network", "Logan Circle", "Washington", "DC",
     "20009"),
    ("park-slope-rising", "Park Slope Rising", "Park Slope", "Brooklyn", "NY", "11215"),
    ("south-side-speaks", "South Side Speaks", "Hyde Park", "Chicago", "IL", "60615"),
    ("east-austin-together", "East Austin Together", "East Austin", "Austin", "TX", "78702"),
    ("capitol-hill-neighbors", "Capitol Hill Neighbors for Action", "Capitol Hill", "Seattle",
     "WA", "98102"),
]  # fmt: skip


def _campaign() -> Campaign:
    campaign, _ = Campaign.objects.get_or_create(
        slug=CAMPAIGN_SLUG,
        defaults={
            "name": "Hear Our Voice",
            "kind": Campaign.Kind.LOCAL_ACTION,
            "summary": "Neighborhood huddles after the march: join an event near you.",
            "description": (
                "Marchers and allies meet in living rooms, libraries and parks to share "
                "what inspired them, the concerns they carry, and how each will contribute."
            ),
            "is_open_for_hosting": True,
            "requires_approval": True,
            "host_pitch": (
                "You do not need experience. Invite a few neighbors, use our huddle agenda, "
                "and leave with a plan for what each of you will do next."
            ),
            "host_instructions": (
                "Choose a public, accessible place if you can (or your home: we only show the "
                "neighborhood). Plan 90 minutes. Print the sign-in sheet from your dashboard "
                "and record pledges afterwards."
            ),
        },
    )
    return campaign


def _event(
    campaign: Campaign,
    *,
    slug: str,
    title: str,
    event_type: str,
    zip_code: str,
    starts_at: dt.datetime,
    venue: str,
    point: tuple[float, float] | None = None,
    status: str = Event.Status.PUBLISHED,
    private: bool = False,
    accessible: str = Event.Accessibility.ACCESSIBLE,
) -> Event:
    place = geo.zip_place(zip_code)
    assert place is not None, zip_code
    lat, lng = point or (place.latitude, place.longitude)
    event, _ = Event.objects.get_or_create(
        slug=slug,
        defaults={
            "campaign": campaign,
            "title": title,
            "event_type": event_type,
            "visibility": Event.Visibility.PUBLIC,
            "status": status,
            "summary": "Share inspirations, discuss concerns, and say how each will contribute.",
            "venue": venue,
            "address_is_private": private,
            "city": place.city,
            "state": place.state,
            "zip_code": place.zip_code,
            "latitude": lat,
            "longitude": lng,
            "starts_at": starts_at,
            "ends_at": starts_at + dt.timedelta(minutes=90),
            "timezone": place.timezone or "America/New_York",
            "capacity": 40,
            "accessibility_status": accessible,
        },
    )
    return event


def _events(campaign: Campaign) -> int:
    rng = random.Random(2026)
    today = timezone.localdate()
    created = 0
    kinds = [Event.Type.HUDDLE, Event.Type.HUDDLE, Event.Type.TOWN_HALL, Event.Type.MEETING]
    for city, state, zip_code in CITIES:
        tz = ZoneInfo(geo.zip_place(zip_code).timezone or "America/New_York")  # type: ignore[union-attr]
        for n in range(3):
            kind = kinds[(n + len(city)) % len(kinds)]
            day = today + dt.timedelta(days=7 + rng.randint(0, 60))
            starts = dt.datetime.combine(day, dt.time(18 + n % 2, 0), tzinfo=tz)
            label = Event.Type(kind).label.title()
            _event(
                campaign,
                slug=f"hear-our-voice-{zip_code}-{n + 1}",
                title=f"Hear Our Voice {label}: {city}, {state}",
                event_type=kind,
                zip_code=zip_code,
                starts_at=starts,
                venue=rng.choice(VENUES),
                private=n == 2,
                accessible=rng.choice(list(Event.Accessibility.values)),
            )
            created += 1
    dc = ZoneInfo("America/New_York")
    _event(
        campaign,
        slug="hear-our-voice-logan-circle-huddle",
        title="Logan Circle Huddle: Hear Our Voice",
        event_type=Event.Type.HUDDLE,
        zip_code="20009",
        starts_at=dt.datetime.combine(today + dt.timedelta(days=9), dt.time(18, 30), tzinfo=dc),
        venue="Logan Circle (north side, by the statue)",
        point=(38.9096, -77.0296),
    )
    _event(
        campaign,
        slug="hear-our-voice-online-huddle",
        title="Hear Our Voice: online huddle for rural members",
        event_type=Event.Type.HUDDLE,
        zip_code="20009",
        starts_at=dt.datetime.combine(today + dt.timedelta(days=12), dt.time(20, 0), tzinfo=dc),
        venue="Online",
    )
    Event.objects.filter(slug="hear-our-voice-online-huddle").update(
        is_virtual=True, latitude=None, longitude=None
    )
    for n, (zip_code, title) in enumerate(
        [("20010", "Columbia Heights kitchen-table huddle"), ("19143", "West Philly huddle")]
    ):
        _event(
            campaign,
            slug=f"hear-our-voice-pending-{n + 1}",
            title=title,
            event_type=Event.Type.HUDDLE,
            zip_code=zip_code,
            starts_at=dt.datetime.combine(today + dt.timedelta(days=14), dt.time(19), tzinfo=dc),
            venue="A neighbor's home",
            private=True,
            status=Event.Status.PENDING,
        )
    return created + 4


def _groups(campaign: Campaign) -> None:
    rng = random.Random(7)
    for index, (slug, name, hood, city, state, zip_code) in enumerate(GROUPS):
        place = geo.zip_place(zip_code)
        network, _ = LocalNetwork.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "neighborhood": hood,
                "city": city,
                "state": state,
                "zip_code": zip_code,
                "latitude": place.latitude if place else None,
                "longitude": place.longitude if place else None,
                "campaign": campaign,
                "summary": f"Neighbors in {hood} who keep organizing after the march.",
            },
        )
        for m in range(8 + index * 3):
            given, family = FIRST[(m + index) % len(FIRST)], LAST[(m * 3 + index) % len(LAST)]
            email = f"{given}.{family}.{slug}@example.net".lower().replace("-", "")
            person, _ = upsert_person(
                email=email,
                fields={"given_name": given, "family_name": family, "postal_code": zip_code},
                source="demo",
                overwrite=False,
            )
            GroupMembership.objects.get_or_create(
                network=network,
                person=person,
                defaults={"role": "organizer" if m == 0 else "member"},
            )
        rng.random()


def load(stdout: Any) -> None:
    with transaction.atomic():
        campaign = _campaign()
        count = _events(campaign)
        _groups(campaign)
    if stdout:
        stdout.write(f"demo: Hear Our Voice with {count} events, {len(GROUPS)} local groups")
