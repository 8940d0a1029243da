from django.urls import path

from . import consumers

# The live thread. Keep this path: the page's script and deploy docs name it.
websocket_urlpatterns = [
    path("ws/threads/<int:thread_id>/", consumers.ThreadConsumer.as_asgi()),
    # A member's own events (the inbox's unread count), group user-<id>.
    path("ws/me/", consumers.MemberConsumer.as_asgi()),
]
