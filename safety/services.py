"""Writes in the safety app: a member's own safety plan."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext

from .models import SafetyPlan
from .safety_plan import FIELDS

STEP_MAX_LENGTH = 2000


def safety_plan_save(*, member, **steps: str) -> SafetyPlan:
    """Create or update the member's plan with the given steps (safety_plan.FIELDS);
    steps not given are left as they are."""
    unknown = set(steps) - set(FIELDS)
    if unknown:
        raise TypeError(f"Not steps of a safety plan: {', '.join(sorted(unknown))}")
    errors = {}
    cleaned = {}
    for field, value in steps.items():
        value = (value or "").replace("\r\n", "\n").strip()
        if "\x00" in value:
            errors[field] = [gettext("This contains an invisible character we can't keep. Please retype it.")]
        elif len(value) > STEP_MAX_LENGTH:
            errors[field] = [
                gettext("Please keep each step under %(limit)s characters (this has %(length)s).")
                % {
                    "limit": number_format(STEP_MAX_LENGTH, force_grouping=True),
                    "length": number_format(len(value), force_grouping=True),
                }
            ]
        cleaned[field] = value
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        plan, _ = SafetyPlan.objects.select_for_update().get_or_create(member=member)
        for field, value in cleaned.items():
            setattr(plan, field, value)
        plan.save()
    return plan


def safety_plan_delete(*, member) -> bool:
    """Delete the member's plan. Returns whether there was one."""
    deleted, _ = SafetyPlan.objects.filter(member=member).delete()
    return bool(deleted)
