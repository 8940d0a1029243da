from django import template
from django.utils.translation import gettext, gettext_lazy as _

from ..selectors import action_label

register = template.Library()

CARE_LABELS = {
    "crisis_acknowledge": _("said they were on it"),
    "crisis_escalate": _("escalated by email"),
    "crisis_reopen": _("opened again"),
    "crisis_reached_out": _("outcome: we reached out"),
    "crisis_emergency_services": _("outcome: passed to emergency services"),
    "crisis_no_risk": _("outcome: no risk"),
}


@register.filter
def care_label(action: str) -> str:
    """A crisis log entry's action in words."""
    label = CARE_LABELS.get(action)
    return str(label) if label is not None else action.replace("crisis_", "").replace("_", " ")


@register.filter
def reasons_shown(reasons) -> list[str]:
    """An item's stored reasons in the reader's language. They are stored in English
    (the site's language) as they were written; one the catalog knows is translated, and
    one a moderator wrote (a watched word's name) is shown as written."""
    return [gettext(reason) for reason in reasons or []]


@register.filter
def log_label(action: str) -> str:
    """A log entry's action in words (moderation.selectors.ACTION_LABELS)."""
    return action_label(action)


@register.filter
def sourcing_hold(post):
    """Why a member's own held post reads as sourcing (moderation.sourcing.Finding, with
    the rule's name and explanation), or None. The same reading screening gave it, so the
    author sees the explanation the moderators' item records. Only for pending posts."""
    if post is None or getattr(post, "status", None) != "pending":
        return None
    from safety import text as safety_text

    from .. import sourcing

    title = post.thread.title if post.is_opening else ""
    return sourcing.check_visible(safety_text.post_text(title=title, body_html=post.body_html))
