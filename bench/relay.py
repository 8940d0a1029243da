"""The benchmark's ASGI application: the forum as deployed, plus a bare Channels consumer
that only relays a group message, the baseline that bench/realtime.py compares against
(as Channels ships it, and without its per-message thread hop, as the forum's sockets run).

BENCH_LAYER picks the channel layer: memory, redis (RedisChannelLayer), pubsub
(RedisPubSubChannelLayer) or production (config.channel_layer.ResilientRedisChannelLayer,
what config/settings.py uses with REDIS_URL); the Redis ones use REDIS_URL."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.conf import settings  # noqa: E402

_layer = os.environ.get("BENCH_LAYER", "memory")
if _layer != "memory":
    _backend = {
        "redis": "channels_redis.core.RedisChannelLayer",
        "pubsub": "channels_redis.pubsub.RedisPubSubChannelLayer",
        "production": "config.channel_layer.ResilientRedisChannelLayer",
    }
    _host = {"address": os.environ["REDIS_URL"], "socket_timeout": 15}
    _config = {"hosts": [_host], "prefix": os.environ.get("CHANNELS_PREFIX", "bench")}
    if _layer == "production":
        _config["pool_size"] = 50  # CHANNELS_REDIS_POOL's default
    else:
        _host["max_connections"] = 1000
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": _backend[_layer], "CONFIG": _config}}

from channels.generic.websocket import AsyncWebsocketConsumer  # noqa: E402
from channels.routing import URLRouter  # noqa: E402
from django.urls import path  # noqa: E402

from config.asgi import application as forum_application  # noqa: E402
from forum.live import GroupKeepingConsumer  # noqa: E402


class RelayConsumer(AsyncWebsocketConsumer):
    """Joins one group; a text frame from any client goes to the whole group."""

    async def connect(self):
        await self.channel_layer.group_add("bench-relay", self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard("bench-relay", self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        await self.channel_layer.group_send("bench-relay", {"type": "relay", "text": text_data})

    async def relay(self, event):
        await self.send(text_data=event["text"])


class LeanRelayConsumer(RelayConsumer):
    """The same, handling each message without Channels' thread hop to close stale
    database connections first, as the forum's sockets do (forum.live): the best a bare
    Channels consumer does, so the forum is compared with that."""

    dispatch = GroupKeepingConsumer.dispatch


relay_route = URLRouter([
    path("ws/bench/relay/", RelayConsumer.as_asgi()),
    path("ws/bench/relay-lean/", LeanRelayConsumer.as_asgi()),
])


async def application(scope, receive, send):
    if scope["type"] == "websocket" and scope["path"].startswith("/ws/bench/relay"):
        return await relay_route(scope, receive, send)
    return await forum_application(scope, receive, send)
