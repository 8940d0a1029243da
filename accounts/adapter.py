from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.db.models import Q

from . import names
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
