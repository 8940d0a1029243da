"""HTTP for the ASGI server: Django's WSGI handler in a pool of threads (a2wsgi).

Every view here is synchronous. Django's ASGI handler runs each request in a thread made
and joined for that request alone, and crosses between that thread and the event loop
for the middleware, the view and the response's closing. Measured on one worker
(docs/performance.md, "Issue 18, second pass"): a trivial page 172 -> 480 requests/s,
the thread page 35 -> 43-67. Here each request runs start to finish in one of
HTTP_THREADS long-lived threads, as under a WSGI server, while the WebSockets stay with
Channels on the same event loop (config/asgi.py).

Events sent from a request (forum.broadcast.send_now) go through this event loop, as
they did when Django's ASGI handler ran the request: the in-memory channel layer wakes
its readers only from its own loop, and channels_redis keeps one pool per loop.

A request's thread hands each piece of its response to the event loop and waits for the
loop to take it. a2wsgi waits without end, so a response the loop stopped taking (the
server shutting down, the request's task cancelled) held its thread for good, and a
worker whose threads never end never exits. Here the wait is bounded: after
SEND_TIMEOUT the thread gives up on that response and is free again.
"""

import asyncio
import concurrent.futures
import logging

from a2wsgi.wsgi import WSGIMiddleware, WSGIResponder
from django.core.wsgi import get_wsgi_application

from forum import broadcast

logger = logging.getLogger(__name__)

SEND_TIMEOUT = 30  # seconds a response waits for the event loop to take its next piece


class ResponseAbandoned(Exception):
    """The event loop stopped taking this response; its thread leaves it."""


class ThreadPoolHttp:
    def __init__(self, threads: int, wsgi_application=None):
        self.wsgi = _BoundedWSGIMiddleware(wsgi_application or get_wsgi_application(), workers=threads)

    async def __call__(self, scope, receive, send):
        broadcast.use_server_loop(asyncio.get_running_loop())
        await self.wsgi(scope, receive, send)


class _BoundedResponder(WSGIResponder):
    def send(self, message) -> None:
        try:
            future = asyncio.run_coroutine_threadsafe(self.send_queue.put(message), loop=self.loop)
        except RuntimeError as error:  # the loop is closed
            raise ResponseAbandoned(str(error)) from error
        try:
            future.result(SEND_TIMEOUT)
        except concurrent.futures.TimeoutError:
            future.cancel()
            logger.warning("A response was abandoned: the event loop took none of it for %s s.", SEND_TIMEOUT)
            raise ResponseAbandoned(f"not taken within {SEND_TIMEOUT} s") from None


class _BoundedWSGIMiddleware(WSGIMiddleware):
    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            await _BoundedResponder(self.app, self.executor, self.send_queue_size)(scope, receive, send)
        else:
            await super().__call__(scope, receive, send)
