"""Forms of the moderators' member pages and the log's filter."""

import re

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from . import selectors
from .forms import RequiredReasonForm, SuspendForm
from .services.members import NOTE_MAX_LENGTH


class SilenceForm(SuspendForm):
    """A silence may run until a moderator lifts it: the length is optional."""

    amount = forms.IntegerField(
        label=_("For how long (leave empty: until a moderator lifts it)"), required=False, min_value=1,
        max_value=999, widget=forms.NumberInput(attrs={"inputmode": "numeric", "size": 4}),
    )
    unit = forms.ChoiceField(label=_("Unit"), required=False, choices=SuspendForm.base_fields["unit"].choices,
                             initial="days")


class BanForm(RequiredReasonForm):
    pass


class RemoveSpammerForm(RequiredReasonForm):
    confirm = forms.BooleanField(
        label=_("Hide everything they wrote and ban them"),
        error_messages={"required": _("Tick the box to confirm: every post they wrote will be hidden.")},
    )

    field_order = ["confirm", "reason"]


class MemberNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Private note"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only moderators see this; it is not in the member's data download. They may ask the team for it "
                    "under data-rights law: write it as if they may read it one day."),
        error_messages={"required": _("Write the note first.")},
    )


class LogFilterForm(forms.Form):
    """The log's filter: a GET form, every field optional."""

    moderator = forms.CharField(label=_("Moderator"), required=False, max_length=150,
                                widget=forms.TextInput(attrs={"autocomplete": "off", "list": "log-moderators"}))
    member = forms.CharField(label=_("Member"), required=False, max_length=150,
                             widget=forms.TextInput(attrs={"autocomplete": "off"}))
    action = forms.ChoiceField(label=_("Action"), required=False)
    since = forms.DateField(label=_("From (UTC)"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    until = forms.DateField(label=_("Until (UTC, included)"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Any action")), *selectors.log_actions()]
        # An action with no rows yet (a link kept from last month) finds nothing, not an error.
        asked = (self.data.get("action") or "") if self.is_bound else ""
        if re.fullmatch(r"[a-z_]{1,40}", asked) and asked not in dict(choices):
            choices.append((asked, capfirst(selectors.action_label(asked))))
        self.fields["action"].choices = choices

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The last day comes before the first: swap them, or change one."))
        return data

    def filters(self) -> dict:
        """The filters that are valid; a bad field is left out (and shown with its error)."""
        data = getattr(self, "cleaned_data", {})
        return {name: data[name] for name in ("moderator", "member", "action", "since", "until")
                if data.get(name) and name not in self.errors}
