"""Rate-limit counters in the shared database cache keep the window their first try opened."""

from __future__ import annotations

import time

import pytest
from django.db import connection

from actlocal.common import ratelimit

pytestmark = pytest.mark.django_db


def _expiries() -> list[float]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT expires FROM actlocal_cache WHERE cache_key LIKE %s", ["%rlw:%"])
        return [row[0].timestamp() for row in cursor.fetchall()]


def test_limit_counts_per_key_and_case_insensitively() -> None:
    for _ in range(3):
        assert ratelimit.hit(scope="join-ip", key="203.0.113.9", limit=3, window_seconds=3600)
    assert not ratelimit.hit(scope="join-ip", key="203.0.113.9", limit=3, window_seconds=3600)
    assert ratelimit.hit(scope="join-ip", key="203.0.113.10", limit=3, window_seconds=3600)
    assert ratelimit.hit(scope="join-email", key="Ana@Example.net", limit=1, window_seconds=60)
    assert not ratelimit.hit(scope="join-email", key="ana@example.net ", limit=1, window_seconds=60)


def test_repeated_tries_do_not_shorten_an_hour_long_window() -> None:
    # The cache's incr() would re-arm the default 5-minute timeout after the first try.
    for _ in range(5):
        ratelimit.hit(scope="host-ip", key="198.51.100.7", limit=10, window_seconds=3600)
    (expires,) = _expiries()
    assert expires > time.time() + 3500


def test_a_new_window_starts_once_the_old_one_is_over() -> None:
    assert ratelimit.hit(scope="s", key="k", limit=1, window_seconds=1)
    assert not ratelimit.hit(scope="s", key="k", limit=1, window_seconds=1)
    time.sleep(2.1)
    assert ratelimit.hit(scope="s", key="k", limit=1, window_seconds=1)
