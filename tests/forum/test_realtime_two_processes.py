"""Two ASGI server processes sharing Redis: a reader connected to one process receives the
reply posted over HTTP to the other. This is what several workers behind a proxy need."""

import asyncio
import json
import os

import pytest
from websockets.asyncio.client import connect

from ..conftest import client_for
from .live_server import ESTABLISHED, post_reply, shared_database_url, uvicorn_server

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _established_members(settings):
    """These members are past pre-moderation and rate limits (the moderation issue's
    rules), so their replies publish at once; the held case is tested on purpose."""
    settings.MODERATION_PREMODERATE_FIRST_POSTS = 0
    settings.MODERATION_RATE_LIMITS_ENABLED = False


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL")
    if not url:
        # CI runs the suite a second time with REDIS_URL set; this test runs then.
        pytest.skip("Needs REDIS_URL: two processes share events only through Redis.")
    return url


def test_a_reader_on_one_process_gets_the_reply_posted_to_another(thread, other_member, redis_url, tmp_path):
    session = client_for(other_member).cookies["sessionid"].value
    database_url = shared_database_url(tmp_path)
    with (
        uvicorn_server(database_url, tmp_path / "a.log", REDIS_URL=redis_url, **ESTABLISHED) as server_a,
        uvicorn_server(database_url, tmp_path / "b.log", REDIS_URL=redis_url, **ESTABLISHED) as server_b,
    ):
        assert server_a != server_b
        received = asyncio.run(_reply_on_a_read_on_b(server_a, server_b, thread.pk, session))
    assert received["type"] == "post.created"
    assert received["post_id"] == received["posted"]["post_id"]
    assert "Posted to process A" in received["html"] and "bob" in received["html"]


async def _reply_on_a_read_on_b(server_a, server_b, thread_id, session):
    ws_url = server_b.replace("http://", "ws://") + f"/ws/threads/{thread_id}/"
    async with connect(ws_url, origin=server_b) as reader:
        welcome = json.loads(await asyncio.wait_for(reader.recv(), 5))
        assert welcome["type"] == "welcome" and isinstance(welcome["version"], int)
        first = json.loads(await asyncio.wait_for(reader.recv(), 5))
        assert first == {"type": "presence", "count": 1}  # joined the thread's group on B
        posted = await asyncio.to_thread(post_reply, server_a, thread_id, session, "Posted to process A")
        assert posted["status"] == 201
        while True:
            event = json.loads(await asyncio.wait_for(reader.recv(), 5))
            if event["type"] != "presence":
                return {**event, "posted": posted}
