"""Pages run in a pool of threads beside the event loop (config/http.py): the ASGI
application answers HTTP through them, and an event a page's request sends reaches the
sockets on the server's loop, with the in-memory layer a newcomer runs."""

import asyncio

import pytest
from asgiref.testing import ApplicationCommunicator
from channels.layers import get_channel_layer

from forum import broadcast


@pytest.fixture
def server_loop_reset():
    yield
    broadcast._server_loop = None


async def test_the_asgi_application_serves_pages_from_its_threads(server_loop_reset):
    from config.asgi import application

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
        "path": "/robots.txt", "raw_path": b"/robots.txt", "query_string": b"", "root_path": "",
        "headers": [(b"host", b"127.0.0.1")], "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000),
    }
    communicator = ApplicationCommunicator(application, scope)
    await communicator.send_input({"type": "http.request", "body": b"", "more_body": False})
    start = await communicator.receive_output(5)
    body = await communicator.receive_output(5)
    assert start["status"] == 200
    assert b"User-agent" in body["body"]
    assert broadcast._server_loop is asyncio.get_running_loop()


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
