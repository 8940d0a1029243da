"""The rules a title or a post body must meet, shared by forms and services."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

# C0 and C1 control characters other than tab, newline and carriage return.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# In a title, every control character but the newline (which has its own message): a
# carriage return or a line separator in a title would break the headers of every email
# that names the thread.
_TITLE_CONTROL_CHARS = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")
# Whitespace and zero-width characters: a body made only of these is empty.
_INVISIBLE = re.compile(r"[\s\u200b-\u200d\u2060\ufeff]+")


# One whole sentence per field, so each reads naturally once translated.
_CONTROL_MESSAGES = {
    "title": _(
        "Your title contains invisible control characters (often from a copy and paste). "
        "Please remove them and try again."
    ),
    "post": _(
        "Your post contains invisible control characters (often from a copy and paste). "
        "Please remove them and try again."
    ),
    "content warning": _(
        "Your content warning contains invisible control characters (often from a copy and paste). "
        "Please remove them and try again."
    ),
}


def _reject_control_characters(value: str, what: str, pattern: re.Pattern = _CONTROL_CHARS) -> None:
    if pattern.search(value):
        raise ValidationError(_CONTROL_MESSAGES[what], code="control_characters")


def clean_title(value: str) -> str:
    value = (value or "").replace("\r\n", "\n")
    _reject_control_characters(value, "title", _TITLE_CONTROL_CHARS)
    if "\n" in value:
        raise ValidationError(_("A title fits on one line."), code="newline")
    value = value.strip()
    if not _INVISIBLE.sub("", value):
        raise ValidationError(_("Please give your thread a title."), code="required")
    limit = settings.FORUM_TITLE_MAX_LENGTH
    if len(value) > limit:
        raise ValidationError(
            _("Titles can be at most %(limit)s characters; this one has %(length)s."),
            code="max_length",
            params={"limit": limit, "length": len(value)},
        )
    return value


def clean_body(value: str) -> str:
    value = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    _reject_control_characters(value, "post")
    if not _INVISIBLE.sub("", value):
        raise ValidationError(_("Your post is empty. Write something before posting."), code="required")
    limit = settings.FORUM_BODY_MAX_LENGTH
    if len(value) > limit:
        raise ValidationError(
            _(
                "Posts can be at most %(limit)s characters; this one has %(length)s. "
                "You could split it into two replies."
            ),
            code="max_length",
            params={
                "limit": number_format(limit, force_grouping=True),
                "length": number_format(len(value), force_grouping=True),
            },
        )
    return value.strip("\n")


def clean_content_warning(value: str) -> str:
    value = (value or "").strip()
    _reject_control_characters(value, "content warning")
    if len(value) > 100:
        raise ValidationError(_("Keep the content warning under 100 characters."), code="max_length")
    return value
