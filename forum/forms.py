from django import forms
from django.conf import settings
from django.core.validators import ProhibitNullCharactersValidator

from .validators import clean_body, clean_content_warning, clean_title

BODY_HELP = "Markdown works: **bold**, *italic*, > quotes, - lists, [links](https://example.org)."


def without_null_character_validator(field: forms.Field) -> forms.Field:
    """Our validators explain control characters (NUL included) more helpfully."""
    field.validators = [v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)]
    return field


class BodyField(forms.CharField):
    widget = forms.Textarea

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Your post")
        kwargs.setdefault("help_text", BODY_HELP)
        # Our own validator gives the kinder message, so no browser maxlength here.
        super().__init__(strip=False, required=False, **kwargs)
        without_null_character_validator(self)

    def clean(self, value):
        return clean_body(super().clean(value))


class ContentWarningField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Content warning (optional)")
        kwargs.setdefault("help_text", "For example: suicide or self-harm, substance use, trauma, withdrawal symptoms.")
        super().__init__(required=False, max_length=100, **kwargs)
        without_null_character_validator(self)

    def clean(self, value):
        return clean_content_warning(super().clean(value))


class ThreadForm(forms.Form):
    title = forms.CharField(
        required=False,
        strip=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "size": 60}),
        help_text=f"Up to {settings.FORUM_TITLE_MAX_LENGTH} characters.",
    )
    body = BodyField(widget=forms.Textarea(attrs={"rows": 10}))
    content_warning = ContentWarningField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        without_null_character_validator(self.fields["title"])

    def clean_title(self):
        return clean_title(self.cleaned_data["title"])


class ReplyForm(forms.Form):
    body = BodyField(label="Your reply", widget=forms.Textarea(attrs={"rows": 5}))
    content_warning = ContentWarningField()
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class PostEditForm(forms.Form):
    body = BodyField(widget=forms.Textarea(attrs={"rows": 10}))
