"""Reads about one member: the copy of their data they download."""

from django.utils.translation import gettext

from . import data_rights
from .models import User


def member_data_export(member: User) -> dict:
    """Everything the forum keeps about the member, as plain JSON-ready data: each app's
    sections (accounts/data_rights.py)."""
    return {
        "about": gettext(
            "Your data from the forum, as it was when you downloaded it. Your posts and threads are listed "
            "whatever their status, including ones a moderator hid and ones you removed; other people's "
            "content appears only where you can still read it."
        ),
        **data_rights.export_all(member),
    }
