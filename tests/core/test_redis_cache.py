"""The Redis cache keeps one Redis client per process and thread instead of building one per
call, and still behaves as Django's: what the rate limits use of it."""

from __future__ import annotations

import uuid

import pytest
import redis

from ventanilla.core.cache import RedisCache
from ventanilla.core.ratelimit import Limit, wait_seconds

URL = "redis://127.0.0.1:6379/9"


def _redis_answers() -> bool:
    try:
        return bool(redis.Redis.from_url(URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


pytestmark = pytest.mark.skipif(not _redis_answers(), reason="no Redis at 127.0.0.1:6379")


@pytest.fixture
def cache() -> RedisCache:
    return RedisCache(URL, {"KEY_PREFIX": uuid.uuid4().hex})


def test_one_client_serves_every_call(cache: RedisCache) -> None:
    first = cache._cache.get_client(write=True)
    cache.set("a", 1)
    assert cache.get("a") == 1
    assert cache._cache.get_client() is first
    assert cache._cache.get_client("b", write=False) is first


def test_it_counts_and_reads_many_as_djangos_does(cache: RedisCache) -> None:
    assert cache.add("n", 1, timeout=60) and not cache.add("n", 5, timeout=60)
    assert cache.incr("n") == 2
    cache.set_many({"x": "uno", "y": {"dos": 2}}, timeout=60)
    assert cache.get_many(["x", "y", "z"]) == {"x": "uno", "y": {"dos": 2}}
    cache.delete("x")
    assert cache.get("x") is None
    with pytest.raises(ValueError):
        cache.incr("never-set")


def test_rate_limits_count_through_it(cache: RedisCache, monkeypatch: pytest.MonkeyPatch) -> None:
    from ventanilla.core import ratelimit

    monkeypatch.setattr(ratelimit, "cache", cache)
    limit = Limit(f"track-client:{uuid.uuid4().hex}", 2, 900)
    assert wait_seconds([limit]) == 0
    limit.hit()
    limit.hit()
    assert 0 < wait_seconds([limit]) <= 900
