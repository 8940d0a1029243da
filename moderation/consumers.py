from django.db import DatabaseError

from accounts import two_factor
from forum import broadcast, permissions
from forum.live import GroupKeepingConsumer, gated_database_sync_to_async

CLOSE_LOG_IN = 4401
CLOSE_FORBIDDEN = 4403


class ModerationConsumer(GroupKeepingConsumer):
    """The crisis responders' live queue and crisis alerts: moderators (signed in with a
    second factor, the same rule as the moderation pages) join the moderators' group,
    peer supporters the peer supporters' group (crisis items only). Nobody else may join;
    nothing is written through the socket. Standing is asked again before each event goes
    out, so someone whose role was taken away while their page is open stops at once.
    The socket re-joins its group every LIVE_HEARTBEAT seconds (forum/live.py), so a
    Redis restart does not leave the team's queue silently deaf."""

    group: str | None = None

    async def connect(self):
        user = self.scope.get("user")
        try:
            group, verdict = await self._standing(user, on_connect=True)
        except DatabaseError:
            await self.try_again_later()
            return
        if group is None:
            # Accept first so the browser sees the close code: 4401 log in, 4403 not allowed.
            await self.accept()
            await self.close(code=verdict)
            return
        self.group = group
        await self.keep_groups(group)
        await self.accept()

    async def disconnect(self, code):
        if self.group is not None:
            self.group = None
            await self.drop_groups()

    async def receive(self, text_data=None, bytes_data=None):
        """Clients only listen."""

    async def moderation_event(self, event):
        if self.group is None:
            return
        group, verdict = await self._standing(self.scope.get("user"), on_connect=False)
        if group != self.group:
            await self.disconnect(verdict)
            await self.close(code=verdict or CLOSE_FORBIDDEN)
            return
        await self.forward(event["text"])

    @gated_database_sync_to_async
    def _standing(self, user, *, on_connect: bool) -> tuple[str | None, int | None]:
        """(the group this user may listen to, None) or (None, the close code)."""
        if not getattr(user, "is_authenticated", False):
            return None, CLOSE_LOG_IN
        if on_connect:  # the Viewer asks whether this sign-in had the second factor
            two_factor.attach_session(user, self.scope.get("session"))
        permissions.forget_viewer(user)  # read afresh: a role may have changed since
        if permissions.is_moderator(user):
            return broadcast.MODERATORS, None
        if permissions.is_peer_supporter(user):
            return broadcast.PEER_SUPPORTERS, None
        return None, CLOSE_FORBIDDEN
