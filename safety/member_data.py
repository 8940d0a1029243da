"""What the safety app keeps about a member: their own safety plan. See
accounts/data_rights.py."""

from accounts.data_rights import iso

from .models import SafetyPlan
from .safety_plan import STEPS

MODELS = ["safety.SafetyPlan"]


def export(member) -> dict:
    plan = SafetyPlan.objects.filter(member=member).first()
    if plan is None:
        return {"safety_plan": None}
    return {
        "safety_plan": {
            "created_at": iso(plan.created_at),
            "updated_at": iso(plan.updated_at),
            "steps": [{"step": step.heading, "text": getattr(plan, step.field)} for step in STEPS],
        }
    }


def erase(member, *, remove_posts: bool, names: list[str]) -> None:
    SafetyPlan.objects.filter(member=member).delete()
