"""API benchmarks: p95 server time of a 25-person OSDI page from 100,000 people, and of
the public Mobilize-shaped feed near a ZIP.

    python -m bench api                                   # SQLite, fresh temporary data dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/al_bench_api python -m bench api
    python -c "from bench import api; api.main(['--people', '10000'])"   # with options

Requests go through the whole Django stack in-process (middleware, token auth, HAL
rendering), so the figures are the server's time without network. Printed, and written to
the "API" section of docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import tempfile
import time
from typing import Any

from bench._docs import write_section

SECTION = "## API"


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def _time(client: Any, paths: list[str], headers: dict[str, str]) -> tuple[list[float], set[int]]:
    timings, statuses = [], set()
    for path in paths:
        start = time.perf_counter()
        response = client.get(path, **headers)
        timings.append(time.perf_counter() - start)
        statuses.add(response.status_code)
    return timings, statuses


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench.api")
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--no-docs", action="store_true")
    args = parser.parse_args(argv)

    os.environ.setdefault("ACTLOCAL_DATA_DIR", tempfile.mkdtemp(prefix="actlocal-bench-api-"))
    os.environ.setdefault("ACTLOCAL_TASKS", "immediate")
    os.environ.setdefault("EMAIL_URL", "memory:")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "actlocal.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    import django

    django.setup()
    import datetime as dt

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from actlocal.accounts.models import User
    from actlocal.api.services import create_api_key
    from actlocal.common import geo
    from actlocal.events.models import Event
    from actlocal.people.models import EmailAddress, Person, PhoneNumber

    call_command("migrate", verbosity=0)
    rng = random.Random(7)
    stamp = int(time.time())

    have = Person.objects.count()
    if have < args.people:
        print(f"creating {args.people - have} people with emails and phones ...", flush=True)
        batch = 5000
        for offset in range(have, args.people, batch):
            people = Person.objects.bulk_create(
                [
                    Person(given_name=f"Given{n}", family_name=f"Family{n}", postal_code="20009")
                    for n in range(offset, min(offset + batch, args.people))
                ]
            )
            EmailAddress.objects.bulk_create(
                [EmailAddress(person=p, address=f"p{stamp}-{p.pk}@bench.invalid") for p in people]
            )
            PhoneNumber.objects.bulk_create(
                [PhoneNumber(person=p, number=f"202{p.pk:07d}") for p in people]
            )

    zips = list(geo._zip_table().values())
    have_events = Event.objects.filter(slug__startswith="bench-api-").count()
    if have_events < args.events:
        print(f"creating {args.events - have_events} public events ...", flush=True)
        soon = timezone.now() + dt.timedelta(days=10)
        dc = [p for p in zips if p.zip_code.startswith("200")]
        rows = []
        for n in range(have_events, args.events):
            # A third of the events around Washington DC, the rest anywhere in the US.
            place = rng.choice(dc) if n % 3 == 0 else rng.choice(zips)
            rows.append(
                Event(
                    slug=f"bench-api-{stamp}-{n}",
                    title=f"Huddle {n}",
                    status=Event.Status.PUBLISHED,
                    visibility=Event.Visibility.PUBLIC,
                    event_type=Event.Type.HUDDLE,
                    zip_code=place.zip_code,
                    latitude=place.latitude,
                    longitude=place.longitude,
                    starts_at=soon + dt.timedelta(hours=n % 500),
                    ends_at=soon + dt.timedelta(hours=n % 500 + 2),
                )
            )
        Event.objects.bulk_create(rows, batch_size=2000)

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh statistics after the bulk load, as autovacuum would
    staff, _ = User.objects.get_or_create(email="bench-staff@bench.invalid", is_staff=True)
    _key, token = create_api_key(user=staff, name="bench")
    headers = {"HTTP_OSDI_API_TOKEN": token}
    client = Client()
    total = Person.objects.count()
    pages = max(1, total // 25)

    client.get("/api/v2/people", **headers)  # warm up
    first_pages = [f"/api/v2/people?page={rng.randint(1, 40)}" for _ in range(args.requests)]
    any_pages = [f"/api/v2/people?page={rng.randint(1, pages)}" for _ in range(args.requests)]
    near = [
        f"/api/public/v1/events?zipcode={rng.choice(['20009', '20001', '20010', '22201'])}"
        f"&max_dist=25"
        for _ in range(args.requests)
    ]
    near_any = [
        f"/api/public/v1/events?zipcode={rng.choice(zips).zip_code}&max_dist=50"
        for _ in range(args.requests)
    ]
    results = {}
    for name, paths, hdrs in (
        ("people, first 40 pages", first_pages, headers),
        ("people, any page (deep offsets)", any_pages, headers),
        ("public feed near Washington DC, 25 mi", near, {}),
        ("public feed near a random ZIP, 50 mi", near_any, {}),
    ):
        timings, statuses = _time(client, paths, hdrs)
        results[name] = (_pct(timings, 0.5), _pct(timings, 0.95), statuses)
        print(
            f"{name}: p50 {results[name][0]:.1f} ms, p95 {results[name][1]:.1f} ms, "
            f"statuses {sorted(statuses)}",
            flush=True,
        )

    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    machine = f"{platform.node()} ({os.cpu_count()} CPUs, Python {platform.python_version()})"
    section = f"{SECTION} ({connection.vendor})"
    lines = [
        section,
        "",
        f"Measured {when} on {machine} (load average {os.getloadavg()[0]:.1f} at the end: "
        "the machine was shared with other test runs), "
        f"database {connection.vendor}; {total:,} people "
        f"(each with an email and a phone), {Event.objects.count():,} public events; "
        f"{args.requests} requests each, in-process through the full Django stack "
        "(token auth, HAL rendering), target p95 < 100 ms.",
        "",
    ]
    for name, (p50, p95, statuses) in results.items():
        lines.append(
            f"- {name}: p50 {p50:.1f} ms, p95 **{p95:.1f} ms** (statuses {sorted(statuses)})"
        )
    lines += [
        "",
        "The Washington DC case is deliberately dense: a third of the events lie within 25 "
        "miles, more than any real city; its time is spent in "
        "`events.nearby.events_near_page`. Deep people pages skip rows on the primary key, "
        "then load 25. Every people read also writes one `people.exported` audit entry.",
    ]
    text = "\n".join(lines)
    if not args.no_docs:
        write_section(text, section)
    print(text)
