"""Rate limits for public forms, in Django's cache (the database cache shared by workers)."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence

from django.core.cache import cache


def hit(*, scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt; False when ``key`` has used up ``limit`` attempts in the window."""
    return hit_many(checks=[(scope, key, limit)], window_seconds=window_seconds)


def hit_many(*, checks: Sequence[tuple[str, str, int]], window_seconds: int) -> bool:
    """Count one attempt against each ``(scope, key, limit)``; False when any is used up.

    For busy public forms: one read for all counters and one write each (``hit`` costs
    an add and a read-modify-write per key). Each counter keeps the window its first
    attempt opened (the cache's ``incr`` would re-arm the default timeout instead).
    Like ``hit``, two attempts at the same instant may count once: a limit, not a ledger.
    """
    now = time.time()
    limits = {_cache_key(scope, key): limit for scope, key, limit in checks}
    stored = cache.get_many(list(limits))
    allowed = True
    for cache_key, limit in limits.items():
        count, ends = stored.get(cache_key) or (0, 0.0)
        if ends <= now:
            count, ends = 0, now + window_seconds
        count += 1
        allowed = allowed and count <= limit
        cache.set(cache_key, (count, ends), timeout=max(1, int(ends - now) + 1))
    return allowed


def _cache_key(scope: str, key: str) -> str:
    digest = hashlib.sha256(f"{scope}:{key.strip().lower()}".encode()).hexdigest()[:32]
    return f"rlw:{scope}:{digest}"
