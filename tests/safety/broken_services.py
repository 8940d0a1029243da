"""Stand-ins for shared services that have stopped answering."""

import contextlib
from unittest import mock

from django.core.cache.backends.base import BaseCache
from django.db import OperationalError, connections
from django.test import override_settings


class BrokenCache(BaseCache):
    """A cache backend whose every call fails, as Django's Redis cache does while Redis
    is down (redis.exceptions.ConnectionError)."""

    def __init__(self, location, params):
        super().__init__(params)

    def _fail(self, *args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    add = get = set = touch = delete = get_many = has_key = incr = set_many = delete_many = clear = _fail


@contextlib.contextmanager
def cache_down():
    with override_settings(CACHES={"default": {"BACKEND": "tests.safety.broken_services.BrokenCache"}}):
        yield


@contextlib.contextmanager
def database_down():
    """Every query fails as it does when PostgreSQL refuses connections."""
    error = OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')
    with mock.patch.object(connections["default"], "cursor", side_effect=error):
        yield


class BrokenLayer:
    """A channel layer that cannot reach Redis."""

    extensions = ["groups"]

    def __init__(self, **kwargs):
        pass

    async def _fail(self, *args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    send = receive = new_channel = group_add = group_discard = group_send = flush = _fail
