import re

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.conf import settings

# Names that could pass for the forum's staff, its services or a crisis line.
RESERVED_WORDS = frozenset(
    """
    admin administrator administration root sysadmin superuser system
    mod mods moderator moderators moderation staff team official
    support helpdesk help helpline hotline crisis crisisline emergency
    988 911 999 112 000 samaritans lifeline
    forum commonground security abuse report reports noreply postmaster webmaster
    doctor nurse psychiatrist therapist
    """.split()
)
# A name that begins with one of these reads as staff even without a separator.
RESERVED_PREFIXES = ("admin", "moderator", "crisis", "official", "988", "911")


def username_is_reserved(username: str) -> bool:
    """True when a username reads as staff, a service or a crisis line.

    Whole words are compared, so "admin", "Mod_Jo", "crisis-line", "988help" and
    "support.team" are refused while "modern_life" and "supportive_sam" are not.
    """
    lowered = username.lower()
    squashed = re.sub(r"[^a-z0-9]", "", lowered)
    words = re.findall(r"[a-z]+|[0-9]+", lowered)
    return (
        squashed in RESERVED_WORDS
        or any(word in RESERVED_WORDS for word in words)
        or squashed.startswith(RESERVED_PREFIXES)
    )


class AccountAdapter(DefaultAccountAdapter):
    def clean_username(self, username, shallow=False):
        if username_is_reserved(username):
            raise forms.ValidationError(
                "That name could be mistaken for the forum's staff or a support service. "
                "Please choose another pseudonym."
            )
        return super().clean_username(username, shallow=shallow)

    def send_mail(self, template_prefix, email, context):
        """Our emails name the site by settings.SITE_NAME and link to SITE_URL, never by
        the host that served the request ("Hello from 127.0.0.1:8000")."""
        context = {**context, "site_name": settings.SITE_NAME, "site_url": settings.SITE_URL.rstrip("/")}
        super().send_mail(template_prefix, email, context)
