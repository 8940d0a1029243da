from django import forms
from django.conf import settings
from django.urls import reverse_lazy
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString

from . import preferences, services
from .models import User


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


class SettingsForm(forms.Form):
    language = forms.ChoiceField(
        label="Language",
        required=False,
        help_text="Pages and emails use it, on every device you sign in on.",
    )
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
    comfort_mode = forms.BooleanField(
        label="Comfort mode",
        required=False,
        help_text="For bad days: hides every thread and post that carries a content warning, and posts from "
        "people who may be at risk. The same switch is at the top of every page.",
    )
    hidden_warnings = forms.MultipleChoiceField(
        label="Leave threads with these warnings out of the thread lists",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="You can still open them from a link.",
    )

    notification_email = forms.ChoiceField(
        label="Emails about your notifications",
        choices=User.NOTIFICATION_EMAIL_CHOICES,
        widget=forms.RadioSelect,
        required=False,
        help_text="Everything also waits for you in your inbox here.",
    )
    email_post_text = forms.BooleanField(
        label="Include the text of posts in these emails",
        required=False,
        help_text="Off by default: emails about posts on sensitive topics carry only the thread's title and a "
        "link, so nothing personal sits in your mailbox or shows on a lock screen.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", "The language of my browser"), *settings.LANGUAGES]
        self.fields["region"].choices = preferences.choices_for("region")
        self.fields["hidden_warnings"].choices = preferences.choices_for("hidden_warnings")

    def clean_notification_email(self):
        return self.cleaned_data.get("notification_email") or None  # not sent: leave as it is


class AccountDeleteForm(forms.Form):
    """Deleting an account asks for the password again, and whether posts go too."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="So we know it is really you.",
    )
    remove_posts = forms.BooleanField(
        label="Also remove everything I have written",
        required=False,
        help_text="Your posts become “removed by its author” notes, so replies to them still make sense. "
        "Their text is erased for good.",
    )

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.member.check_password(password):
            raise forms.ValidationError("That password doesn't match. Your account is unchanged.")
        return password
