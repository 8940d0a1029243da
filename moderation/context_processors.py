from functools import cache

from forum import permissions

from .selectors import open_item_count


def moderation(request):
    """Header indicators, computed only when a template asks: the queue link and its
    count for moderators; a current suspension for members."""
    user = request.user
    return {
        "is_moderator": lambda: permissions.is_moderator(user),
        "open_queue_count": cache(lambda: open_item_count() if permissions.is_moderator(user) else 0),
        "my_suspension": lambda: permissions.current_suspension(user),
    }
