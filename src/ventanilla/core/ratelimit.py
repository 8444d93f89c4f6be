"""A fixed-window rate limit on the shared cache (Redis or the database), for public forms
that must resist guessing, such as the tracking page."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def allow(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt for `key`; False once more than `limit` came in this window."""
    cache_key = f"ratelimit:{key}"
    if cache.add(cache_key, 1, timeout=window_seconds):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window_seconds)
        return True
    return count <= limit
