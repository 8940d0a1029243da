from django import forms
from django.conf import settings
from django.urls import reverse_lazy
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString

from forum.content_warnings import HIDE_CHOICES
from moderation import resources

from . import services


def _guidelines_label():
    return format_html(
        'I have read the <a href="{}" target="_blank" rel="noopener">community guidelines</a> and will follow them',
        reverse_lazy("safety:guidelines"),
    )


class SignupForm(forms.Form):
    """Extra fields on allauth's signup form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    # allauth orders the fields by this; the guidelines box comes last, by the button.
    field_order = ["username", "email", "password1", "password2", "guidelines"]

    guidelines = forms.BooleanField(
        label=lazy(_guidelines_label, SafeString)(),
        error_messages={"required": "Please read the community guidelines and tick the box to join."},
    )

    def signup(self, request, user):
        services.guidelines_accept(member=user)


def _region_choices():
    default = resources.REGION_NAMES.get(settings.CRISIS_DEFAULT_REGION, settings.CRISIS_DEFAULT_REGION)
    return [("", f"Let the forum choose ({default})")] + resources.region_choices()


class SettingsForm(forms.Form):
    region = forms.ChoiceField(
        label="Where you are",
        required=False,
        help_text="The banner at the top of every page shows this region's crisis lines.",
    )
    always_expand_warnings = forms.BooleanField(
        label="Always open posts that carry a content warning",
        required=False,
        help_text="You will still see the warning above the post.",
    )
    hidden_warnings = forms.MultipleChoiceField(
        label="Leave threads with these warnings out of the thread lists",
        choices=HIDE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="You can still open them from a link.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = _region_choices()
