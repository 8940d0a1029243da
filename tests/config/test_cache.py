"""Redis away costs the cache, not the page: the production cache backend turns an
unreachable Redis into misses, and says so once."""

import logging
import socket

import pytest

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
