from django.conf import settings

from .permissions import viewer_for


def site(request):
    return {
        "site_name": settings.SITE_NAME,
        # Where the quick-exit button and Esc pressed three times go (static/js/site.js).
        "quick_exit_url": settings.FORUM_QUICK_EXIT_URL,
        # How many of a new member's first posts a moderator reads first (signup's promise).
        "first_posts_reviewed": getattr(settings, "MODERATION_PREMODERATE_FIRST_POSTS", 0),
        # What this reader may do: asked by every template, computed once per request.
        "viewer": viewer_for(request.user),
    }
