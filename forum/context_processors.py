from django.conf import settings

from .permissions import viewer_for


def site(request):
    return {
        "site_name": settings.SITE_NAME,
        # What this reader may do: asked by every template, computed once per request.
        "viewer": viewer_for(request.user),
    }
