# WebSocket routes. The live-thread consumer arrives with the real-time issue.
websocket_urlpatterns = []
