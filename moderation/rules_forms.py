"""Forms for the moderators' rules pages (moderation/rules_views.py): watched words, the
test box, crisis lines and category notices. Labels and choices are translated here;
the models keep their English help for the admin and migrations."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from safety.models import CrisisResource

from .models import WatchedWord

WATCHED_WORD_ACTIONS = [
    (WatchedWord.Action.BLOCK, _("Block: refuse the post and explain why")),
    (WatchedWord.Action.HOLD, _("Hold: keep the post waiting for a moderator")),
    (WatchedWord.Action.FLAG, _("Flag: publish, and put it in the review queue")),
]
WATCHED_WORD_MATCH_TYPES = [
    (WatchedWord.MatchType.PHRASE, _("Word or phrase (whole words, any case)")),
    (WatchedWord.MatchType.REGEX, _("Regular expression (any case)")),
]



class ModeratorText:
    """What moderators write here (names, patterns, sources, notices) is shown as written:
    its boxes say translate="no", so neither a page translator nor the pseudo-locale test
    takes it for interface text."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, (forms.TextInput, forms.Textarea, forms.URLInput)):
                field.widget.attrs.setdefault("translate", "no")

class WatchedWordForm(ModeratorText, forms.ModelForm):
    action = forms.ChoiceField(label=pgettext_lazy("watched word", "What happens"),
                               choices=WATCHED_WORD_ACTIONS, widget=forms.RadioSelect)
    match_type = forms.ChoiceField(label=_("How it matches"), choices=WATCHED_WORD_MATCH_TYPES,
                                   widget=forms.RadioSelect)

    class Meta:
        model = WatchedWord
        fields = ["name", "pattern", "match_type", "action", "explanation", "enabled"]
        labels = {
            "name": _("Name"),
            "pattern": _("Word, phrase or pattern"),
            "explanation": _("Explanation for the member"),
            "enabled": _("In use"),
        }
        help_texts = {
            "name": _("Members see the name when their post is blocked or held."),
            "pattern": _("Posts are read as readers see them: case, accents and lookalike letters do not matter."),
            "explanation": _("One kind sentence on why this rule exists; the member reads it."),
            "enabled": _("Untick to stop using the rule without losing it."),
        }
        widgets = {
            "pattern": forms.Textarea(attrs={"rows": 2}),
            "explanation": forms.Textarea(attrs={"rows": 2}),
        }


class RuleTrialForm(ModeratorText, forms.Form):
    sample = forms.CharField(
        label=_("Sample text"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Nothing is posted or kept: you see what the rules would do with this text."),
        error_messages={"required": _("Write or paste some text to try.")},
    )


class CrisisLineForm(ModeratorText, forms.ModelForm):
    source = forms.CharField(
        label=_("Source"),
        max_length=200,
        help_text=_("Where this was checked, and when: the service's own site "
                    "(for example “988.ca, checked 2026-11”)."),
        error_messages={"required": _("Please say where this line was checked, and when.")},
    )
    chat_url = forms.URLField(label=_("Chat address"), required=False, assume_scheme="https")
    web_url = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = CrisisResource
        fields = [
            "region", "name", "name_fr", "description", "description_fr", "is_primary", "emergency_number",
            "call_number", "text_number", "text_keyword", "chat_url", "web_url", "hours", "languages",
            "position", "source",
        ]
        labels = {
            "region": _("Region"),
            "name": _("Name"),
            "name_fr": _("Name in French"),
            "description": _("Who it is for"),
            "description_fr": _("Who it is for, in French"),
            "is_primary": _("The region's main line"),
            "emergency_number": _("Emergency number"),
            "call_number": _("Number to call"),
            "text_number": _("Number to text"),
            "text_keyword": _("Word to text"),
            "chat_url": _("Chat address"),
            "web_url": _("Website"),
            "hours": _("Hours"),
            "languages": _("Languages it answers in"),
            "position": _("Position in the list"),
        }
        help_texts = {
            "region": _("A country code (CA, US, GB, IE, AU) or “international”."),
            "name_fr": _("The service's own French name, if it has one."),
            "is_primary": _("The banner names the main line in its short sentence."),
            "emergency_number": _("On the main line only: 911, 999, 000…"),
            "languages": _("Codes, separated by commas: “en,fr”. Leave blank when the service does not say."),
        }


class CrisisLineDeleteForm(ModeratorText, forms.Form):
    reason = forms.CharField(
        label=_("Why is it taken off?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the moderation log. For example: “replaced by 9-8-8 (988.ca)”."),
        error_messages={"required": _("Please say why this line is taken off.")},
    )


class CategoryNoticeForm(ModeratorText, forms.Form):
    notice = forms.CharField(
        label=_("Notice in English"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown, shown at the top of the category and of each of its threads. "
                    "Leave it empty for no notice."),
    )
    notice_fr = forms.CharField(
        label=_("Notice in French"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6, "lang": "fr"}),
        help_text=_("What French readers see instead. Left empty, they see the English notice."),
    )
