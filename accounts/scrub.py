"""Replacing a deleted member's name and email in free text other people wrote."""

import re

from django.db.models import Q

from .models import FORMER_MEMBER_NAME


def identifying_strings(member) -> list[str]:
    from allauth.account.models import EmailAddress

    emails = set(EmailAddress.objects.filter(user=member).values_list("email", flat=True))
    candidates = {member.username, member.email, *emails, f"{member.first_name} {member.last_name}".strip()}
    return sorted((value for value in candidates if value and len(value) >= 3), key=len, reverse=True)


def scrub_names(model, fields: list[str], names: list[str]) -> None:
    """In these text fields of every row that mentions them, the names become "former member"."""
    scrub_text(model, fields, names, FORMER_MEMBER_NAME)


def scrub_text(model, fields: list[str], needles: list[str], replacement: str) -> None:
    """In these text fields of every row that holds one of the needles (in any case), each
    needle becomes the replacement."""
    needles = [needle for needle in needles if needle]
    if not needles:
        return
    pattern = re.compile("|".join(re.escape(needle) for needle in needles), re.IGNORECASE)
    mentions = Q()
    for field in fields:
        for needle in needles:
            mentions |= Q(**{f"{field}__icontains": needle})
    for row in model.objects.filter(mentions):
        for field in fields:
            setattr(row, field, pattern.sub(replacement, getattr(row, field)))
        row.save(update_fields=fields)
