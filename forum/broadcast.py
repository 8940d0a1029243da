"""The one door to the channel layer: group names, one envelope, sending after commit.

A leaf: it knows no model and imports nothing of the project, so forum (thread and
member events), safety and moderation (the moderators' queue) all send through it.

Every event is one JSON text frame {"type": "<namespace>.<name>", ...}. The layer event
carries it already serialized, so a consumer forwards the same text to every socket
instead of serializing once per reader. The layer's type names the consumer's handler
(`post.created` -> `post_created`).

Events leave only after the transaction commits (`send_on_commit`): a rollback never
shows anyone something that does not exist. A failed send (Redis away) is logged once
per outage, not per event; live pages catch up over HTTP when their socket comes back.
"""

import asyncio
import json
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from .outages import Outage

logger = logging.getLogger(__name__)

MODERATORS = "moderators"

outage = Outage(
    logger, "The channel layer", "live updates are paused; pages catch up when it returns, posting goes on."
)
# Peer supporters' sockets: crisis items and the team's crisis conversations, nothing else.
PEER_SUPPORTERS = "peer-supporters"


def thread_group(thread_id: int) -> str:
    return f"thread-{thread_id}"


def user_group(user_id: int) -> str:
    return f"user-{user_id}"


def standing_group(user_id: int) -> str:
    """Every socket of one signed-in member (their thread sockets and their own): told when
    their standing changes (a ban), so each asks its permission again."""
    return f"standing-{user_id}"


def envelope(payload: dict, *, handler: str | None = None) -> dict:
    """The layer event for a payload. `handler` names the consumer method when it is not
    the payload's own type (the moderators' socket has one handler for every event)."""
    return {"type": handler or payload["type"], "text": json.dumps(payload)}


def send_on_commit(group: str, build, *, handler: str | None = None) -> None:
    """After the commit, build the payload (None: send nothing) and send it to the group."""

    def send():
        payload = build()
        if payload:
            send_now(group, envelope(payload, handler=handler))

    # robust: a payload that cannot be built is logged; the request that wrote stays a success.
    transaction.on_commit(send, robust=True)


# The server's event loop, when requests run in threads beside it (config/http.py).
_server_loop: asyncio.AbstractEventLoop | None = None
# How long a request waits for its event to be handed to the layer.
SEND_TIMEOUT = 5


def use_server_loop(loop: asyncio.AbstractEventLoop) -> None:
    global _server_loop
    _server_loop = loop


def send_now(group: str, event: dict) -> bool:
    """Send one layer event; never raises. Returns whether it went out."""
    layer = get_channel_layer()
    if layer is None:
        return False
    try:
        _run(layer.group_send, group, event)
    except Exception:  # noqa: BLE001 - any layer failure degrades live updates, never the request
        outage.failed()
        return False
    outage.recovered()
    return True


def _run(coroutine_function, *args) -> None:
    """Run a layer call from synchronous code: on the server's event loop when this is one
    of the server's request threads, else as asgiref does (a management command, a test)."""
    loop = _server_loop
    if loop is not None and loop.is_running() and not _runs_in(loop):
        asyncio.run_coroutine_threadsafe(coroutine_function(*args), loop).result(timeout=SEND_TIMEOUT)
        return
    async_to_sync(coroutine_function)(*args)


def _runs_in(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:  # no loop runs in this thread
        return False
