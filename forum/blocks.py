"""Blocking another member.

When a member blocks someone:
- the blocked member's posts are folded away for them (one click shows a post anyway);
- nothing the blocked member does reaches them: no notifications of replies, mentions or
  reactions (forum.notifications leaves them out);
- the blocked member cannot reply directly to their posts (forum.services.post_create
  refuses, and the Viewer gives no Reply link under them).

Blocks are private: the blocked member is never told, and nobody else can see them. A
member cannot block themselves; moderators' messages still arrive, since they come from
the moderators and not from a member's post.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from accounts.models import User

from .models import Block


def member_block(*, member: User, blocked: User) -> Block:
    """Idempotent: blocking twice keeps the one block."""
    if not getattr(member, "is_authenticated", False) or not member.is_active:
        raise PermissionDenied(gettext("Log in to block a member."))
    if blocked.pk == member.pk:
        raise ValidationError(gettext("You can't block yourself."))
    if blocked.is_former:
        raise ValidationError(gettext("That account has been deleted."))
    try:
        with transaction.atomic():
            block, _ = Block.objects.get_or_create(member=member, blocked=blocked)
    except IntegrityError:  # the same block from another tab at the same moment
        block = Block.objects.get(member=member, blocked=blocked)
    return block


def member_unblock(*, member: User, blocked: User) -> bool:
    deleted, _ = Block.objects.filter(member=member, blocked=blocked).delete()
    return bool(deleted)


def has_blocked(member_id: int | None, other_id: int | None) -> bool:
    """Whether `member_id` blocked `other_id`."""
    if not member_id or not other_id:
        return False
    return Block.objects.filter(member_id=member_id, blocked_id=other_id).exists()


def blocked_members(member) -> list[User]:
    return [block.blocked for block in Block.objects.filter(member=member).select_related("blocked").order_by("pk")]


def blockers_among(member_ids, *, of: int | None) -> set[int]:
    """Which of these members blocked the member `of` (one query)."""
    if not of:
        return set()
    return set(Block.objects.filter(blocked_id=of, member_id__in=list(member_ids)).values_list("member_id", flat=True))
