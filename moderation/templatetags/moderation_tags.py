from django import template

from ..selectors import action_label

register = template.Library()

CARE_LABELS = {
    "crisis_acknowledge": "said they were on it",
    "crisis_escalate": "escalated by email",
    "crisis_reopen": "opened again",
    "crisis_reached_out": "outcome: we reached out",
    "crisis_emergency_services": "outcome: passed to emergency services",
    "crisis_no_risk": "outcome: no risk",
}


@register.filter
def care_label(action: str) -> str:
    """A crisis log entry's action in words."""
    return CARE_LABELS.get(action, action.replace("crisis_", "").replace("_", " "))


@register.filter
def log_label(action: str) -> str:
    """A log entry's action in words (moderation.selectors.ACTION_LABELS)."""
    return action_label(action)
