from functools import cache

from forum import permissions

from .selectors import open_item_count


def moderation(request):
    """The header's queue count for moderators (crisis items for peer supporters),
    computed only when a template asks."""
    user = request.user
    def count():
        if permissions.is_moderator(user):
            return open_item_count()
        return open_item_count(crisis_only=True) if permissions.is_peer_supporter(user) else 0

    return {"open_queue_count": cache(count)}
