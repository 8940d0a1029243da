"""Channels' session and auth middleware, made lighter for sockets.

SocketSessionMiddleware: Channels' SessionMiddleware wraps every `send` of every socket to
save a modified session on an HTTP response start, which a socket never sends; the
check still ran on every frame, a thousand times for each reply to a thousand readers.
Sockets get the server's own `send`; HTTP keeps the wrapper. No socket here writes its
session (they read it: the member, a moderator's second factor).

AnonymousWithoutSessionAuthMiddleware: Channels' AuthMiddleware, without its database
round trip for readers who have no session.

channels.auth.AuthMiddleware resolves every socket's user in a worker thread
(database_sync_to_async), even when the browser sent no session cookie and the answer can
only be AnonymousUser. Most live readers are anonymous; a reconnect storm of them queued
behind one another for that thread hop. A socket without a session key gets AnonymousUser
at once; any other is resolved exactly as channels does.
"""

from channels.auth import AuthMiddleware
from channels.sessions import InstanceSessionWrapper, SessionMiddleware
from django.contrib.auth.models import AnonymousUser


class AnonymousWithoutSessionAuthMiddleware(AuthMiddleware):
    async def resolve_scope(self, scope):
        if not scope["session"].session_key:
            scope["user"]._wrapped = AnonymousUser()
            return
        await super().resolve_scope(scope)


class SocketSessionMiddleware(SessionMiddleware):
    async def __call__(self, scope, receive, send):
        wrapper = InstanceSessionWrapper(scope, send)
        await wrapper.resolve_session()
        return await self.inner(wrapper.scope, receive, send if scope["type"] == "websocket" else wrapper.send)
