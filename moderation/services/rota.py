"""Crisis responders set the hours they cover (moderation.oncall reads them)."""

from datetime import time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from forum.permissions import is_crisis_responder

from ..models import OnCallShift
from ..oncall import time_zone_names

MAX_SHIFTS = 50


@transaction.atomic
def on_call_shift_add(*, member: User, weekdays: list[int], starts: time, ends: time, time_zone: str
                      ) -> list[OnCallShift]:
    """Add the same hours on each of the given weekdays. A shift already there is kept once."""
    if not is_crisis_responder(member):
        raise PermissionDenied(_("Only moderators and peer supporters take on-call hours."))
    errors = {}
    if time_zone not in time_zone_names():
        errors["time_zone"] = [_("Choose your time zone from the list.")]
    if not weekdays or any(day not in OnCallShift.Weekday.values for day in weekdays):
        errors["weekdays"] = [_("Choose at least one day.")]
    if starts == ends:
        errors["ends"] = [_("The shift needs to end at a different time from when it starts.")]
    if errors:
        raise ValidationError(errors)
    User.objects.select_for_update().filter(pk=member.pk).first()
    if OnCallShift.objects.filter(member=member).count() + len(weekdays) > MAX_SHIFTS:
        raise ValidationError(
            {"weekdays": [_("You can keep up to %(count)d shifts: remove some first.") % {"count": MAX_SHIFTS}]}
        )
    shifts = []
    for day in sorted(set(weekdays)):
        shift, _created = OnCallShift.objects.get_or_create(
            member=member, weekday=day, starts=starts, ends=ends, time_zone=time_zone
        )
        shifts.append(shift)
    return shifts


def on_call_shift_remove(*, member: User, shift_id: int) -> bool:
    return OnCallShift.objects.filter(member=member, pk=shift_id).delete()[0] > 0
