"""Moderators' changes to the forum's rules: watched words, crisis lines and category
notices. The moderators' pages (moderation/rules_views.py) and the admin both come here,
so every change is checked the same way and writes one row to the moderation log, with
what changed (old and new) as its reason.

Each function is idempotent: saving what is already there changes nothing and logs
nothing. Crisis lines clear their cache after the commit (safety.resources), and a
category notice makes its threads' cached pages stale (it shows above each thread).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from forum import page_cache
from forum.markup import render
from forum.models import Category, Thread
from safety import resources as crisis_resources
from safety.models import CrisisResource

from ..models import WatchedWord
from .log import log_write

WATCHED_WORD_FIELDS = ("name", "pattern", "match_type", "action", "explanation", "enabled")
CRISIS_LINE_FIELDS = (
    "region", "name", "name_fr", "description", "description_fr", "is_primary", "emergency_number",
    "call_number", "text_number", "text_keyword", "chat_url", "web_url", "hours", "languages",
    "position", "source",
)


def _changes(obj, fields, values: dict) -> dict:
    """{field: (old, new)} for the fields whose value differs."""
    return {name: (getattr(obj, name), values[name]) for name in fields
            if name in values and getattr(obj, name) != values[name]}


def _describe(changes: dict) -> str:
    return "; ".join(f"{name}: “{old}” → “{new}”" for name, (old, new) in changes.items())


# --- Watched words ------------------------------------------------------------------------


def _watched_word_checked(values: dict) -> dict:
    values = {name: values[name] for name in WATCHED_WORD_FIELDS if name in values}
    for name in ("name", "pattern", "explanation"):
        if name in values:
            values[name] = (values[name] or "").strip()
    return values


@transaction.atomic
def watched_word_create(*, actor: User, name: str, pattern: str, match_type: str, action: str,
                        explanation: str = "", enabled: bool = True) -> WatchedWord:
    values = _watched_word_checked(dict(name=name, pattern=pattern, match_type=match_type, action=action,
                                        explanation=explanation, enabled=enabled))
    rule = WatchedWord(**values)
    rule.full_clean()
    rule.save()
    log_write(actor=actor, action="watched_word_add", target=rule,
              reason=f"{rule.name} ({rule.action}, {rule.match_type}): {rule.pattern}")
    return rule


@transaction.atomic
def watched_word_update(*, actor: User, rule: WatchedWord, **values) -> WatchedWord:
    """Change any of the rule's fields (WATCHED_WORD_FIELDS)."""
    unknown = set(values) - set(WATCHED_WORD_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    rule = WatchedWord.objects.select_for_update().get(pk=rule.pk)
    changes = _changes(rule, WATCHED_WORD_FIELDS, _watched_word_checked(values))
    if not changes:
        return rule
    for name, (_old, new) in changes.items():
        setattr(rule, name, new)
    rule.full_clean()
    rule.save()
    if set(changes) == {"enabled"}:
        action = "watched_word_enable" if rule.enabled else "watched_word_disable"
        log_write(actor=actor, action=action, target=rule, reason=rule.name)
    else:
        log_write(actor=actor, action="watched_word_change", target=rule, reason=f"{rule.name}: {_describe(changes)}")
    return rule


def watched_word_enabled_set(*, actor: User, rule: WatchedWord, enabled: bool) -> WatchedWord:
    """Turn a rule off (posts stop matching it; it is kept, with its history) or on again."""
    return watched_word_update(actor=actor, rule=rule, enabled=enabled)


@transaction.atomic
def watched_word_delete(*, actor: User, rule: WatchedWord) -> None:
    """Only the admin deletes rules (staff); moderators turn them off, which keeps them."""
    log_write(actor=actor, action="watched_word_delete", target=rule, reason=f"{rule.name}: {rule.pattern}")
    rule.delete()


# --- Crisis lines -------------------------------------------------------------------------


def _crisis_line_checked(values: dict) -> dict:
    values = {name: values[name] for name in CRISIS_LINE_FIELDS if name in values}
    for name, value in list(values.items()):
        if isinstance(value, str):
            values[name] = value.strip()
    if "region" in values:
        region = values["region"]
        values["region"] = region.lower() if region.lower() == CrisisResource.INTERNATIONAL else region.upper()
    if "source" in values and not values["source"]:
        # docs/safety-reference.md: every line carries where it was checked, and when.
        raise ValidationError({"source": [_("Please say where this line was checked, and when "
                                            "(for example “988.ca, checked 2026-11”).")]})
    return values


def _main_line_checked(line: CrisisResource, *, was_main: bool) -> None:
    """A region's main line is the banner's sentence and carries the emergency number:
    it is never left without one, and a region keeps its main line."""
    if line.region == CrisisResource.INTERNATIONAL:
        return
    if line.is_primary and not line.emergency_number.strip():
        raise ValidationError({"emergency_number": [_(
            "The main line carries the region's emergency number (911, 999 or 112, 000…): please give it.")]})
    if was_main and not line.is_primary:
        raise ValidationError({"is_primary": [_(
            "Every region keeps a main line: make another line the main one, and this one stops being it.")]})


def _other_main_lines_end(line: CrisisResource) -> list[str]:
    """Only one main line per region: a new main line takes over. Returns their names."""
    others = CrisisResource.objects.select_for_update().filter(region=line.region, is_primary=True).exclude(pk=line.pk)
    names = [other.name for other in others]
    others.update(is_primary=False)
    return names


@transaction.atomic
def crisis_line_create(*, actor: User, **values) -> CrisisResource:
    values = _crisis_line_checked(values)
    if "source" not in values:
        raise ValidationError({"source": [_("Please say where this line was checked, and when.")]})
    line = CrisisResource(**values)
    line.full_clean()
    _main_line_checked(line, was_main=False)
    line.save()
    replaced = _other_main_lines_end(line) if line.is_primary else []
    log_write(actor=actor, action="crisis_line_add", target=line,
              reason=f"{line.region}: {line.name} (source: {line.source})"
              + (f"; now the main line instead of {', '.join(replaced)}" if replaced else ""))
    transaction.on_commit(crisis_resources.resources_changed)
    return line


@transaction.atomic
def crisis_line_update(*, actor: User, line: CrisisResource, **values) -> CrisisResource:
    unknown = set(values) - set(CRISIS_LINE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    line = CrisisResource.objects.select_for_update().get(pk=line.pk)
    changes = _changes(line, CRISIS_LINE_FIELDS, _crisis_line_checked(values))
    if not changes:
        return line
    if not values.get("source", line.source).strip():
        raise ValidationError({"source": [_("Please say where this line was checked, and when.")]})
    was_main = line.is_primary
    for name, (_old, new) in changes.items():
        setattr(line, name, new)
    line.full_clean()
    _main_line_checked(line, was_main=was_main)
    line.save()
    replaced = _other_main_lines_end(line) if line.is_primary and not was_main else []
    log_write(actor=actor, action="crisis_line_change", target=line,
              reason=f"{line.region}: {line.name}: {_describe(changes)}"
              + (f"; now the main line instead of {', '.join(replaced)}" if replaced else ""))
    transaction.on_commit(crisis_resources.resources_changed)
    return line


@transaction.atomic
def crisis_line_delete(*, actor: User, line: CrisisResource, reason: str) -> None:
    """Take a line that closed or was replaced off every page (say why: the log keeps it)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Please say why this line is taken off (for example, "
                                            "“replaced by 9-8-8”).")]})
    if line.is_primary and line.region != CrisisResource.INTERNATIONAL:
        raise ValidationError({"reason": [_(
            "This is the region's main line: the banner names it and it carries the emergency number. "
            "Make another line the main one first; then this one can be taken off.")]})
    log_write(actor=actor, action="crisis_line_delete", target=line,
              reason=f"{line.region}: {line.name} ({line.call_number or line.text_number or line.web_url}): {reason}")
    line.delete()
    transaction.on_commit(crisis_resources.resources_changed)


# --- Category notices ---------------------------------------------------------------------


@transaction.atomic
def category_notice_set(*, actor: User, category: Category, notice: str, notice_fr: str | None = None) -> Category:
    """The notice shown at the top of the category and of each of its threads (Markdown,
    rendered and sanitized by forum.markup), in English and, for French readers, in
    French (`notice_fr`; None leaves the French notice as it is). A French reader gets
    the English notice while the French one is empty."""
    texts = {"safety_notice": (notice or "").strip()}
    if notice_fr is not None:
        texts["safety_notice_fr"] = notice_fr.strip()
    category = Category.objects.select_for_update().get(pk=category.pk)
    changes = {name: (getattr(category, name), text) for name, text in texts.items() if getattr(category, name) != text}
    if not changes:
        return category
    for name, (_old, text) in changes.items():
        setattr(category, name, text)
        setattr(category, f"{name}_html", render(text) if text else "")
    category.full_clean()
    category.save(update_fields=[*changes, *(f"{name}_html" for name in changes)])
    # The notice sits inside each thread's cached reply tree (forum/page_cache.py).
    page_cache.threads_changed(Thread.objects.filter(category=category).values("pk"))
    log_write(actor=actor, action="category_notice_change", target=category,
              reason=f"{category.name}: {_describe(changes)}")
    return category
