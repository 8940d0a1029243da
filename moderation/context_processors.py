from functools import cache

from forum import permissions

from .selectors import open_item_count


def moderation(request):
    """The header's queue count for moderators, computed only when a template asks."""
    user = request.user
    return {"open_queue_count": cache(lambda: open_item_count() if permissions.is_moderator(user) else 0)}
