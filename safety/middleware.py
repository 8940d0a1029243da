"""Pages whose crisis lines depend on the browser's languages say so (Vary), so a cache
between the forum and the reader never hands one reader's lines to another."""

from django.utils.cache import patch_vary_headers

from . import resources


class CrisisRegionVaryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        found = getattr(request, "_crisis_region", None)
        if found is not None and found.source not in (resources.CHOSEN,):
            # Not the member's own setting: the cookie, then Accept-Language, decided it.
            patch_vary_headers(response, ["Accept-Language", "Cookie"])
        return response
