from django.conf import settings

from moderation import resources

from . import permissions


def site(request):
    region = resources.region_for(request)
    return {
        "site_name": settings.SITE_NAME,
        # The crisis lines every page shows: from the cache, no query on a warm page.
        "crisis_banner": resources.banner_for(region),
        "crisis_regions": resources.region_choices(),
        "crisis_lines": resources.lines_for(region),
        # Unread items in the member's inbox; read with the member's standing, no own query.
        "inbox_unread_count": lambda: permissions.unread_notification_count(request.user),
    }
