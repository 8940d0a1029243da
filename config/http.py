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
"""

import asyncio

from a2wsgi import WSGIMiddleware
from django.core.wsgi import get_wsgi_application

from forum import broadcast


class ThreadPoolHttp:
    def __init__(self, threads: int):
        self.wsgi = WSGIMiddleware(get_wsgi_application(), workers=threads)

    async def __call__(self, scope, receive, send):
        broadcast.use_server_loop(asyncio.get_running_loop())
        await self.wsgi(scope, receive, send)
