from django import forms
from django.conf import settings
from django.urls import reverse_lazy
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import preferences, services
from .models import User


def _guidelines_label():
    return format_html(
        gettext(
            'I have read the <a href="{url}" target="_blank" rel="noopener">community guidelines</a> '
            "and will follow them"
        ),
        url=reverse_lazy("safety:guidelines"),
    )


class SignupForm(forms.Form):
    """Extra fields on allauth's signup form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    # allauth orders the fields by this; the guidelines box comes last, by the button.
    field_order = ["username", "email", "password1", "password2", "guidelines"]

    guidelines = forms.BooleanField(
        label=lazy(_guidelines_label, SafeString)(),
        error_messages={"required": _("Please read the community guidelines and tick the box to join.")},
    )

    def signup(self, request, user):
        services.guidelines_accept(member=user)


class LanguageSelect(forms.Select):
    """Each language's name is written in that language ("English", "Français"), so that a
    reader finds their own whatever the page's language: lang= says which, and
    translate="no" keeps page translators off it."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value:
            option["attrs"].update({"lang": value, "translate": "no"})
        return option


class SettingsForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        widget=LanguageSelect,
        help_text=_("Pages and emails use it, on every device you sign in on."),
    )
    region = forms.ChoiceField(
        label=_("Where you are"),
        required=False,
        help_text=_("The banner at the top of every page shows this region's crisis lines."),
    )
    always_expand_warnings = forms.BooleanField(
        label=_("Always open posts that carry a content warning"),
        required=False,
        help_text=_("You will still see the warning above the post."),
    )
    comfort_mode = forms.BooleanField(
        label=_("Comfort mode"),
        required=False,
        help_text=_("For bad days: hides every thread and post that carries a content warning, and posts from "
        "people who may be at risk. The same switch is at the top of every page."),
    )
    hidden_warnings = forms.MultipleChoiceField(
        label=_("Leave threads with these warnings out of the thread lists"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("You can still open them from a link."),
    )

    notification_email = forms.ChoiceField(
        label=_("Emails about your notifications"),
        choices=User.NOTIFICATION_EMAIL_CHOICES,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("Everything also waits for you in your inbox here."),
    )
    email_post_text = forms.BooleanField(
        label=_("Include thread titles and the text of posts in these emails"),
        required=False,
        help_text=_("Off by default: emails about posts on sensitive topics carry only a link, with no title or "
        "text, and every subject is generic, so nothing personal sits in your mailbox or shows on a lock screen."),
    )
    notify_reactions = forms.BooleanField(
        label=_("Tell me when people send support to my posts"),
        required=False,
        help_text=_("One note per post in your inbox, such as “3 people sent support”. It never says who."),
    )
    show_activity = forms.BooleanField(
        label=_("Show my recent posts on my profile"),
        required=False,
        help_text=_("Off by default: your profile shows only your pseudonym and when you joined. "
        "Your posts stay in their threads either way."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", gettext("The language of my browser")), *settings.LANGUAGES]
        self.fields["region"].choices = preferences.choices_for("region")
        self.fields["hidden_warnings"].choices = preferences.choices_for("hidden_warnings")

    def clean_notification_email(self):
        return self.cleaned_data.get("notification_email") or None  # not sent: leave as it is


class AccountDeleteForm(forms.Form):
    """Deleting an account asks for the password again, and whether posts go too."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("So we know it is really you."),
    )
    remove_posts = forms.BooleanField(
        label=_("Also remove everything I have written"),
        required=False,
        help_text=_("Your posts become “removed by its author” notes, so replies to them still make sense. "
        "Their text is erased for good."),
    )

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.member.check_password(password):
            raise forms.ValidationError(_("That password doesn't match. Your account is unchanged."))
        return password
