"""Demo convenings of "ActLocal November": 16 invite-only city events, filled in bulk.

Idempotent: a city whose event already has invitations is left alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import random
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import transaction

from actlocal.accounts.demo import DEMO_PASSWORD, HOST_EMAIL, demo_user
from actlocal.accounts.models import User
from actlocal.events.models import (
    RSVP,
    Campaign,
    Event,
    EventHost,
    Facilitator,
    Invitation,
    Nomination,
    Room,
    Session,
    Track,
)
from actlocal.people.models import EmailAddress, Person

# (slug, city, state, zip, time zone, venue, capacity)
CITIES = [
    ("washington-dc", "Washington", "DC", "20001", "America/New_York", "Shaw Community Hall", 120),
    ("new-york-ny", "New York", "NY", "10027", "America/New_York", "Harlem Commons", 150),
    ("philadelphia-pa", "Philadelphia", "PA", "19104", "America/New_York", "West Philly Hall", 80),
    ("atlanta-ga", "Atlanta", "GA", "30314", "America/New_York", "Westside Union Hall", 90),
    ("chicago-il", "Chicago", "IL", "60608", "America/Chicago", "Pilsen Community House", 110),
    ("detroit-mi", "Detroit", "MI", "48201", "America/Detroit", "Midtown Labor Temple", 70),
    ("houston-tx", "Houston", "TX", "77004", "America/Chicago", "Third Ward Center", 100),
    ("phoenix-az", "Phoenix", "AZ", "85004", "America/Phoenix", "Roosevelt Row Hall", 60),
    ("denver-co", "Denver", "CO", "80205", "America/Denver", "Five Points Commons", 60),
    ("los-angeles-ca", "Los Angeles", "CA", "90011", "America/Los_Angeles", "Eastside Hall", 140),
    ("san-francisco-ca", "San Francisco", "CA", "94110", "America/Los_Angeles", "Mission Hall", 80),
    ("seattle-wa", "Seattle", "WA", "98144", "America/Los_Angeles", "Rainier Commons", 70),
    ("minneapolis-mn", "Minneapolis", "MN", "55407", "America/Chicago", "Powderhorn House", 60),
    ("miami-fl", "Miami", "FL", "33127", "America/New_York", "Little Haiti Center", 80),
    ("charlotte-nc", "Charlotte", "NC", "28205", "America/New_York", "Plaza Midwood Hall", 50),
    ("milwaukee-wi", "Milwaukee", "WI", "53212", "America/Chicago", "Bronzeville Hall", 16),
]
GIVEN = [
    "Amara",
    "Bastian",
    "Celia",
    "Dorian",
    "Esme",
    "Faisal",
    "Greta",
    "Hollis",
    "Imani",
    "Jonah",
    "Keziah",
    "Lucian",
    "Marisol",
    "Nnamdi",
    "Odessa",
    "Pilar",
    "Quentin",
    "Rhiannon",
    "Soren",
    "Tamsin",
    "Ulises",
    "Vesna",
    "Wendell",
    "Xiomara",
    "Yusuf",
    "Zinnia",
]
FAMILY = [
    "Abernathy-Cruz",
    "Bellweather",
    "Castellano",
    "Drummond",
    "Efosa",
    "Fairbairn",
    "Galloway",
    "Huxtaby",
    "Iwu",
    "Jessup",
    "Kowalczyk",
    "Lindqvist",
    "Mbeki-Hart",
    "Nakashima",
    "Okafor-Reyes",
    "Pemberton",
    "Quarles",
    "Rosenthal",
    "Sandoval",
    "Thibodeaux",
    "Underhill",
    "Valdivia",
]
SESSIONS = [
    ("Welcome and local landscape", "plenary", 0, 60, "Main hall", "All"),
    ("Organizing 101: one-on-ones", "workshop", 75, 90, "Room A", "Skills"),
    ("Protecting DACA recipients", "training", 75, 90, "Room B", "Issues"),
    ("Voting rights in our state", "workshop", 210, 90, "Room A", "Issues"),
    ("Medicaid expansion storytelling", "training", 210, 90, "Room B", "Skills"),
    ("Networking and next steps", "networking", 330, 60, "Main hall", "All"),
]
PEOPLE_PER_CITY = 30


def _token_hash(seed: str) -> str:
    return hashlib.sha256(f"demo-not-a-real-token:{seed}".encode()).hexdigest()


def _campaign() -> Campaign:
    campaign, _ = Campaign.objects.get_or_create(
        slug="actlocal-november",
        defaults={
            "name": "ActLocal November",
            "kind": Campaign.Kind.CONVENING,
            "summary": "A day of workshops, trainings and networking in cities across the country.",
            "description": (
                "Local host committees set each city's agenda; community organizers, faith "
                "leaders and citizen leaders are invited."
            ),
            "starts_on": dt.date(2026, 12, 12),
            "ends_on": dt.date(2026, 12, 12),
        },
    )
    return campaign


def _event(campaign: Campaign, row: tuple[Any, ...]) -> Event:
    slug, city, state, zip_code, tzname, venue, capacity = row
    tz = ZoneInfo(tzname)
    from actlocal.common import geo

    point = geo.locate(zip_code=zip_code, city=city, state=state) or (None, None)
    event, _ = Event.objects.get_or_create(
        slug=f"actlocal-november-{slug}",
        defaults={
            "campaign": campaign,
            "title": f"ActLocal November: {city}, {state}",
            "summary": f"A day of workshops, trainings and networking for {city}'s local leaders.",
            "event_type": Event.Type.CONVENING,
            "visibility": Event.Visibility.INVITE_ONLY,
            "status": Event.Status.PUBLISHED,
            "venue": venue,
            "address_line": "100 Assembly Street",
            "city": city,
            "state": state,
            "zip_code": zip_code,
            "latitude": point[0],
            "longitude": point[1],
            "starts_at": dt.datetime(2026, 12, 12, 9, 0, tzinfo=tz),
            "ends_at": dt.datetime(2026, 12, 12, 17, 0, tzinfo=tz),
            "timezone": tzname,
            "capacity": capacity,
            "max_guests": 1,
            "accessibility_status": Event.Accessibility.ACCESSIBLE,
            "accessibility_notes": "Step-free entrance; ASL interpretation on request.",
        },
    )
    return event


def _hosts(event: Event, slug: str, password_hash: str, lead: User | None) -> None:
    emails = [f"host-{slug}@actlocal.example", f"checkin-{slug}@actlocal.example"]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    User.objects.bulk_create(
        [
            User(
                email=e,
                full_name=f"{GIVEN[i * 7 % 26]} {FAMILY[i * 5 % 22]}",
                password=password_hash,
            )
            for i, e in enumerate(emails)
            if e not in existing
        ]
    )
    users = {u.email: u for u in User.objects.filter(email__in=emails)}
    roles = [
        (lead or users[emails[0]], EventHost.Role.LEAD),
        (users[emails[0]] if lead else None, EventHost.Role.AGENDA),
        (users[emails[1]], EventHost.Role.CHECKIN),
    ]
    for user, role in roles:
        if user is not None:
            EventHost.objects.get_or_create(event=event, user=user, defaults={"role": role})


def _people(slug: str, rng: random.Random, n: int) -> list[Person]:
    people = Person.objects.bulk_create(
        [
            Person(
                given_name=rng.choice(GIVEN),
                family_name=rng.choice(FAMILY),
                source="demo",
            )
            for _ in range(n)
        ]
    )
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(person=p, address=f"{slug}-leader{i}@example.net", primary=True)
            for i, p in enumerate(people)
        ]
    )
    return people


def _agenda(event: Event, people: list[Person]) -> None:
    tz = ZoneInfo(event.timezone)
    day = dt.datetime(2026, 12, 12, 9, 0, tzinfo=tz)
    tracks = {
        name: Track.objects.create(event=event, name=name) for name in ("All", "Skills", "Issues")
    }
    rooms = {
        name: Room.objects.create(event=event, name=name, capacity=cap)
        for name, cap in (("Main hall", event.capacity), ("Room A", 40), ("Room B", 30))
    }
    sessions = Session.objects.bulk_create(
        [
            Session(
                event=event,
                title=title,
                format=fmt,
                starts_at=day + dt.timedelta(minutes=start),
                ends_at=day + dt.timedelta(minutes=start + length),
                room=rooms[room],
                track=tracks[track],
                capacity=rooms[room].capacity if fmt != "plenary" else None,
                topics=[title.split(":")[0]],
            )
            for title, fmt, start, length, room, track in SESSIONS
        ]
    )
    Facilitator.objects.bulk_create(
        [Facilitator(session=s, person=people[i % len(people)]) for i, s in enumerate(sessions)]
    )


def _invitations_and_rsvps(event: Event, people: list[Person], rng: random.Random) -> None:
    # Invitations in every state; accepted ones get an RSVP (some over capacity: a waitlist).
    plan = (
        [Invitation.Status.ACCEPTED] * 20
        + [Invitation.Status.SENT] * 4
        + [Invitation.Status.DECLINED] * 3
        + [Invitation.Status.PENDING] * 2
        + [Invitation.Status.REVOKED] * 1
    )
    invitations = []
    for i, (person, status) in enumerate(zip(people, plan, strict=False)):
        invitations.append(
            Invitation(
                event=event,
                person=person,
                status=status,
                token_hash=_token_hash(f"{event.slug}:{i}"),
                source="map" if i % 2 else "emails",
                sent_at=None if status == Invitation.Status.PENDING else event.created_at,
                send_count=0 if status == Invitation.Status.PENDING else 1,
            )
        )
    Invitation.objects.bulk_create(invitations)
    rsvps, seats, position = [], 0, 0
    for i, inv in enumerate(invitations):
        if inv.status == Invitation.Status.DECLINED:
            rsvps.append(RSVP(event=event, person=inv.person, status=RSVP.Status.DECLINED))
            continue
        if inv.status != Invitation.Status.ACCEPTED:
            continue
        size = 2 if i % 7 == 3 else 1
        record = RSVP(
            event=event,
            person=inv.person,
            party_size=size,
            source="invitation",
            checkin_code=f"{event.pk:03d}{i:05d}"[-8:].upper(),
            share_attendance=i % 3 == 0,
            need_dietary=rng.choice(["", "", "vegetarian", "halal", "gluten-free"]),
            need_accessibility="wheelchair seating" if i % 9 == 0 else "",
            need_childcare=i % 8 == 0,
            need_interpretation=rng.choice(["", "", "", "Spanish", "ASL", "Vietnamese"]),
        )
        if event.capacity is None or seats + size <= event.capacity:
            record.status = RSVP.Status.ACCEPTED
            seats += size
        else:
            position += 1
            record.status = RSVP.Status.WAITLISTED
            record.waitlist_position = position
        rsvps.append(record)
    RSVP.objects.bulk_create(rsvps)
    Event.objects.filter(pk=event.pk).update(seats_taken=seats, waitlist_counter=position)
    # Partners' nominations waiting for the hosts.
    Nomination.objects.bulk_create(
        [
            Nomination(
                event=event, person=p, reason="Leads the tenants' union in the neighborhood."
            )
            for p in people[len(plan) : len(plan) + 2]
        ]
    )


def load(stdout: Any) -> None:
    rng = random.Random(20261212)
    password_hash = make_password(DEMO_PASSWORD)
    campaign = _campaign()
    seeded = 0
    for row in CITIES:
        with transaction.atomic():
            event = _event(campaign, row)
            lead = demo_user(HOST_EMAIL) if row[0] == "washington-dc" else None
            _hosts(event, row[0], password_hash, lead)
            if event.invitations.exists():
                continue
            people = _people(row[0], rng, PEOPLE_PER_CITY + 2)
            _agenda(event, people)
            _invitations_and_rsvps(event, people, rng)
            seeded += 1
    _campaign_setup(campaign)
    if stdout:
        stdout.write(
            f"demo: {len(CITIES)} city convenings of ActLocal November ({seeded} filled now)"
        )


def _pdf(lines: list[str]) -> bytes:
    """A one-page PDF of plain text lines, made here so no binary file lives in the repo."""
    text = (
        "BT /F1 12 Tf 72 720 Td 16 TL "
        + " ".join(
            "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '"
            for line in lines
        )
        + " ET"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text.encode("latin-1")),
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


HOST_GUIDE = [
    "ActLocal November - host committee guide",
    "",
    "1. Confirm the venue's step-free entrance and quiet room.",
    "2. Send invitations three weeks ahead; reminders go out by themselves.",
    "3. On the day, open the check-in page on two phones; it works offline.",
    "4. After the day, send the follow-up survey from the event's page.",
]


def _campaign_setup(campaign: Campaign) -> None:
    """Defaults for new city events, the agenda template and one shared document."""
    from actlocal.events.services import campaigns as campaign_services

    if campaign.default_start_time is None:
        campaign_services.update_campaign(
            campaign=campaign,
            by=None,
            default_event_type=Event.Type.CONVENING,
            default_visibility=Event.Visibility.INVITE_ONLY,
            default_capacity=100,
            default_start_time=dt.time(9, 30),
            default_end_time=dt.time(16, 30),
            default_description=(
                "A day of workshops, trainings and networking for the city's local leaders."
            ),
            default_accessibility_status=Event.Accessibility.ACCESSIBLE,
            default_accessibility_notes="Step-free entrance; ASL on request.",
            default_contact_name="ActLocal network staff",
            default_contact_email="convenings@actlocal.example",
            template_event=Event.objects.filter(slug="actlocal-november-washington-dc").first(),
        )
    if not campaign.documents.exists():
        content = _pdf(HOST_GUIDE)
        campaign_services.add_document(
            campaign=campaign,
            by=None,
            title="Host committee guide",
            description="What each host committee does before, on and after the day.",
            stream=io.BytesIO(content),
            name="host-guide.pdf",
            size=len(content),
        )
