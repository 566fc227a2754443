"""Rate-limit counters: shared by every worker, a fixed window from the first try, purged."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection

from actlocal.common import ratelimit
from actlocal.common.models import RateLimitCounter

pytestmark = pytest.mark.django_db


def test_limit_counts_per_key_and_case_insensitively() -> None:
    for _ in range(3):
        assert ratelimit.hit(scope="join-ip", key="203.0.113.9", limit=3, window_seconds=3600)
    assert not ratelimit.hit(scope="join-ip", key="203.0.113.9", limit=3, window_seconds=3600)
    assert ratelimit.hit(scope="join-ip", key="203.0.113.10", limit=3, window_seconds=3600)
    assert ratelimit.hit(scope="join-email", key="Ana@Example.net", limit=1, window_seconds=60)
    assert not ratelimit.hit(scope="join-email", key="ana@example.net ", limit=1, window_seconds=60)


def test_counters_hold_no_ip_or_address() -> None:
    ratelimit.hit(scope="join-email", key="ana@example.net", limit=5, window_seconds=60)
    ratelimit.hit(scope="join-ip", key="203.0.113.9", limit=5, window_seconds=60)
    keys = " ".join(RateLimitCounter.objects.values_list("key", flat=True))
    assert "ana" not in keys and "203.0" not in keys


def test_every_counter_counts_even_when_one_is_used_up() -> None:
    checks = [("rsvp-ip", "198.51.100.1", 1), ("rsvp-email", "ana@example.net", 5)]
    assert ratelimit.hit_many(checks=checks, window_seconds=60)
    assert not ratelimit.hit_many(checks=checks, window_seconds=60)
    assert sorted(RateLimitCounter.objects.values_list("count", flat=True)) == [2, 2]


def test_repeated_tries_do_not_move_or_shorten_the_window() -> None:
    ratelimit.hit(scope="host-ip", key="198.51.100.7", limit=10, window_seconds=3600)
    first = RateLimitCounter.objects.get().window_ends
    for _ in range(4):
        ratelimit.hit(scope="host-ip", key="198.51.100.7", limit=10, window_seconds=3600)
    counter = RateLimitCounter.objects.get()
    assert counter.count == 5
    assert counter.window_ends == first
    assert first > time.time() + 3500


def test_a_new_window_starts_once_the_old_one_is_over() -> None:
    assert ratelimit.hit(scope="s", key="k", limit=1, window_seconds=1)
    assert not ratelimit.hit(scope="s", key="k", limit=1, window_seconds=1)
    time.sleep(1.2)
    assert ratelimit.hit(scope="s", key="k", limit=1, window_seconds=1)
    assert RateLimitCounter.objects.get().count == 1


def test_periodic_purges_windows_that_are_over() -> None:
    ratelimit.hit(scope="s", key="old", limit=1, window_seconds=1)
    ratelimit.hit(scope="s", key="current", limit=1, window_seconds=3600)
    RateLimitCounter.objects.filter(window_ends__lt=time.time() + 10).update(window_ends=1.0)
    call_command("periodic", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert RateLimitCounter.objects.count() == 1


@pytest.mark.postgres  # threads need real row locks (SQLite's in-memory test database)
@pytest.mark.django_db(transaction=True)
def test_concurrent_attempts_are_all_counted() -> None:
    errors: list[BaseException] = []

    def attempt() -> None:
        try:
            for _ in range(10):
                ratelimit.hit(scope="race", key="one", limit=1000, window_seconds=60)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert RateLimitCounter.objects.get().count == 80
