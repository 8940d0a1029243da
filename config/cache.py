"""Django's Redis cache, for which an outage is a run of cache misses, not errors.

Everything the forum keeps in the cache (rendered thread pages, the crisis lines,
allauth's rate-limit counters) can be rebuilt or done without, so while Redis does not
answer, reads miss and writes are dropped; pages render fresh. The outage is logged once
(forum.outages), and for RETRY_AFTER seconds after a failure the cache is not asked at
all, so a Redis that hangs rather than refuses costs one timeout, not one per request.
Errors other than "cannot reach Redis" (a bug: a value that cannot be pickled) still raise.

Django keeps one cache object per thread, each with its own Redis connection pool; under
ASGI every request runs in a thread of its own, so every request opened (and checked) a
new connection. The pools here are shared by the whole process (redis-py's pool is
thread-safe), so requests reuse connections.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from forum.outages import Outage

logger = logging.getLogger(__name__)
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
RETRY_AFTER = 2.0


_shared_pools: dict[tuple, object] = {}
_shared_pools_lock = threading.Lock()


class SharedPoolRedisCacheClient(RedisCacheClient):
    def _get_connection_pool(self, write):
        index = self._get_connection_pool_index(write)
        key = (self._servers[index], self._pool_class, tuple(sorted(self._pool_options.items(), key=repr)))
        pool = _shared_pools.get(key)
        if pool is None:
            with _shared_pools_lock:
                pool = _shared_pools.get(key)
                if pool is None:
                    pool = _shared_pools[key] = self._pool_class.from_url(self._servers[index], **self._pool_options)
        return pool


class ResilientRedisCache(RedisCache):
    outage = Outage(logger, "The cache (Redis)", "pages render without it and rate limits are not counted.")
    _skip_until = 0.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedPoolRedisCacheClient

    def _call(self, method, fallback, *args, **kwargs):
        if time.monotonic() < ResilientRedisCache._skip_until:
            return fallback
        try:
            result = method(*args, **kwargs)
        except UNREACHABLE:
            ResilientRedisCache._skip_until = time.monotonic() + RETRY_AFTER
            self.outage.failed()
            return fallback
        self.outage.recovered()
        return result

    def get(self, key, default=None, version=None):
        return self._call(super().get, default, key, default, version)

    def get_many(self, keys, version=None):
        return self._call(super().get_many, {}, keys, version)

    def has_key(self, key, version=None):
        return self._call(super().has_key, False, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().add, False, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().set, None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().set_many, list(data), data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().touch, False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call(super().delete, False, key, version)

    def delete_many(self, keys, version=None):
        return self._call(super().delete_many, None, keys, version)

    def clear(self):
        return self._call(super().clear, False)
