"""Private by default: search engines are told to stay out.

Members write about suicidality, illegal drugs and their medication under pseudonyms
that someone could link to them. Unless the site's owner opens the forum to search
engines (settings.FORUM_ALLOW_SEARCH_ENGINES), robots.txt asks every crawler to stay away
and every response carries `X-Robots-Tag: noindex, nofollow` (and each page the same
<meta name="robots">), for crawlers that ignore robots.txt but honour the tag.

With the setting on, only pages that say so may be indexed (`allow_indexing`): the home
page, public categories and their published threads. Profiles, search, the account and
moderation pages and members-only categories stay out whatever the setting.
"""

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

NOINDEX = "noindex, nofollow"


def search_engines_allowed() -> bool:
    return bool(getattr(settings, "FORUM_ALLOW_SEARCH_ENGINES", False))


def allow_indexing(request) -> None:
    """This page may be indexed, if the site is open to search engines at all."""
    request.forum_indexable = search_engines_allowed()


def is_indexable(request) -> bool:
    return bool(getattr(request, "forum_indexable", False))


class NoIndexMiddleware:
    """Every response says noindex unless its view allowed indexing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not is_indexable(request):
            response.headers.setdefault("X-Robots-Tag", NOINDEX)
        return response


CLOSED = "User-agent: *\nDisallow: /\n"
OPEN = """User-agent: *
Disallow: /accounts/
Disallow: /admin/
Disallow: /moderation/
Disallow: /members/
Disallow: /search/
Disallow: /settings/
Disallow: /inbox/
Disallow: /drafts/
"""


@require_GET
@cache_control(max_age=3600, public=True)
def robots_txt(request):
    return HttpResponse(OPEN if search_engines_allowed() else CLOSED, content_type="text/plain; charset=utf-8")
