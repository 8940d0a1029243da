from django import forms
from django.utils.translation import gettext_lazy as _

from forum.forms import BodyField

from .services import SUBJECT_MAX_LENGTH


class MessageForm(forms.Form):
    body = BodyField(label=_("Your message"), widget=forms.Textarea(attrs={"rows": 6}))


class NewConversationForm(MessageForm):
    subject = forms.CharField(
        label=_("Subject (optional)"), required=False, max_length=SUBJECT_MAX_LENGTH,
        help_text=_("A few words so you can find it again. Only you and the team see it."),
    )

    field_order = ["subject", "body"]


class ReachOutForm(NewConversationForm):
    body = BodyField(
        label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Warm, plain and direct; include the crisis lines for their region (shown beside this form). "
        "The moderators' guide has wording that helps."),
    )


class PreferenceForm(forms.Form):
    email = forms.BooleanField(label=_("Email me when the team writes to me (the email never holds the message)"),
                               required=False)
