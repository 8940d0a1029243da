from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.functional import lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from . import content_warnings
from .validators import clean_body, clean_content_warning, clean_title


def add_service_errors(form, error: ValidationError) -> None:
    """A service's refusal shown on the form that asked for it: each error under its field
    when the form shows that field, otherwise (or for an error about no field) at the top."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            shown = field in form.fields and not form.fields[field].widget.is_hidden
            form.add_error(field if shown else None, messages)
    else:
        form.add_error(None, error.messages)


def _body_help() -> str:
    count = settings.FORUM_MENTIONS_PER_POST
    return " ".join((
        gettext("Markdown works: **bold**, *italic*, > quotes, - lists, [links](https://example.org)."),
        ngettext(
            "Writing @name lets that member know (up to %(count)d person a post).",
            "Writing @name lets that member know (up to %(count)d people a post).",
            count,
        ) % {"count": count},
    ))


def _title_help() -> str:
    count = settings.FORUM_TITLE_MAX_LENGTH
    return ngettext("Up to %(count)d character.", "Up to %(count)d characters.", count) % {"count": count}


# Lazy: translated when a form is shown, in the reader's language (an ngettext_lazy with
# `% {...}` at import time would be fixed in the language active then).
BODY_HELP = lazy(_body_help, str)()
TITLE_HELP = lazy(_title_help, str)()


def without_null_character_validator(field: forms.Field) -> forms.Field:
    """Our validators explain control characters (NUL included) more helpfully."""
    field.validators = [v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)]
    return field


class BodyField(forms.CharField):
    widget = forms.Textarea

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Your post"))
        kwargs.setdefault("help_text", BODY_HELP)
        # Our own validator gives the kinder message, so no browser maxlength here.
        super().__init__(strip=False, required=False, **kwargs)
        without_null_character_validator(self)

    def clean(self, value):
        return clean_body(super().clean(value))


class ContentWarningWidget(forms.MultiWidget):
    """A list of warnings, and a few words of the author's own for "other"."""

    def __init__(self, attrs=None):
        widgets = [
            forms.Select(
                choices=content_warnings.AUTHOR_CHOICES,
                attrs={"class": "cw-choice", "aria-label": _("Content warning")},
            ),
            forms.TextInput(
                attrs={
                    "class": "cw-other", "maxlength": 100, "autocomplete": "off",
                    "placeholder": _("For “other”: a few words, e.g. grief"),
                    "aria-label": _("Your own words for the warning, if you chose other"),
                }
            ),
        ]
        super().__init__(widgets, attrs)

    def id_for_label(self, id_):
        # The field's label names the list; the text box has its own aria-label.
        return f"{id_}_0" if id_ else id_

    def decompress(self, value):
        return list(content_warnings.split_stored(value))

    def value_from_datadict(self, data, files, name):
        if f"{name}_0" not in data and name in data:
            # A client that sends the warning as one string ("trauma", or its own words).
            return list(content_warnings.split_stored(data.get(name, "")))
        return super().value_from_datadict(data, files, name)


class ContentWarningField(forms.MultiValueField):
    """Stored as one short string in the existing content_warning fields."""

    widget = ContentWarningWidget

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Content warning (optional)"))
        kwargs.setdefault(
            "help_text", _("If your post talks about something painful, readers will choose when to open it.")
        )
        fields = (
            forms.ChoiceField(choices=content_warnings.AUTHOR_CHOICES, required=False),
            without_null_character_validator(forms.CharField(required=False)),
        )
        super().__init__(fields, required=False, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        key, other = (list(data_list) + ["", ""])[:2]
        if key == content_warnings.OTHER and not (other or "").strip():
            raise forms.ValidationError(
                _("Please say in a few words what the warning is for, or pick one from the list.")
            )
        return clean_content_warning(content_warnings.stored_value(key or "", other or ""))


class ThreadForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        required=False,
        strip=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "size": 60}),
        help_text=TITLE_HELP,
    )
    body = BodyField(widget=forms.Textarea(attrs={"rows": 10}))
    content_warning = ContentWarningField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        without_null_character_validator(self.fields["title"])

    def clean_title(self):
        return clean_title(self.cleaned_data["title"])


class ReplyForm(forms.Form):
    body = BodyField(label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 5}))
    content_warning = ContentWarningField()
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class PostEditForm(forms.Form):
    """The author's edit: the text, the content warning, and on the opening post the
    thread's title."""

    title = forms.CharField(
        label=_("Title"),
        required=False,
        strip=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "size": 60}),
        help_text=TITLE_HELP,
    )
    body = BodyField(widget=forms.Textarea(attrs={"rows": 10}))
    content_warning = ContentWarningField(
        help_text=_(
            "Readers choose when to open a post with a warning. You can add, change or remove it at any time."
        )
    )

    def __init__(self, *args, with_title: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if with_title:
            without_null_character_validator(self.fields["title"])
        else:
            del self.fields["title"]

    # A client that sends only the text (the older form, a script) leaves the title and
    # the warning as they are: None means "unchanged" to forum.services.post_details_change.
    def clean_title(self):
        if "title" not in self.data:
            return None
        return clean_title(self.cleaned_data["title"])

    def clean_content_warning(self):
        if "content_warning_0" not in self.data and "content_warning" not in self.data:
            return None
        return self.cleaned_data["content_warning"]
