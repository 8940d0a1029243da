from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import names, two_factor
from .models import User

RESERVED_MESSAGE = _(
    "That name could be mistaken for the forum's staff or a support service. Please choose another pseudonym."
)
LOOKALIKE_MESSAGE = _(
    "That name is taken, or looks too much like one that is (letters from other alphabets count "
    "as the letters they look like). Please choose another pseudonym."
)


def name_is_taken(username: str) -> bool:
    """Whether the name looks like any member's, a former member's included (accounts/names.py)."""
    keys = names.name_keys(username)
    return User.objects.filter(Q(name_key__in=keys) | Q(name_key_folded__in=keys)).exists()


class AccountAdapter(DefaultAccountAdapter):
    def clean_username(self, username, shallow=False):
        if names.username_is_reserved(username):
            raise forms.ValidationError(RESERVED_MESSAGE)
        if not shallow and name_is_taken(username):
            raise forms.ValidationError(LOOKALIKE_MESSAGE)
        return super().clean_username(username, shallow=shallow)

    def format_email_subject(self, subject) -> str:
        """The site's name, then the subject, as the forum's own emails write it (and
        translated with them: French puts a space before the colon)."""
        return gettext("%(site)s: %(subject)s") % {"site": settings.SITE_NAME, "subject": force_str(subject)}

    def send_mail(self, template_prefix, email, context):
        """Our emails name the site by settings.SITE_NAME and link to SITE_URL, never by
        the host that served the request ("Hello from 127.0.0.1:8000")."""
        context = {**context, "site_name": settings.SITE_NAME, "site_url": settings.SITE_URL.rstrip("/")}
        # In the recipient's language when they chose one; otherwise the page's (the person
        # who asked for a reset or a confirmation is reading in it).
        language = _recipient_language(context.get("user"), email)
        with translation.override(language or translation.get_language()):
            super().send_mail(template_prefix, email, context)


def _recipient_language(user, email: str) -> str:
    if user is None or not getattr(user, "pk", None):
        user = User.objects.filter(email__iexact=email).only("language").first() if email else None
    return getattr(user, "language", "") or ""


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator) -> bool:
        """Moderators and staff keep their authenticator app: their pages need it."""
        if authenticator.type == authenticator.Type.TOTP and two_factor.must_use_two_factor(authenticator.user):
            return False
        return super().can_delete_authenticator(authenticator)
