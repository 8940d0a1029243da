from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from accounts import two_factor
from forum import broadcast, permissions

CLOSE_LOG_IN = 4401
CLOSE_FORBIDDEN = 4403


class ModerationConsumer(AsyncWebsocketConsumer):
    """The moderators' live queue and crisis alerts. Only moderators who signed in with a
    second factor may join (the same rule as the moderation pages); nothing is written
    through the socket. Standing is asked again before each event goes out, so a
    moderator demoted while their page is open stops receiving the queue at once."""

    joined = False

    async def connect(self):
        user = self.scope.get("user")
        verdict = await self._standing(user, on_connect=True)
        if verdict is not None:
            # Accept first so the browser sees the close code: 4401 log in, 4403 not allowed.
            await self.accept()
            await self.close(code=verdict)
            return
        await self.channel_layer.group_add(broadcast.MODERATORS, self.channel_name)
        self.joined = True
        await self.accept()

    async def disconnect(self, code):
        if self.joined:
            await self.channel_layer.group_discard(broadcast.MODERATORS, self.channel_name)
            self.joined = False

    async def receive(self, text_data=None, bytes_data=None):
        """Clients only listen."""

    async def moderation_event(self, event):
        if not self.joined:
            return
        verdict = await self._standing(self.scope.get("user"), on_connect=False)
        if verdict is not None:
            await self.disconnect(verdict)
            await self.close(code=verdict)
            return
        await self.send(text_data=event["text"])

    @database_sync_to_async
    def _standing(self, user, *, on_connect: bool) -> int | None:
        """None when the user may listen, else the close code."""
        if not getattr(user, "is_authenticated", False):
            return CLOSE_LOG_IN
        if on_connect:  # the Viewer asks whether this sign-in had the second factor
            two_factor.attach_session(user, self.scope.get("session"))
        permissions.forget_viewer(user)  # read afresh: a role may have changed since
        return None if permissions.is_moderator(user) else CLOSE_FORBIDDEN
