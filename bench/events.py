"""Convenings benchmarks: the RSVP race and throughput over HTTP on gunicorn with
2 workers, and the event page's server time with 5,000 attendees.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/al_bench_events python -m bench events
    python -m bench events            # SQLite in a fresh temporary data dir

Figures are printed and written to the "Convenings" section of docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_gunicorn(port: int, workers: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    proc = subprocess.Popen(
        [
            gunicorn,
            "actlocal.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            "4",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=str(ROOT),
    )
    import requests

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return proc
        except requests.RequestException:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("gunicorn did not start")


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _rsvp_over_http(
    base: str, slug: str, emails: list[str], clients: int
) -> tuple[float, dict[int, int], list[float]]:
    """Each of ``clients`` threads keeps a session; returns (seconds, statuses, latencies)."""
    import requests

    local = threading.local()
    statuses: dict[int, int] = {}
    latencies: list[float] = []
    lock = threading.Lock()
    url = f"{base}/events/{slug}/"

    def session() -> tuple[Any, str]:
        if not hasattr(local, "session"):
            local.session = requests.Session()
            page = local.session.get(url, timeout=30)
            local.token = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
        return local.session, local.token

    # Warm every client (GET + CSRF) before the clock starts.
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(lambda _i: session(), range(clients * 3)))

    barrier = threading.Barrier(clients)

    def one(email: str) -> None:
        s, token = session()
        if not getattr(local, "started", False):
            local.started = True
            barrier.wait(timeout=30)
        t0 = time.perf_counter()
        response = s.post(
            url,
            data={
                "csrfmiddlewaretoken": token,
                "given_name": "Bench",
                "family_name": email.split("@")[0],
                "email": email,
                "party_size": 1,
            },
            headers={"Referer": url},
            allow_redirects=False,
            timeout=60,
        )
        elapsed = time.perf_counter() - t0
        with lock:
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            latencies.append(elapsed)

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(one, emails))
    return time.perf_counter() - start, statuses, latencies


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def _write_docs(text: str) -> None:
    path = ROOT / "docs" / "performance.md"
    content = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    start = content.find("## Convenings")
    if start != -1:
        end = content.find("\n## ", start + 5)
        content = content[:start] + content[end + 1 :] if end != -1 else content[:start]
    path.write_text(content.rstrip() + "\n\n" + text.rstrip() + "\n", encoding="utf-8")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench.events")
    parser.add_argument("--clients", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--race", type=int, default=200)
    parser.add_argument("--capacity", type=int, default=50)
    parser.add_argument("--throughput", type=int, default=1000)
    parser.add_argument("--attendees", type=int, default=5000)
    parser.add_argument("--no-docs", action="store_true")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="actlocal-bench-events-"))
    os.environ.setdefault("ACTLOCAL_DATA_DIR", str(workdir))
    os.environ.setdefault(
        "ACTLOCAL_TASKS", "database"
    )  # mail queued for a worker, as in production
    os.environ.setdefault("EMAIL_URL", "memory:")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "actlocal.settings")
    import django

    django.setup()
    import datetime as dt

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from actlocal.events.models import RSVP, Event
    from actlocal.people.models import EmailAddress, Person

    call_command("migrate", verbosity=0)
    stamp = int(time.time())
    soon = timezone.now() + dt.timedelta(days=30)

    def make_event(slug: str, capacity: int | None) -> Event:
        return Event.objects.create(
            slug=f"{slug}-{stamp}",
            title=f"Bench {slug}",
            status=Event.Status.PUBLISHED,
            visibility=Event.Visibility.PUBLIC,
            zip_code="20009",
            city="Washington",
            state="DC",
            starts_at=soon,
            ends_at=soon + dt.timedelta(hours=3),
            capacity=capacity,
        )

    race = make_event("race", args.capacity)
    flow = make_event("throughput", None)
    big = make_event("big", None)

    # 5,000 attendees on the big event (some share their attendance, some have needs).
    people = Person.objects.bulk_create(
        [Person(given_name=f"Att{i}", family_name=f"Bench{stamp}") for i in range(args.attendees)],
        batch_size=1000,
    )
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(person=p, address=f"att{i}.{stamp}@example.net")
            for i, p in enumerate(people)
        ],
        batch_size=1000,
    )
    RSVP.objects.bulk_create(
        [
            RSVP(
                event=big,
                person=p,
                checkin_code=f"B{i:07d}",
                share_attendance=i % 10 == 0,
                need_dietary="vegan" if i % 7 == 0 else "",
            )
            for i, p in enumerate(people)
        ],
        batch_size=1000,
    )
    Event.objects.filter(pk=big.pk).update(seats_taken=args.attendees)
    connection.close()

    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    server = _start_gunicorn(port, args.workers, env)
    base = f"http://127.0.0.1:{port}"
    try:
        race_s, race_status, _race_lat = _rsvp_over_http(
            base,
            race.slug,
            [f"race{i}.{stamp}@example.net" for i in range(args.race)],
            args.clients,
        )
        flow_s, flow_status, flow_lat = _rsvp_over_http(
            base,
            flow.slug,
            [f"flow{i}.{stamp}@example.net" for i in range(args.throughput)],
            args.clients,
        )
        import requests

        page_times = []
        with requests.Session() as s:
            url = f"{base}/events/{big.slug}/"
            for _ in range(5):
                s.get(url, timeout=30)
            for _ in range(50):
                t0 = time.perf_counter()
                r = s.get(url, timeout=30)
                page_times.append(time.perf_counter() - t0)
                assert r.status_code == 200
    finally:
        server.terminate()
        server.wait(timeout=30)

    accepted = RSVP.objects.filter(event=race, status=RSVP.Status.ACCEPTED).count()
    waitlisted = RSVP.objects.filter(event=race, status=RSVP.Status.WAITLISTED)
    positions = sorted(p for p in waitlisted.values_list("waitlist_position", flat=True))
    race.refresh_from_db()
    fivexx = sum(n for code, n in {**race_status, **flow_status}.items() if code >= 500)
    ok_positions = positions == list(range(1, args.race - args.capacity + 1))
    lines = [
        "## Convenings",
        "",
        f"Measured {timezone.now():%Y-%m-%d %H:%M} UTC on {platform.node()} "
        f"({os.cpu_count()} CPUs, Python {platform.python_version()}), database "
        f"{connection.vendor}, gunicorn {args.workers} workers x 4 threads, "
        f"{args.clients} concurrent HTTP clients (same machine), mail queued to the database "
        f"task backend; load average at the end {os.getloadavg()[0]:.1f} (the machine is shared).",
        "",
        f"- RSVP race: {args.race} RSVPs to a {args.capacity}-seat event: {accepted} accepted, "
        f"{waitlisted.count()} waitlisted, positions unique and gap-free: {ok_positions}, "
        f"seats_taken {race.seats_taken}, statuses {dict(sorted(race_status.items()))}, "
        f"{race_s:.2f} s ({args.race / race_s:.0f} RSVPs/s).",
        f"- RSVP throughput (capacity never fills): {args.throughput} RSVPs in {flow_s:.2f} s = "
        f"**{args.throughput / flow_s:.0f} RSVPs/s** (target >= 100/s); latency p50 "
        f"{_pct(flow_lat, 0.5):.0f} ms, p95 {_pct(flow_lat, 0.95):.0f} ms; statuses "
        f"{dict(sorted(flow_status.items()))}; 5xx: {fivexx}.",
        f"- Event page with {args.attendees} attendees (50 requests): p50 "
        f"**{_pct(page_times, 0.5):.1f} ms**, p95 {_pct(page_times, 0.95):.1f} ms "
        "(target < 100 ms; measured at the client over loopback, so it includes the server time).",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_docs:
        _write_docs(text)
    if accepted != args.capacity or fivexx or not ok_positions:
        raise SystemExit("RSVP race FAILED: oversell, gaps or 5xx")


if __name__ == "__main__":
    main(sys.argv[1:])
