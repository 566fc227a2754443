"""Rate limits for public forms, in Django's cache (the database cache shared by workers)."""

from __future__ import annotations

import hashlib

from django.core.cache import cache


def hit(*, scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt; False when ``key`` has used up ``limit`` attempts in the window."""
    digest = hashlib.sha256(f"{scope}:{key.strip().lower()}".encode()).hexdigest()[:32]
    cache_key = f"rl:{scope}:{digest}"
    if cache.add(cache_key, 1, timeout=window_seconds):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window_seconds)
        return True
    return count <= limit
