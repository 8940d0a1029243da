"""Error pages (400, 403, 404, 500, a failed CSRF check, and the 503 page the proxy
shows when no worker answers), each with the crisis lines for the reader's region.

An error is often the moment something else has failed, so these pages depend on as
little as possible. They are rendered without the site's context processors (which ask
the database who the member is) from templates/errors/, whose layout has no member
menu. The lines come from safety.resources, which falls back from the cache to the
database to the lines shipped in the repository; the 500 page goes straight to the
shipped lines and never reads the database, the cache or the member, since either may
be why it is shown. If even the template fails, the 500 page is written by hand.
"""

import logging
import sys

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import DatabaseError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language, gettext

from . import resources

logger = logging.getLogger(__name__)


def bad_request(request, exception=None):
    return _page(request, "errors/400.html", 400)


def permission_denied(request, exception=None):
    message = str(exception) if exception and str(exception) else gettext("You don't have permission to do that.")
    return _page(request, "errors/403.html", 403, message=message)


def page_not_found(request, exception=None):
    return _page(request, "errors/404.html", 404)


# Seconds a refused request is told to wait before trying again (the Retry-After header).
BUSY_RETRY_AFTER = 5


def server_error(request):
    failure = sys.exc_info()[1]  # Django calls this while handling the exception
    if isinstance(failure, OperationalError):
        return database_busy(request, failure)
    try:
        return _page(request, "errors/500.html", 500, use_database=False)
    except Exception:  # noqa: BLE001 - the last page anyone sees must not fail in turn
        logger.exception("The 500 page could not be rendered; sending the plain one.")
        return HttpResponse(_plain_500(), status=500)


def csrf_failure(request, reason=""):
    """The form's security token had expired. Show the member their own text so nothing
    is lost, but only when the post came from one of our pages: a form on another site
    could otherwise put its words on our page, under our banner."""
    draft = _posted_text(request) if _from_our_own_page(request) else {}
    return _page(request, "errors/403_csrf.html", 403, draft=draft)


def database_busy(request, failure: OperationalError):
    """The database could not answer in time (every pooled connection busy, a deadlock
    broken by PostgreSQL, a lock held too long): nothing was saved, and saying so
    plainly is better than a 500. The page's script keeps the text in the form; a
    browser without it gets its own text back on the page, as after an expired form."""
    # A refused write is always logged (the member's text was not saved); refused reads
    # are many during an outage, which safety.resources already reports once.
    level = logging.WARNING if request.method == "POST" else logging.INFO
    logger.log(level, "Database busy, answered 503 to %s %s: %s", request.method, request.path, failure)
    posted = _posted_text(request) if request.method == "POST" else {}
    if posted:
        message = gettext(
            "The forum is very busy and could not save this just now. Nothing was posted; "
            "your text is still here. Please try again in a few seconds."
        )
    elif request.method == "POST":  # a reaction, a follow, a moderator's action
        message = gettext(
            "The forum is very busy and could not do that just now. Nothing was changed. "
            "Please try again in a few seconds."
        )
    else:
        message = gettext("The forum is very busy and could not load this page. Please try again in a few seconds.")
    if "application/json" in request.headers.get("Accept", ""):
        response = JsonResponse({"error": message, "retry_after": BUSY_RETRY_AFTER}, status=503)
    else:
        draft = posted if _from_our_own_page(request) else {}
        response = _page(request, "errors/503_busy.html", 503, use_database=False, draft=draft, message=message)
    response["Retry-After"] = str(BUSY_RETRY_AFTER)
    return response


def offline_context(region: str) -> dict:
    """What the static pages (the 503 page, the copy of /help/) are rendered with: the
    shipped lines, the reader's region first."""
    regions = [(code, name, resources.shipped_lines_for(code)) for code, name in resources.shipped_regions()]
    regions.sort(key=lambda entry: entry[0] != region)
    return {**_lines_context(region, use_database=False), "region": region, "regions": regions}


# --- Rendering ---------------------------------------------------------------------------


def _page(request, template: str, status: int, *, use_database: bool = True, **extra) -> HttpResponse:
    region = _region(request, use_database=use_database)
    context = {**_lines_context(region, use_database=use_database), "request": request, **extra}
    return HttpResponse(render_to_string(template, context), status=status)


def _region(request, *, use_database: bool) -> str:
    if use_database:
        try:
            return resources.region_for(request)
        except DatabaseError:  # the member could not be read: fall back to what the request says
            pass
    return resources.region_for(request, use_database=False)


def _lines_context(region: str, *, use_database: bool) -> dict:
    lines = resources.lines_for(region) if use_database else resources.shipped_lines_for(region)
    regions = resources.region_choices() if use_database else resources.shipped_regions()
    return {
        "site_name": settings.SITE_NAME,
        "region_name": resources.REGION_NAMES.get(region, region),
        "crisis_banner": resources.banner_for(region, lines),
        "crisis_regions": regions,
        "crisis_lines": lines,
    }


def _posted_text(request) -> dict:
    """What the member wrote in the form that was refused: its title and text, if any."""
    return {key: request.POST[key] for key in ("title", "body") if request.POST.get(key)}


def _from_our_own_page(request) -> bool:
    """Whether the browser says the form was on one of our pages. Browsers send
    Sec-Fetch-Site and Origin with every form post, and a page cannot forge either."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site:
        return fetch_site == "same-origin"
    origin = request.headers.get("Origin")
    if not origin:
        return False
    try:
        own = f"{request.scheme}://{request.get_host()}"
    except DisallowedHost:
        return False
    return origin == own or origin in settings.CSRF_TRUSTED_ORIGINS


def _plain_500() -> str:
    # Nothing says where the reader is here: the international directory, never a
    # guess at another country's lines.
    lines = resources.shipped_lines_for(resources.UNKNOWN)
    items = format_html_join("", "<li>{}: {}</li>", ((line.display_name, line.how_to_reach) for line in lines))
    return format_html(
        '<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head>'
        "<body><h1>{heading}</h1><p>{again}</p><h2>{talk}</h2><ul>{items}</ul>"
        '<p>{danger} <a href="/help/">{every}</a></p></body></html>',
        lang=get_language() or settings.LANGUAGE_CODE,
        title=gettext("Something went wrong"),
        heading=gettext("Something went wrong on our side"),
        again=gettext("Please try again in a minute."),
        talk=gettext("If you need to talk to someone now"),
        items=items,
        danger=gettext("In immediate danger, call your local emergency number."),
        every=gettext("Crisis lines for every region"),
    )
