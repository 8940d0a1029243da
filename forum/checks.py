"""System checks (`manage.py check`, and before migrate and runserver): settings the
forum cannot run safely without in production."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=False)
def site_url_check(app_configs=None, **kwargs):
    """Crisis escalation emails and live alerts link to the site by SITE_URL: in production
    (DEBUG off) it must be set, and https, or a moderator's link goes nowhere."""
    if settings.DEBUG:
        return []
    site_url = getattr(settings, "SITE_URL", "") or ""
    parts = urlsplit(site_url)
    if not site_url:
        return [Error("SITE_URL is not set.", id="forum.E001",
                      hint="Set SITE_URL to the site's address, e.g. https://forum.example.org: crisis escalation "
                      "emails link to it.")]
    if parts.scheme != "https" or not parts.netloc:
        return [Error(f"SITE_URL must be an https:// address, not {site_url!r}.",
                      hint="Links in emails to moderators and members must be absolute and secure.", id="forum.E002")]
    return []
