"""Rate limits for public forms: fixed windows counted in one table shared by all workers.

Each attempt is one statement per key, an upsert that either opens a new window or
adds one to the current one and returns the count, so two workers never lose a count
and nothing has to be culled (``purge_expired`` runs from ``actlocal periodic``).
Keys are hashes of scope + client IP or address: the table holds no personal data.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence

from django.db import connection

from actlocal.common.models import RateLimitCounter

# One statement per key (the table is RateLimitCounter's): open a window or count in it.
_UPSERT = """
    INSERT INTO actlocal_ratelimit (key, count, window_ends) VALUES (%s, 1, %s)
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN actlocal_ratelimit.window_ends <= %s
                   THEN 1 ELSE actlocal_ratelimit.count + 1 END,
      window_ends = CASE WHEN actlocal_ratelimit.window_ends <= %s
                         THEN %s ELSE actlocal_ratelimit.window_ends END
    RETURNING count
"""


def hit(*, scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt; False when ``key`` has used up ``limit`` attempts in the window."""
    return hit_many(checks=[(scope, key, limit)], window_seconds=window_seconds)


def hit_many(*, checks: Sequence[tuple[str, str, int]], window_seconds: int) -> bool:
    """Count one attempt against each ``(scope, key, limit)``; False when any is used up.

    Every counter is counted even when an earlier one is over its limit, so a client
    cannot spend one budget while another is exhausted. A window starts at the first
    attempt and lasts ``window_seconds`` however many attempts follow.
    """
    now = time.time()
    ends = now + window_seconds
    allowed = True
    with connection.cursor() as cursor:
        for scope, key, limit in checks:
            cursor.execute(_UPSERT, [_counter_key(scope, key), ends, now, now, ends])
            (count,) = cursor.fetchone()
            allowed = allowed and count <= limit
    return allowed


def purge_expired() -> int:
    """Delete the counters whose window is over; returns how many."""
    deleted, _ = RateLimitCounter.objects.filter(window_ends__lte=time.time()).delete()
    return deleted


def _counter_key(scope: str, key: str) -> str:
    digest = hashlib.sha256(f"{scope}:{key.strip().lower()}".encode()).hexdigest()[:40]
    return f"{scope[:50]}:{digest}"
