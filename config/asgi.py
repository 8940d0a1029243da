import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()  # before anything imports models

from django.conf import settings  # noqa: E402
from django.core.asgi import get_asgi_application  # noqa: E402

from channels.sessions import CookieMiddleware  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.urls import re_path  # noqa: E402

from config.auth import AnonymousWithoutSessionAuthMiddleware, SocketSessionMiddleware  # noqa: E402
from config.http import ThreadPoolHttp  # noqa: E402
from config.warmup import warm_up  # noqa: E402
from forum.consumers import NotFoundConsumer  # noqa: E402
from forum.routing import websocket_urlpatterns  # noqa: E402
from moderation.routing import websocket_urlpatterns as moderation_websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        # Pages in a pool of threads (config/http.py); sockets on the event loop.
        "http": ThreadPoolHttp(settings.HTTP_THREADS) if settings.HTTP_THREADS else get_asgi_application(),
        "websocket": AllowedHostsOriginValidator(
            CookieMiddleware(SocketSessionMiddleware(AnonymousWithoutSessionAuthMiddleware(
                URLRouter(
                    websocket_urlpatterns
                    + moderation_websocket_urlpatterns
                    # Last: any other address is closed cleanly with 4404, not dropped.
                    + [re_path(r"", NotFoundConsumer.as_asgi())]
                )
            )))
        ),
    }
)
warm_up()
