from django import template
from django.utils.translation import gettext_lazy as _

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
