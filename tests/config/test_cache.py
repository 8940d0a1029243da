"""Redis away costs the cache, not the page: the production cache backend turns an
unreachable Redis into misses, and says so once."""

import logging
import socket

import pytest
from django.conf import settings

from config.cache import ResilientRedisCache


@pytest.fixture
def unreachable_redis():
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    ResilientRedisCache._skip_until = 0.0
    ResilientRedisCache.outage.since = ResilientRedisCache.outage._logged_at = None
    yield ResilientRedisCache(f"redis://127.0.0.1:{port}/0", {"OPTIONS": {"socket_connect_timeout": 1}})
    ResilientRedisCache._skip_until = 0.0
    ResilientRedisCache.outage.since = ResilientRedisCache.outage._logged_at = None


def test_an_unreachable_redis_reads_as_a_miss_and_writes_are_dropped(unreachable_redis, caplog):
    cache = unreachable_redis
    with caplog.at_level(logging.WARNING):
        assert cache.get("lines") is None
        assert cache.get("lines", "fallback") == "fallback"
        cache.set("lines", [1, 2, 3])
        assert cache.get_many(["a", "b"]) == {}
        assert cache.add("a", 1) is False
        cache.delete("lines")
    warnings = [r.getMessage() for r in caplog.records if r.name == "config.cache"]
    assert warnings == ["The cache (Redis) is not answering: pages render without it and rate limits are not counted."]


def test_after_a_failure_the_cache_is_not_asked_again_for_a_moment(unreachable_redis, monkeypatch):
    cache = unreachable_redis
    assert cache.get("x") is None
    calls = []
    monkeypatch.setattr("django.core.cache.backends.redis.RedisCache.get", lambda *a, **k: calls.append(a))
    for _ in range(20):
        assert cache.get("x") is None
    assert calls == []


@pytest.mark.skipif(not settings.REDIS_URL, reason="Needs REDIS_URL (CI's second pass).")
def test_requests_in_different_threads_share_one_redis_connection_pool():
    """Django keeps a cache object per thread and ASGI runs each request in a thread of
    its own: the pool is shared, so a request reuses a connection instead of opening one."""
    import threading

    from django.core.cache import caches

    pools = []

    def one_request():
        cache = caches["default"]
        cache.set("shared-pool-probe", 1)
        pools.append(cache._cache._get_connection_pool(write=True))

    def connections(pool) -> int:
        return len(pool._available_connections) + len(pool._in_use_connections)

    one_request()  # the process's pool, as earlier requests left it
    before = connections(pools[0])
    threads = [threading.Thread(target=one_request) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(pool) for pool in pools}) == 1
    assert connections(pools[0]) - before <= 4  # at most one per request running at once
