"""Fixed-window rate limits on the shared cache (Redis or the database), for public forms that
must resist guessing (tracking, guest email codes), and the client address they count by.

Windows are aligned on the clock, so a refusal can say how long to wait. Behind a load balancer
`REMOTE_ADDR` is the balancer: `TRUSTED_PROXY_COUNT` says how many proxies of ours append to
`X-Forwarded-For`, and the client is the address the outermost of them saw.
"""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from ventanilla.core import clock

# Addresses of one IPv6 client vary within its /64; count them as one.
IPV6_PREFIX = 64


def _clean_ip(raw: str) -> str | None:
    raw = raw.strip()
    if raw.startswith("[") and "]" in raw:  # [v6]:port
        raw = raw[1 : raw.index("]")]
    elif raw.count(":") == 1:  # v4:port
        raw = raw.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(address)


def client_address(request: HttpRequest) -> str | None:
    """The address of the person at the other end: the entry `TRUSTED_PROXY_COUNT` places from
    the right of `X-Forwarded-For` (our proxies append what they saw; anything further left was
    written by the client and proves nothing), else `REMOTE_ADDR`."""
    proxies: int = settings.TRUSTED_PROXY_COUNT
    remote = _clean_ip(str(request.META.get("REMOTE_ADDR", "")))
    if proxies <= 0:
        return remote
    forwarded = [p for p in request.headers.get("x-forwarded-for", "").split(",") if p.strip()]
    if len(forwarded) < proxies:
        # A request that did not pass through all our proxies (e.g. a health check from
        # inside): the nearest address is all we know.
        return remote
    return _clean_ip(forwarded[-proxies]) or remote


def client_ip(request: HttpRequest) -> str:
    """Who our rate limits count: the client address, an IPv6 client by its /64 (addresses
    within it are one client's to choose)."""
    address = client_address(request)
    if address is None:
        return "unknown"
    if ":" in address:
        return str(ipaddress.ip_network(f"{address}/{IPV6_PREFIX}", strict=False))
    return address


@dataclass(frozen=True)
class Limit:
    """At most `limit` counted events for `key` in each window of `window_seconds`."""

    key: str
    limit: int
    window_seconds: int

    def _bucket(self, at: float) -> tuple[str, float]:
        start = math.floor(at / self.window_seconds) * self.window_seconds
        return f"ratelimit:{self.key}:{int(start)}", start + self.window_seconds

    def count(self) -> int:
        key, _ends = self._bucket(clock.now().timestamp())
        return int(cache.get(key, 0))

    def hit(self) -> int:
        """Count one event; the count so far in this window."""
        key, ends = self._bucket(clock.now().timestamp())
        timeout = max(1, math.ceil(ends - clock.now().timestamp()))
        if cache.add(key, 1, timeout=timeout):
            return 1
        try:
            return int(cache.incr(key))
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=timeout)
            return 1

    def seconds_left(self) -> int:
        now = clock.now().timestamp()
        _key, ends = self._bucket(now)
        return max(1, math.ceil(ends - now))


def wait_seconds(limits: Sequence[Limit]) -> int:
    """Seconds until every exhausted limit among `limits` opens again; 0 if none is exhausted.
    Counts nothing: call `Limit.hit` for the events that should count (e.g. only failures).
    Reads all the counts in one round trip to the cache."""
    now = clock.now().timestamp()
    buckets = [lim._bucket(now) for lim in limits]
    counts = cache.get_many([key for key, _ends in buckets])
    waits = [
        max(1, math.ceil(ends - now))
        for lim, (key, ends) in zip(limits, buckets, strict=True)
        if int(counts.get(key, 0)) >= lim.limit
    ]
    return max(waits, default=0)


def allow(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt for `key`; False once more than `limit` came in this window."""
    return Limit(key, limit, window_seconds).hit() <= limit


def wait_minutes(seconds: int) -> int:
    """Whole minutes to tell a person to wait (at least one)."""
    return max(1, math.ceil(seconds / 60))
