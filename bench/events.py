"""Convenings benchmarks: the RSVP race and throughput over HTTP on gunicorn with
2 workers, and the event page's server time with 5,000 attendees.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/al_bench_events python -m bench events
    python -m bench events            # SQLite in a fresh temporary data dir

Each client thread is a browser-like HTTP/1.1 keep-alive connection (``http.client``):
it GETs the event page once (CSRF cookie + token), then each RSVP is a full form POST
with the cookie, token, Origin/Referer and every field the browser sends. Throughput is
measured twice: the POST alone (302), and the POST plus following the redirect to the
manage page as a browser does. Besides RSVPs/s the bench reports CPU-seconds per RSVP of
the client, the gunicorn workers and the PostgreSQL backends (from /proc), which stay
meaningful on a shared, noisy machine.

Figures are printed and written to the "Convenings" section of docs/performance.md.
"""

from __future__ import annotations

import argparse
import http.client
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
from urllib.parse import urlencode, urlsplit

from bench._docs import write_section

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_gunicorn(
    port: int, workers: int, threads: int, env: dict[str, str]
) -> subprocess.Popen[bytes]:
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    proc = subprocess.Popen(
        [
            gunicorn,
            "actlocal.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(threads),
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
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120"
TICKS = os.sysconf("SC_CLK_TCK")


class Browser:
    """One keep-alive connection with a cookie jar, sending what a browser sends."""

    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        self.origin = base
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: bytes | None = None, referer: str = ""
    ) -> tuple[int, dict[str, str], bytes]:
        headers = {
            "User-Agent": USER_AGENT,
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "Accept-Language": "en-US,en;q=0.9",
            "Accept-Encoding": "identity",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
        if referer:
            headers["Referer"] = referer
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # gunicorn closed an idle keep-alive connection: reconnect, as browsers do.
                self.conn.close()
                if attempt == 2:
                    raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                pair, _sep, attrs = value.partition(";")
                key, _eq, val = pair.strip().partition("=")
                expired = "max-age=0" in attrs.lower() or "1970" in attrs
                if expired:
                    self.cookies.pop(key, None)
                else:
                    self.cookies[key] = val.strip('"')
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data


def _rsvp_over_http(
    base: str,
    slug: str,
    emails: list[str],
    clients: int,
    meter: CpuMeter,
    *,
    follow: bool = False,
) -> tuple[float, dict[int, int], list[float], float]:
    """Each of ``clients`` threads is one browser; returns (seconds, statuses, latencies,
    client CPU seconds). With ``follow`` the redirect to the manage page is fetched too.
    ``meter`` counts the server's CPU from the start of the clock (after the warm-up)."""
    local = threading.local()
    statuses: dict[int, int] = {}
    latencies: list[float] = []
    lock = threading.Lock()
    path = f"/events/{slug}/"
    url = f"{base}{path}"

    def browser() -> tuple[Browser, str]:
        if not hasattr(local, "browser"):
            local.browser = Browser(base)
            _status, _headers, page = local.browser.request("GET", path)
            local.token = CSRF.search(page.decode()).group(1)  # type: ignore[union-attr]
        return local.browser, local.token

    # Warm every client (GET + CSRF) before the clock starts.
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(lambda _i: browser(), range(clients * 3)))

    barrier = threading.Barrier(clients)

    def one(email: str) -> None:
        b, token = browser()
        if not getattr(local, "started", False):
            local.started = True
            barrier.wait(timeout=30)
        body = urlencode(
            {
                "csrfmiddlewaretoken": token,
                "given_name": "Bench",
                "family_name": email.split("@")[0],
                "email": email,
                "postal_code": "",
                "party_size": "1",
                "need_accessibility": "",
                "need_dietary": "",
                "need_interpretation": "",
                "need_other": "",
            }
        ).encode()
        t0 = time.perf_counter()
        status, headers, _data = b.request("POST", path, body=body, referer=url)
        if follow and status == 302:
            location = urlsplit(headers["location"])
            b.request("GET", location.path, referer=url)  # shows (and clears) the message
        else:
            # The next page a browser shows displays the "You're confirmed" message and
            # clears its cookie; a client that kept it would resend a growing cookie
            # (and, past 2 KB, spill it into a session row) with every later RSVP.
            b.cookies.pop("messages", None)
        elapsed = time.perf_counter() - t0
        with lock:
            statuses[status] = statuses.get(status, 0) + 1
            latencies.append(elapsed)

    meter.start()
    cpu0 = time.process_time()
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(one, emails))
    seconds, client_cpu = time.perf_counter() - start, time.process_time() - cpu0
    meter.stop()
    return seconds, statuses, latencies, client_cpu


def _proc_cpu(pid: int) -> float:
    """utime + stime of one process in seconds (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            fields = handle.read().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def _server_pids(master: int, database: str) -> tuple[list[int], list[int]]:
    """The gunicorn master and workers, and the PostgreSQL backends serving ``database``."""
    app, pg = [master], []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii") as handle:
                ppid = int(handle.read().rpartition(")")[2].split()[1])
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                cmdline = handle.read().decode(errors="replace")
        except OSError:
            continue
        if ppid == master:
            app.append(int(entry))
        elif database and cmdline.startswith("postgres: ") and f" {database} " in cmdline:
            pg.append(int(entry))
    return app, pg


def _machine_busy() -> float:
    """CPU-seconds the whole machine spent busy (all processes, all cores)."""
    with open("/proc/stat", encoding="ascii") as handle:
        values = [int(v) for v in handle.readline().split()[1:]]
    idle = values[3] + values[4]
    return (sum(values[:8]) - idle) / TICKS


class CpuMeter:
    """CPU-seconds of the app workers and database backends over one phase."""

    def __init__(self, master: int, database: str) -> None:
        self.master, self.database = master, database

    def start(self) -> None:
        app, pg = _server_pids(self.master, self.database)
        self.before = {pid: _proc_cpu(pid) for pid in app + pg}
        self.busy0 = _machine_busy()

    def stop(self) -> None:
        app, pg = _server_pids(self.master, self.database)
        self.app = sum(_proc_cpu(p) - self.before.get(p, 0.0) for p in app)
        self.pg = sum(_proc_cpu(p) - self.before.get(p, 0.0) for p in pg)
        self.machine = _machine_busy() - self.busy0

    def per(self, n: int, client: float) -> str:
        return (
            f"CPU per RSVP: app {self.app / n * 1000:.1f} ms, "
            + (
                f"database {self.pg / n * 1000:.1f} ms, "
                if self.database
                else "database inside the app (SQLite), "
            )
            + f"client {client / n * 1000:.1f} ms; whole machine busy {self.machine:.1f} CPU-s "
            f"(ours {self.app + self.pg + client:.1f})"
        )


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench.events")
    parser.add_argument("--clients", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--race", type=int, default=200)
    parser.add_argument("--capacity", type=int, default=50)
    parser.add_argument("--throughput", type=int, default=1000)
    parser.add_argument("--follow", type=int, default=500, help="RSVPs that follow the redirect")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
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
    # All bench clients share 127.0.0.1: raise the per-IP RSVP limit (documented setting);
    # the limits stay on, so their cost is measured. Each email RSVPs once (default limit).
    os.environ.setdefault("ACTLOCAL_RSVP_LIMIT_PER_IP", "1000000")
    import django

    django.setup()
    import datetime as dt

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from actlocal.events.models import RSVP, Event
    from actlocal.people.models import EmailAddress, Person

    call_command("migrate", verbosity=0)
    if connection.vendor == "postgresql":
        # Rate-limit counters live in the database cache table, which earlier runs churned
        # into dead rows; start each run from a vacuumed table as autovacuum would leave it.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE actlocal_cache")
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
    flow2 = make_event("follow", None)
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
    server = _start_gunicorn(port, args.workers, args.threads, env)
    base = f"http://127.0.0.1:{port}"
    database = connection.settings_dict["NAME"] if connection.vendor == "postgresql" else ""
    try:
        race_cpu = CpuMeter(server.pid, database)
        race_s, race_status, _race_lat, race_client = _rsvp_over_http(
            base,
            race.slug,
            [f"race{i}.{stamp}@example.net" for i in range(args.race)],
            args.clients,
            race_cpu,
        )
        flow_cpu = CpuMeter(server.pid, database)
        flow_s, flow_status, flow_lat, flow_client = _rsvp_over_http(
            base,
            flow.slug,
            [f"flow{i}.{stamp}@example.net" for i in range(args.throughput)],
            args.clients,
            flow_cpu,
        )
        load_after_flow = os.getloadavg()
        follow_cpu = CpuMeter(server.pid, database)
        follow_s, follow_status, follow_lat, follow_client = _rsvp_over_http(
            base,
            flow2.slug,
            [f"follow{i}.{stamp}@example.net" for i in range(args.follow)],
            args.clients,
            follow_cpu,
            follow=True,
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
    fivexx = sum(
        n
        for statuses in (race_status, flow_status, follow_status)
        for code, n in statuses.items()
        if code >= 500
    )
    ok_positions = positions == list(range(1, args.race - args.capacity + 1))
    lines = [
        "## Convenings",
        "",
        f"Measured {timezone.now():%Y-%m-%d %H:%M} UTC on {platform.node()} "
        f"({os.cpu_count()} CPUs, Python {platform.python_version()}), database "
        f"{connection.vendor}, gunicorn {args.workers} workers x {args.threads} threads "
        f"(gthread), {args.clients} concurrent keep-alive HTTP clients (http.client, same "
        f"machine), mail queued to the database task backend; RSVP rate limits on with "
        f"ACTLOCAL_RSVP_LIMIT_PER_IP={settings.ACTLOCAL_RSVP_LIMIT_PER_IP} (all clients share "
        f"one IP), ACTLOCAL_RSVP_LIMIT_PER_EMAIL={settings.ACTLOCAL_RSVP_LIMIT_PER_EMAIL}; "
        f"load average after the throughput run {load_after_flow[0]:.1f}, at the end "
        f"{os.getloadavg()[0]:.1f} (the machine is shared).",
        "",
        f"- RSVP race: {args.race} RSVPs to a {args.capacity}-seat event: {accepted} accepted, "
        f"{waitlisted.count()} waitlisted, positions unique and gap-free: {ok_positions}, "
        f"seats_taken {race.seats_taken}, statuses {dict(sorted(race_status.items()))}, "
        f"{race_s:.2f} s ({args.race / race_s:.0f} RSVPs/s); "
        f"{race_cpu.per(args.race, race_client)}.",
        f"- RSVP throughput (capacity never fills): {args.throughput} RSVPs in {flow_s:.2f} s = "
        f"**{args.throughput / flow_s:.0f} RSVPs/s** (target >= 100/s); latency p50 "
        f"{_pct(flow_lat, 0.5):.0f} ms, p95 {_pct(flow_lat, 0.95):.0f} ms; statuses "
        f"{dict(sorted(flow_status.items()))}; 5xx: {fivexx}; "
        f"{flow_cpu.per(args.throughput, flow_client)}. Each RSVP is the POST alone "
        "(answered by a 302 to the manage page, not followed).",
        f"- RSVP + redirect followed (as a browser: POST, then GET of the manage page): "
        f"{args.follow} in {follow_s:.2f} s = **{args.follow / follow_s:.0f} RSVPs/s**; latency "
        f"p50 {_pct(follow_lat, 0.5):.0f} ms, p95 {_pct(follow_lat, 0.95):.0f} ms; statuses "
        f"{dict(sorted(follow_status.items()))}; "
        f"{follow_cpu.per(args.follow, follow_client)}.",
        f"- Event page with {args.attendees} attendees (50 requests): p50 "
        f"**{_pct(page_times, 0.5):.1f} ms**, p95 {_pct(page_times, 0.95):.1f} ms "
        "(target < 100 ms; measured at the client over loopback, so it includes the server time).",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_docs:
        write_section(text)
    if accepted != args.capacity or fivexx or not ok_positions:
        raise SystemExit("RSVP race FAILED: oversell, gaps or 5xx")


if __name__ == "__main__":
    main(sys.argv[1:])
