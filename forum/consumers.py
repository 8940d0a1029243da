"""The live thread: /ws/threads/<thread_id>/.

A socket only listens. It joins the group `thread-<id>` once the reader may read the
thread (the same permissions.can_read_thread the page asks), and forwards the events that
forum.realtime sends to that group. Posting stays on HTTP through the services.
"""

import asyncio
import json
import random

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from accounts import two_factor

from . import permissions, realtime
from . import presence as reading_now
from .models import Thread

CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404


def _standing_group(scope) -> str | None:
    user = scope.get("user")
    return realtime.standing_group(user.pk) if getattr(user, "is_authenticated", False) else None


class ThreadConsumer(AsyncWebsocketConsumer):
    thread_id: int | None = None
    group: str | None = None
    standing: str | None = None

    async def connect(self):
        thread_id = int(self.scope["url_route"]["kwargs"]["thread_id"])
        verdict = await self._may_read(thread_id)
        if verdict != "ok":
            # Accept first so the browser sees our close code, not a bare handshake failure.
            await self.accept()
            await self.close(code=CLOSE_NOT_FOUND if verdict == "missing" else CLOSE_FORBIDDEN)
            return
        self.thread_id = thread_id
        self.group = realtime.thread_group(thread_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        self.standing = _standing_group(self.scope)
        if self.standing:
            await self.channel_layer.group_add(self.standing, self.channel_name)
        await self.accept()
        await reading_now.join(thread_id, self.channel_name)
        reading_now.changed(thread_id)
        self._heartbeat = asyncio.ensure_future(self._keep_present())

    async def disconnect(self, code):
        if self.group is None:
            return
        self._heartbeat.cancel()
        await self.channel_layer.group_discard(self.group, self.channel_name)
        if self.standing:
            await self.channel_layer.group_discard(self.standing, self.channel_name)
        await reading_now.leave(self.thread_id, self.channel_name)
        reading_now.changed(self.thread_id)

    async def receive(self, text_data=None, bytes_data=None):
        """Nothing is written through the socket; whatever a client sends is ignored."""

    # Events from forum.realtime: forwarded as the JSON text they were serialized to.
    async def post_created(self, event):
        await self.send(text_data=event["text"])

    post_updated = post_created
    post_removed = post_created
    presence = post_created
    reaction_updated = post_created

    async def thread_updated(self, event):
        await self.send(text_data=event["text"])
        # A thread hidden or removed while open: readers who may no longer read it go.
        if json.loads(event["text"]).get("status") != "published" and await self._may_read(self.thread_id) != "ok":
            await self.close(code=CLOSE_FORBIDDEN)

    async def standing_changed(self, event):
        """The reader was banned (or their standing changed otherwise): they stay only if
        they may still read the thread (a members-only category closes to a banned member)."""
        if await self._may_read(self.thread_id, afresh=True) != "ok":
            await self.close(code=CLOSE_FORBIDDEN)

    @database_sync_to_async
    def _may_read(self, thread_id: int, *, afresh: bool = False) -> str:
        thread = Thread.objects.select_related("category").filter(pk=thread_id).first()
        if thread is None:
            return "missing"
        user = self.scope.get("user")
        if afresh:
            permissions.forget_viewer(user)
        two_factor.attach_session(user, self.scope.get("session"))  # a moderator's sign-in counts
        return "ok" if permissions.can_read_thread(user, thread) else "forbidden"

    async def _keep_present(self):
        last = None
        while True:
            await asyncio.sleep(reading_now.HEARTBEAT * random.uniform(0.8, 1.0))  # noqa: S311 - jitter, not secrecy
            count = await reading_now.refresh(self.thread_id, self.channel_name)
            if count != last:
                last = count
                await self.send(text_data=json.dumps({"type": "presence", "count": count}))


class MemberConsumer(AsyncWebsocketConsumer):
    """/ws/me/: a signed-in member's own socket. It joins `user-<id>` and forwards the
    events forum.realtime sends there (the inbox's unread count). Anonymous readers and
    deactivated or former members are refused in connect(), and a socket whose member
    has since been deactivated or deleted closes at its next event."""

    group: str | None = None

    async def connect(self):
        user = self.scope.get("user")
        if not await self._may_listen(user):
            await self.accept()
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.group = realtime.user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.channel_layer.group_add(realtime.standing_group(user.pk), self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)
            user = self.scope.get("user")
            await self.channel_layer.group_discard(realtime.standing_group(user.pk), self.channel_name)

    async def standing_changed(self, event):
        """A banned member's own socket closes (permissions.can_follow)."""
        if not await self._may_listen(self.scope.get("user"), afresh=True):
            await self.disconnect(CLOSE_FORBIDDEN)
            self.group = None
            await self.close(code=CLOSE_FORBIDDEN)

    async def receive(self, text_data=None, bytes_data=None):
        """Nothing is written through the socket; whatever a client sends is ignored."""

    async def inbox_unread(self, event):
        # Asked again before each event: a member deactivated or deleted meanwhile goes.
        if not await self._still_member(self.scope.get("user")):
            await self.disconnect(CLOSE_FORBIDDEN)
            self.group = None
            await self.close(code=CLOSE_FORBIDDEN)
            return
        await self.send(text_data=event["text"])

    async def member_event(self, event):
        """Events for this member from the apps above the forum (a private message from
        the team), sent to `user-<id>` with the handler "member.event"."""
        await self.send(text_data=event["text"])

    @database_sync_to_async
    def _may_listen(self, user, *, afresh: bool = False) -> bool:
        if afresh:
            permissions.forget_viewer(user)
        return permissions.can_follow(user)

    @database_sync_to_async
    def _still_member(self, user) -> bool:
        from accounts.models import User

        return User.objects.filter(pk=user.pk, is_active=True, is_former=False).exists()


class NotFoundConsumer(AsyncWebsocketConsumer):
    """Any other socket address (config/asgi.py routes it last): accepted only to be
    closed with 4404, so a client learns why instead of seeing the connection drop."""

    async def connect(self):
        await self.accept()
        await self.close(code=CLOSE_NOT_FOUND)
