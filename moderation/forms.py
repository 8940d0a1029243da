from datetime import timedelta

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from forum.forms import BodyField, ContentWarningField
from forum.models import Category

from .models import OnCallShift, Report, ReviewItem
from .oncall import time_zone_names


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The member is told this reason. Write it kindly and plainly."),
    )


class RequiredReasonForm(ReasonForm):
    reason = forms.CharField(
        label=_("Reason (required)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The member is told this reason. Write it kindly and plainly."),
        error_messages={"required": _("Please give a reason: the member is told it.")},
    )


class NoteForm(forms.Form):
    reason = forms.CharField(
        label=_("Note for the log (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only moderators see this."),
    )


class ReviseForm(RequiredReasonForm):
    # The member's own words: never machine-translated.
    body = BodyField(label=_("The post's text"), widget=forms.Textarea(attrs={"rows": 10, "translate": "no"}))

    field_order = ["body", "reason"]


class WarningForm(ReasonForm):
    content_warning = ContentWarningField(
        label=_("Content warning"),
        help_text=_("Readers choose when to open a post with a warning. “No warning” takes it off."),
    )

    field_order = ["content_warning", "reason"]


class RetitleForm(ReasonForm):
    title = forms.CharField(
        label=_("New title"), max_length=settings.FORUM_TITLE_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "off", "size": 60}),
    )

    field_order = ["title", "reason"]


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, category):
        return category.display_name  # in the moderator's language


class MoveForm(NoteForm):
    # Category names come from the database, in the reader's language (display_name).
    category = CategoryChoiceField(queryset=Category.objects.all(), label=_("Move to"), empty_label=None,
                                   widget=forms.Select(attrs={"data-localized": True}))

    field_order = ["category", "reason"]


LENGTH_UNITS = {
    "hours": (timedelta(hours=1), pgettext_lazy("length of a sanction", "hours")),
    "days": (timedelta(days=1), pgettext_lazy("length of a sanction", "days")),
    "weeks": (timedelta(weeks=1), pgettext_lazy("length of a sanction", "weeks")),
}


class SuspendForm(RequiredReasonForm):
    """A sanction for a length the moderator chooses: a number of hours, days or weeks."""

    amount = forms.IntegerField(
        label=_("For how long"), min_value=1, max_value=999, initial=3,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "size": 4}),
        error_messages={"required": _("Choose how long it lasts.")},
    )
    unit = forms.ChoiceField(
        label=_("Unit"), choices=[(key, label) for key, (_step, label) in LENGTH_UNITS.items()], initial="days"
    )

    field_order = ["amount", "unit", "reason"]

    @property
    def duration(self) -> timedelta | None:
        amount = self.cleaned_data.get("amount")
        if not amount:
            return None
        return LENGTH_UNITS[self.cleaned_data.get("unit") or "days"][0] * amount


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong?"),
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose the reason closest to what you saw.")},
    )
    note = forms.CharField(
        label=_("Anything the moderators should know? (needed for “Something else”)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OutcomeForm(NoteForm):
    outcome = forms.ChoiceField(
        label=_("How did it end?"),
        choices=ReviewItem.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how it ended.")},
    )
    reason = forms.CharField(
        label=_("Note for the team (needed for emergency services)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you did and what happens next. Only moderators and peer supporters see this; "
        "it is never listed with warnings or suspensions."),
    )

    field_order = ["outcome", "reason"]


class ShiftForm(forms.Form):
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days"), choices=OnCallShift.Weekday.choices, coerce=int, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one day.")},
    )
    starts = forms.TimeField(
        label=pgettext_lazy("start of an on-call shift", "From"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    ends = forms.TimeField(
        label=pgettext_lazy("end of an on-call shift", "Until"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("An end earlier than the start runs past midnight into the next day."),
    )
    # IANA names (America/Toronto) are identifiers, the same in every language.
    time_zone = forms.ChoiceField(label=_("Your time zone"), choices=[], widget=forms.Select(attrs={"translate": "no"}))

    field_order = ["weekdays", "starts", "ends", "time_zone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [(name, name) for name in time_zone_names()]


class ConfirmForm(forms.Form):
    """Nothing to write: claiming and releasing are bookkeeping, not logged."""


class HandOverForm(forms.Form):
    to = forms.ModelChoiceField(
        queryset=ReviewItem.objects.none(), label=_("Hand it to"), empty_label=None,
        widget=forms.Select(attrs={"translate": "no"}),  # usernames
        error_messages={"required": _("Choose who takes it over.")},
    )

    def __init__(self, *args, item=None, **kwargs):
        from accounts import roles

        super().__init__(*args, **kwargs)
        team = roles.crisis_responders() if item is not None and item.is_crisis else roles.moderators()
        self.fields["to"].queryset = team.order_by("username")
        self.fields["to"].label_from_instance = lambda member: member.username


class BulkForm(forms.Form):
    """Several queue items at once, with one reason for all of them."""

    ACTIONS = [("approve", _("Approve")), ("hide", _("Hide"))]

    items = forms.ModelMultipleChoiceField(
        queryset=ReviewItem.objects.filter(status=ReviewItem.Status.OPEN).exclude(kind=ReviewItem.Kind.CRISIS),
        error_messages={"required": _("Tick the items first."),
                        "invalid_choice": _("One of those items was closed in the meantime; nothing was done.")},
    )
    action = forms.ChoiceField(choices=ACTIONS)
    reason = forms.CharField(
        label=_("Reason, for every item ticked"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Each author is told this reason. Needed to hide."),
    )

    def clean(self):
        data = super().clean()
        if data.get("action") == "hide" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Please give a reason: each author is told it when you hide their post."))
        return data
