"""Channels' AuthMiddleware, without its database round trip for readers who have no session.

channels.auth.AuthMiddleware resolves every socket's user in a worker thread
(database_sync_to_async), even when the browser sent no session cookie and the answer can
only be AnonymousUser. Most live readers are anonymous; a reconnect storm of them queued
behind one another for that thread hop. A socket without a session key gets AnonymousUser
at once; any other is resolved exactly as channels does.
"""

from channels.auth import AuthMiddleware
from django.contrib.auth.models import AnonymousUser


class AnonymousWithoutSessionAuthMiddleware(AuthMiddleware):
    async def resolve_scope(self, scope):
        if not scope["session"].session_key:
            scope["user"]._wrapped = AnonymousUser()
            return
        await super().resolve_scope(scope)
