from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext

from .safety_plan import STEPS
from .services import STEP_MAX_LENGTH


class SafetyPlanForm(forms.Form):
    """One box a step, one item a line; every step may stay empty."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for step in STEPS:
            self.fields[step.field] = forms.CharField(
                label=step.heading,
                help_text=gettext("%(prompt)s One a line.") % {"prompt": step.prompt},
                required=False,
                strip=False,
                # Our service's message is the kinder one, so no browser maxlength here.
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def clean(self):
        cleaned = super().clean()
        for step in STEPS:
            value = cleaned.get(step.field) or ""
            if len(value.strip()) > STEP_MAX_LENGTH:
                self.add_error(
                    step.field,
                    gettext("Please keep each step under %(limit)s characters.")
                    % {"limit": number_format(STEP_MAX_LENGTH, force_grouping=True)},
                )
        return cleaned
