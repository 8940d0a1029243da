from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from forum import broadcast, permissions


class ModerationConsumer(AsyncWebsocketConsumer):
    """The moderators' live queue and crisis alerts. Only moderators may join; nothing
    is written through the socket."""

    async def connect(self):
        user = self.scope.get("user")
        if not await database_sync_to_async(permissions.is_moderator)(user):
            # Accept first so the browser sees the close code: 4401 log in, 4403 not allowed.
            await self.accept()
            await self.close(code=4403 if getattr(user, "is_authenticated", False) else 4401)
            return
        await self.channel_layer.group_add(broadcast.MODERATORS, self.channel_name)
        self.joined = True
        await self.accept()

    async def disconnect(self, code):
        if getattr(self, "joined", False):
            await self.channel_layer.group_discard(broadcast.MODERATORS, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        """Clients only listen."""

    async def moderation_event(self, event):
        await self.send(text_data=event["text"])
