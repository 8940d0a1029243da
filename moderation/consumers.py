from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from forum import broadcast, permissions


class ModerationConsumer(AsyncWebsocketConsumer):
    """The crisis responders' live queue and crisis alerts: moderators join the
    moderators' group, peer supporters the peer supporters' group (crisis items only).
    Nobody else may join; nothing is written through the socket."""

    group: str | None = None

    async def connect(self):
        user = self.scope.get("user")
        group = await database_sync_to_async(self._group_for)(user)
        if group is None:
            # Accept first so the browser sees the close code: 4401 log in, 4403 not allowed.
            await self.accept()
            await self.close(code=4403 if getattr(user, "is_authenticated", False) else 4401)
            return
        await self.channel_layer.group_add(group, self.channel_name)
        self.group = group
        await self.accept()

    async def disconnect(self, code):
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        """Clients only listen."""

    async def moderation_event(self, event):
        await self.send(text_data=event["text"])

    @staticmethod
    def _group_for(user) -> str | None:
        if permissions.is_moderator(user):
            return broadcast.MODERATORS
        if permissions.is_peer_supporter(user):
            return broadcast.PEER_SUPPORTERS
        return None
