"""Near-me search benchmark: 1,000,000 generated public events spread like the US population.

    python -m bench nearby                                   # SQLite in a fresh temporary data dir
    ACTLOCAL_DATA_DIR=/tmp/nearby python -m bench nearby     # SQLite file in that data dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/al_bench python -m bench nearby   # empty DB
    ... --reuse --no-docs                                    # keep the events, only print

The database is the app's own: ``DATABASE_URL`` (PostgreSQL) or else SQLite in
``ACTLOCAL_DATA_DIR``. Generate once per database, then measure with ``--reuse``.

Events are placed at ZIP centroids (jittered up to ~1.5 miles), ZIPs weighted by how
many ZIPs their city has, capped at 20 (see CITY_WEIGHT_CAP). The
1,000 query ZIPs are drawn from the same weights. Each query is what the search page
and the feed do per request: the exact count of events within the radius plus the
nearest 25 (by distance, then start) loaded as events (``NearbySearch.count`` and
``window``, as ``Paginator`` calls them). A sample of queries is checked against a
brute-force haversine over every event, and pages deeper in their lists against the
full sorted list. Figures go to the "Near-me search" section of docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

from bench._docs import write_section

SECTION = "## Near-me search"
# CPU time per query: this process's, plus on PostgreSQL its server backend's (read from
# /proc/<pid>/schedstat when the server runs on this machine). On SQLite the process time
# includes the database work. It shows the cost of a query apart from waiting for a
# shared machine's cores.
_CPU_MS: list[float] = []
_BACKEND_STAT: list[Path] = []


def _find_backend() -> str:
    """Where the PostgreSQL backend's CPU time is read; the CPU column's caption."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return "this process, database included"
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    stat = Path(f"/proc/{pid}/schedstat")
    if not stat.exists():
        return "this process only"
    _BACKEND_STAT[:] = [stat]
    return "this process + its PostgreSQL backend"


def _backend_ns() -> int:
    return int(_BACKEND_STAT[0].read_text().split()[0]) if _BACKEND_STAT else 0


# A ZIP's weight is the number of ZIPs its city has, capped: uncapped, a city with n ZIPs
# gets n**2 of the mass and 4.9% of all events fall within 5 miles of Midtown Manhattan
# (about 1% of Americans live there). Capped at 20, the share within 25 miles of Midtown
# is 3.4% (real: about 4%), within 5 miles 1.8%, within 25 miles of downtown LA 2.6% (real:
# about 3%).
CITY_WEIGHT_CAP = 20


def _weighted_zips() -> tuple[list[Any], list[float]]:
    from actlocal.common import geo

    places = [p for p in geo._zip_table().values() if p.state in geo.US_STATES]
    per_city = Counter((p.city, p.state) for p in places)
    return places, [float(min(CITY_WEIGHT_CAP, per_city[(p.city, p.state)])) for p in places]


def generate(count: int, rng: random.Random) -> float:
    """Insert ``count`` public events with plain SQL (COPY on PostgreSQL): minutes, not hours."""
    from django.db import connection, transaction

    from actlocal.events.models import Event

    places, weights = _weighted_zips()
    start = time.perf_counter()
    now = dt.datetime.now(dt.UTC)
    fields = [f for f in Event._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    constant = {
        f.attname: f.get_db_prep_save(f.get_default(), connection)
        for f in fields
        if f.attname not in {"uuid", "slug", "title", "latitude", "longitude", "zip_code",
                             "city", "state", "starts_at", "ends_at", "created_at", "modified_at",
                             "status", "visibility", "event_type"}
    }  # fmt: skip
    kinds = [Event.Type.HUDDLE, Event.Type.TOWN_HALL, Event.Type.MEETING]
    sqlite = connection.vendor == "sqlite"

    def stamp(value: dt.datetime) -> Any:
        return value.replace(tzinfo=None).isoformat(" ") if sqlite else value

    uuid_field = Event._meta.get_field("uuid")
    created = stamp(now)
    chosen = rng.choices(places, weights=weights, k=count)
    done = 0
    while done < count:
        rows = []
        for n in range(done, min(count, done + 50000)):
            place = chosen[n]
            starts = now + dt.timedelta(days=1 + rng.random() * 90)
            values = {
                **constant,
                "uuid": uuid_field.get_db_prep_save(
                    uuid.UUID(int=rng.getrandbits(128)), connection
                ),
                "slug": f"bench-{n}",
                "title": f"Bench huddle {n}",
                "event_type": kinds[n % 3].value,
                "status": "published",
                "visibility": "public",
                "city": place.city,
                "state": place.state,
                "zip_code": place.zip_code,
                "latitude": place.latitude + rng.uniform(-0.02, 0.02),
                "longitude": place.longitude + rng.uniform(-0.02, 0.02),
                "starts_at": stamp(starts),
                "ends_at": stamp(starts + dt.timedelta(hours=2)),
                "created_at": created,
                "modified_at": created,
            }
            rows.append(tuple(values[f.attname] for f in fields))
        with transaction.atomic(), connection.cursor() as cursor:
            table = Event._meta.db_table
            if sqlite:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows
                )
            else:
                raw = cursor.cursor  # psycopg cursor: COPY is the fast path
                with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
        done += len(rows)
        print(f"  {done:,} events ({time.perf_counter() - start:.0f} s)", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if sqlite else "VACUUM ANALYZE events_event")
    return time.perf_counter() - start


def _query(zip_code: str, radius: float) -> tuple[float, int]:
    from actlocal.common import geo
    from actlocal.events.nearby import NearbySearch, filtered_events, load_events

    start = time.perf_counter()
    cpu = time.process_time()
    server = _backend_ns()
    place = geo.zip_place(zip_code)
    assert place is not None
    search = NearbySearch(
        latitude=place.latitude,
        longitude=place.longitude,
        radius_miles=radius,
        queryset=filtered_events(),
    )
    total = search.count()
    load_events(search.window(0, 25))
    _CPU_MS.append((time.process_time() - cpu) * 1000 + (_backend_ns() - server) / 1e6)
    return (time.perf_counter() - start) * 1000, total


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)]


def check_exact(samples: list[tuple[str, float]]) -> int:
    """Compare against a brute-force haversine over every event; returns queries checked."""
    from actlocal.common import geo
    from actlocal.events.models import Event
    from actlocal.events.nearby import events_near

    now = dt.datetime.now(dt.UTC)
    rows = list(
        Event.objects.filter(status="published", visibility="public", is_virtual=False)
        .filter(ends_at__gte=now, latitude__isnull=False)
        .values_list("id", "latitude", "longitude")
    )
    for zip_code, radius in samples:
        place = geo.zip_place(zip_code)
        assert place is not None
        brute = {
            pk
            for pk, lat, lng in rows
            if geo.haversine_miles(place.latitude, place.longitude, lat, lng) <= radius
        }
        from actlocal.events.nearby import NearbySearch, filtered_events, hits_near_point

        kwargs: dict[str, Any] = {
            "latitude": place.latitude,
            "longitude": place.longitude,
            "radius_miles": radius,
            "queryset": filtered_events(),
        }
        full = hits_near_point(**kwargs)
        found = {h.event_id for h in full}
        search = NearbySearch(**kwargs)
        if found != brute or search.count() != len(brute) or search.window(0, 25) != full[:25]:
            raise SystemExit(f"NOT EXACT for {zip_code} r={radius}: {len(found)} vs {len(brute)}")
        # Deeper pages, each from a fresh search as a request would run it.
        for offset in sorted({25, 1000, len(full) // 2, max(0, len(full) - 10)}):
            page = NearbySearch(**kwargs).window(offset, 25)
            if page != full[offset : offset + 25]:
                raise SystemExit(f"PAGE NOT EXACT for {zip_code} r={radius} offset={offset}")
        if radius <= 5 and len(brute) < 3000:
            assert {e.pk for e, _ in events_near(zip_code=zip_code, radius_miles=radius)} == brute
    return len(samples)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench.nearby")
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--exact-samples", type=int, default=12)
    parser.add_argument("--reuse", action="store_true", help="Keep events already generated.")
    parser.add_argument("--no-docs", action="store_true")
    args = parser.parse_args(argv)
    os.environ.setdefault("ACTLOCAL_DATA_DIR", tempfile.mkdtemp(prefix="actlocal-bench-nearby-"))
    os.environ.setdefault("ACTLOCAL_TASKS", "immediate")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "actlocal.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from actlocal.events.models import Event

    call_command("migrate", verbosity=0)
    rng = random.Random(20091)
    existing = Event.objects.count()
    if existing and not args.reuse:
        sys.exit("bench.nearby needs an empty database (events found); or pass --reuse")
    gen_s = 0.0
    if not existing:
        print(f"generating {args.events:,} public events ...", flush=True)
        gen_s = generate(args.events, rng)
    total = Event.objects.count()
    places, weights = _weighted_zips()
    queries = [p.zip_code for p in rng.choices(places, weights=weights, k=args.queries)]
    db = connection.vendor
    cpu_caption = _find_backend()
    lines = [
        f"{SECTION} ({db})",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {platform.machine()} / "
        f"{os.cpu_count()} cores (shared) / Python {platform.python_version()}, database {db} "
        f"(`python -m bench nearby`). {total:,} public published events, ZIPs weighted by the "
        f"number of ZIPs in their city, capped at {CITY_WEIGHT_CAP} (see bench/nearby.py); "
        f"{len(queries):,} query ZIPs drawn from the same weights. "
        f"One query = exact count of events in the radius + the nearest 25 "
        f"(sorted by distance, then start) loaded as events: what the search page does "
        f"(`NearbySearch`, also behind `events_near_page`).",
        "",
        f"| radius | p50 | p95 | max | mean results | CPU p50 / p95 ({cpu_caption}) |",
        "|---|---|---|---|---|---|",
    ]
    for zip_code in queries[:20]:  # warm caches
        _query(zip_code, 25)
    for radius in (5.0, 25.0, 50.0):
        timings, sizes = [], []
        _CPU_MS.clear()
        for zip_code in queries:
            ms, n = _query(zip_code, radius)
            timings.append(ms)
            sizes.append(n)
        lines.append(
            f"| {radius:.0f} mi | **{_pct(timings, 0.5):.1f} ms** "
            f"| **{_pct(timings, 0.95):.1f} ms** "
            f"| {max(timings):.0f} ms | {statistics.mean(sizes):,.0f} "
            f"| {_pct(_CPU_MS, 0.5):.1f} / {_pct(_CPU_MS, 0.95):.1f} ms |"
        )
        print(lines[-1], f"(load {os.getloadavg()[0]:.1f})", flush=True)
    _CPU_MS.clear()
    ny = [_query("10001", 25.0) for _ in range(50)]
    ny_ms = [ms for ms, _ in ny]
    lines.append(
        f"| New York 10001, 25 mi (densest) | **{_pct(ny_ms, 0.5):.1f} ms** | "
        f"**{_pct(ny_ms, 0.95):.1f} ms** | {max(ny_ms):.0f} ms | {ny[0][1]:,} "
        f"| {_pct(_CPU_MS, 0.5):.1f} / {_pct(_CPU_MS, 0.95):.1f} ms |"
    )
    print(lines[-1], flush=True)
    samples = [
        (rng.choice(queries), rng.choice([5.0, 25.0, 50.0])) for _ in range(args.exact_samples)
    ]
    samples.append(("10001", 25.0))
    checked = check_exact(samples)
    lines += [
        "",
        f"Exactness: {checked} queries (random ZIPs and radii, plus New York 25 mi) returned "
        f"exactly the brute-force haversine set over all {total:,} events, with the same "
        f"count, and their first, 2nd, 41st, middle and last pages equal the full sorted list.",
    ]
    load = os.getloadavg()
    lines.append(
        f"Load average while measuring: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} "
        f"on {os.cpu_count()} cores shared with other work."
    )
    if gen_s:
        lines.append(f"Generating the events took {gen_s:.0f} s.")
    print("\n".join(lines[-2:]), flush=True)
    if not args.no_docs:
        write_section("\n".join(lines))
