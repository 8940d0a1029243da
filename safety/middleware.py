"""Middleware of the safety app: a busy database answers 503 with the member's text kept,
and pages whose crisis lines depend on the browser's languages say so (Vary), so a cache
between the forum and the reader never hands one reader's lines to another."""

from django.db import OperationalError
from django.utils.cache import patch_vary_headers

from . import errors, resources


class DatabaseBusyMiddleware:
    """A view that could not reach the database in time answers 503 with the member's
    text kept (safety.errors.database_busy), never a 500 that reads as "your post failed"
    or makes the page post it again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError):
            return errors.database_busy(request, exception)
        return None


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
