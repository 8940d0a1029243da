"""Pages run in a pool of threads beside the event loop (config/http.py): the ASGI
application answers HTTP through them, and an event a page's request sends reaches the
sockets on the server's loop, with the in-memory layer a newcomer runs."""

import asyncio

import pytest
from asgiref.testing import ApplicationCommunicator
from channels.layers import get_channel_layer

from config import http
from forum import broadcast

HTTP_SCOPE = {
    "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
    "path": "/robots.txt", "raw_path": b"/robots.txt", "query_string": b"", "root_path": "",
    "headers": [(b"host", b"127.0.0.1")], "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000),
}

@pytest.fixture
def server_loop_reset():
    yield
    broadcast._server_loop = None


async def test_the_asgi_application_serves_pages_from_its_threads(server_loop_reset):
    from config.asgi import application

    communicator = ApplicationCommunicator(application, HTTP_SCOPE)
    await communicator.send_input({"type": "http.request", "body": b"", "more_body": False})
    start = await communicator.receive_output(5)
    body = b""
    while True:  # the whole response, so no request thread is left waiting on this loop
        message = await communicator.receive_output(5)
        body += message["body"]
        if not message.get("more_body"):
            break
    assert start["status"] == 200
    assert b"User-agent" in body
    assert broadcast._server_loop is asyncio.get_running_loop()


async def test_a_response_the_loop_stops_taking_frees_its_thread(monkeypatch):
    """A worker shutting down cancels the requests in flight: their threads must end (a
    worker whose threads never end never exits), not wait on the loop for good."""
    monkeypatch.setattr(http, "SEND_TIMEOUT", 0.3)

    def long_response(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return (b"chunk" for _ in range(100))  # more pieces than the loop's queue holds

    server = http.ThreadPoolHttp(1, wsgi_application=long_response)
    communicator = ApplicationCommunicator(server, HTTP_SCOPE)
    await communicator.send_input({"type": "http.request", "body": b"", "more_body": False})
    assert (await communicator.receive_output(5))["status"] == 200
    communicator.future.cancel()  # the server stops taking this response
    with pytest.raises(asyncio.CancelledError):
        await communicator.future

    # The pool's one thread is free again: it runs the next job.
    next_job = server.wsgi.executor.submit(lambda: "free")
    assert await asyncio.wait_for(asyncio.wrap_future(next_job), 5) == "free"


async def test_an_event_sent_from_a_request_thread_reaches_a_socket_on_the_server_loop(server_loop_reset, monkeypatch):
    layer = get_channel_layer()
    loops_used = []
    group_send = layer.group_send

    async def recording_group_send(group, message):
        loops_used.append(asyncio.get_running_loop())
        await group_send(group, message)

    # The in-memory layer wakes a waiting reader safely only from its own loop, and
    # channels_redis keeps a pool per loop: a send from a request's thread must not start
    # a loop of its own.
    monkeypatch.setattr(layer, "group_send", recording_group_send)
    channel = await layer.new_channel()
    await layer.group_add("thread-1", channel)
    loop = asyncio.get_running_loop()
    broadcast.use_server_loop(loop)
    event = broadcast.envelope({"type": "post.created", "post_id": 7})

    waiting = asyncio.ensure_future(layer.receive(channel))  # the reader's socket, waiting
    await asyncio.sleep(0)

    sent = await loop.run_in_executor(None, broadcast.send_now, "thread-1", event)  # a request's thread

    assert sent is True
    assert await asyncio.wait_for(waiting, 2) == event
    assert loops_used == [loop]
