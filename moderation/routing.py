from django.urls import path

from . import consumers

websocket_urlpatterns = [
    path("ws/moderation/", consumers.ModerationConsumer.as_asgi()),
]
