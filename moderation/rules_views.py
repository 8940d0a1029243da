"""The moderators' rules pages, under /moderation/rules/: watched words (with a test box),
crisis lines (each with its source) and category notices. Moderators signed in with two
factors only (the Viewer); every change goes through moderation.services.rules, which
logs it. Nothing here needs the admin."""

import re
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from forum.forms import add_service_errors
from forum.models import Category
from safety import crisis
from safety import text as safety_text
from safety.models import CrisisResource

from . import rules_forms, screening
from .models import WatchedWord
from .permissions import moderator_required
from .rules import PHRASE, compile_rule
from .services import rules as rule_services

# --- The test box ---------------------------------------------------------------------------

BLOCKED, HELD, FLAGGED, PUBLISHED = "blocked", "held", "flagged", "published"


@dataclass
class Trial:
    """What posting the sample would do, by the rules in use (moderation.screening), and
    whether the rule being edited matches it (in use or not)."""

    verdict: str = PUBLISHED
    matches: list = field(default_factory=list)
    method_details: bool = False
    crisis_level: str = "none"
    crisis_reasons: tuple = ()
    this_rule: bool | None = None


def rule_trial(sample: str, rule: WatchedWord | None = None) -> Trial:
    matches = screening.watched_word_matches(sample)
    actions = {match.action for match in matches}
    visible = safety_text.post_text(body=sample)
    assessment = crisis.assess_visible(visible)
    trial = Trial(matches=matches, method_details=crisis.method_details_visible(visible),
                  crisis_level=assessment.level, crisis_reasons=tuple(assessment.reasons))
    if WatchedWord.Action.BLOCK in actions:
        trial.verdict = BLOCKED
    elif WatchedWord.Action.HOLD in actions or trial.method_details:
        trial.verdict = HELD
    elif WatchedWord.Action.FLAG in actions:
        trial.verdict = FLAGGED
    if rule is not None and rule.pattern:
        trial.this_rule = _matches(rule, safety_text.visible_text(sample, links=True))
    return trial


def _matches(rule: WatchedWord, visible: str) -> bool:
    """One rule against the text, read as moderation.screening reads it."""
    fold = safety_text.fold if rule.match_type == PHRASE else safety_text.fold_pattern
    try:
        return bool(compile_rule(rule.match_type, fold(rule.pattern)).search(safety_text.fold(visible)))
    except (re.error, ValueError):
        return False


# --- Watched words --------------------------------------------------------------------------


@moderator_required
@require_http_methods(["GET", "POST"])
def watched_words(request):
    """Every rule, and the test box (a POST that writes nothing: sample text stays out of URLs and logs)."""
    trial_form = rules_forms.RuleTrialForm(request.POST or None)
    trial = None
    if request.method == "POST" and trial_form.is_valid():
        trial = rule_trial(trial_form.cleaned_data["sample"])
    context = {"rules": WatchedWord.objects.all(), "trial_form": trial_form, "trial": trial, "current": "words"}
    return render(request, "moderation/rules/watched_words.html", context,
                  status=400 if trial_form.errors else 200)


@moderator_required
@require_http_methods(["GET", "POST"])
def watched_word_edit(request, pk=None):
    rule = get_object_or_404(WatchedWord, pk=pk) if pk else None
    # One form: the rule's fields and a sample to try them on. "Try" saves nothing and
    # tries the rule as written in the form, so a moderator can test before saving.
    trying = "try" in request.POST
    form = rules_forms.WatchedWordForm(request.POST or None, instance=rule)
    trial_form = (rules_forms.RuleTrialForm(request.POST) if trying
                  else rules_forms.RuleTrialForm(initial={"sample": request.POST.get("sample", "")}))
    trial = None
    if trying:
        if trial_form.is_valid():
            as_written = form.instance if form.is_valid() else rule
            trial = rule_trial(trial_form.cleaned_data["sample"], as_written)
    elif request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if rule is None:
                rule = rule_services.watched_word_create(actor=request.user, **values)
                messages.success(request, _("Rule added. It applies to every post from now on."))
            else:
                rule_services.watched_word_update(actor=request.user, rule=rule, **values)
                messages.success(request, _("Rule saved."))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("moderation:watched_word", rule.pk)
    context = {"rule": rule, "form": form, "trial_form": trial_form, "trial": trial, "current": "words"}
    status = 400 if form.errors or trial_form.errors else 200
    return render(request, "moderation/rules/watched_word_form.html", context, status=status)


@moderator_required
@require_POST
def watched_word_enabled(request, pk):
    rule = get_object_or_404(WatchedWord, pk=pk)
    enabled = request.POST.get("enabled") == "1"
    rule_services.watched_word_enabled_set(actor=request.user, rule=rule, enabled=enabled)
    messages.success(request, _("“%(name)s” is in use again.") % {"name": rule.name} if enabled
                     else _("“%(name)s” is turned off: posts no longer match it.") % {"name": rule.name})
    return redirect("moderation:watched_words")


# --- Crisis lines ---------------------------------------------------------------------------


@moderator_required
def crisis_lines(request):
    lines = CrisisResource.objects.order_by("region", "position", "name")
    return render(request, "moderation/rules/crisis_lines.html", {"lines": lines, "current": "lines"})


@moderator_required
@require_http_methods(["GET", "POST"])
def crisis_line_edit(request, pk=None):
    line = get_object_or_404(CrisisResource, pk=pk) if pk else None
    form = rules_forms.CrisisLineForm(request.POST or None, instance=line)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if line is None:
                rule_services.crisis_line_create(actor=request.user, **values)
                messages.success(request, _("Line added. Every page shows it from now on."))
            else:
                rule_services.crisis_line_update(actor=request.user, line=line, **values)
                messages.success(request, _("Line saved. Every page shows the change from now on."))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("moderation:crisis_lines")
    context = {"line": line, "form": form, "current": "lines"}
    return render(request, "moderation/rules/crisis_line_form.html", context, status=400 if form.errors else 200)


@moderator_required
@require_http_methods(["GET", "POST"])
def crisis_line_delete(request, pk):
    line = get_object_or_404(CrisisResource, pk=pk)
    form = rules_forms.CrisisLineDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rule_services.crisis_line_delete(actor=request.user, line=line, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("“%(name)s” is taken off every page.") % {"name": line.name})
            return redirect("moderation:crisis_lines")
    context = {"line": line, "form": form, "current": "lines"}
    return render(request, "moderation/rules/crisis_line_delete.html", context, status=400 if form.errors else 200)


# --- Category notices -----------------------------------------------------------------------


@moderator_required
def category_notices(request):
    return render(request, "moderation/rules/category_notices.html",
                  {"categories": Category.objects.all(), "current": "notices"})


@moderator_required
@require_http_methods(["GET", "POST"])
def category_notice_edit(request, pk):
    category = get_object_or_404(Category, pk=pk)
    form = rules_forms.CategoryNoticeForm(request.POST or None, initial={"notice": category.safety_notice,
                                                                          "notice_fr": category.safety_notice_fr})
    if request.method == "POST" and form.is_valid():
        try:
            rule_services.category_notice_set(actor=request.user, category=category,
                                              notice=form.cleaned_data["notice"],
                                              notice_fr=form.cleaned_data["notice_fr"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Notice saved. It shows above the category and each of its threads."))
            return redirect("moderation:category_notices")
    context = {"category": category, "form": form, "current": "notices"}
    return render(request, "moderation/rules/category_notice_form.html", context,
                  status=400 if form.errors else 200)
