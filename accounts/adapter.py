from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django import forms
from django.db.models import Q

from . import names, two_factor
from .models import User

RESERVED_MESSAGE = (
    "That name could be mistaken for the forum's staff or a support service. Please choose another pseudonym."
)
LOOKALIKE_MESSAGE = (
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


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator) -> bool:
        """Moderators and staff keep their authenticator app: their pages need it."""
        if authenticator.type == authenticator.Type.TOTP and two_factor.must_use_two_factor(authenticator.user):
            return False
        return super().can_delete_authenticator(authenticator)
