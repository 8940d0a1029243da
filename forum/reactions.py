"""Supportive reactions: "Sending support", "Me too", "This helped". No downvotes.

A member gives each kind at most once per post and takes it back by choosing it again.
The post keeps a count per kind (changed with F() in the same transaction), so a thread
page shows counts without a query; the viewer's own reactions to a page take one query
(forum.selectors.my_reactions). Readers only ever learn counts, never who reacted;
the author learns how many people sent support (forum.notifications.support_received).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext

from accounts.models import User

from . import content, notifications, page_cache, permissions, ratelimits, realtime
from .models import REACTION_COUNT_FIELDS as COUNT_FIELDS
from .models import Post, Reaction, Visibility


def reaction_toggle(*, member: User, post: Post, kind: str) -> bool:
    """Give the reaction, or take it back if already given. Returns whether it is now
    given. Suspended members, the post's author and readers who cannot see it may not;
    a member past the reaction limit gets ratelimits.RateLimited."""
    if kind not in COUNT_FIELDS:
        raise ValidationError({"kind": [gettext("Choose Sending support, Me too or This helped.")]})
    ensure_may_react(member, post)
    ratelimits.check(
        action="react", member_id=member.pk,
        message=gettext("You're reacting faster than we can keep up with. Please wait a moment and try again."),
    )
    field = COUNT_FIELDS[kind]
    with transaction.atomic():
        # Lock (thread, then post, as every writer does) so two toggles cannot both count,
        # and a moderator hiding the post meanwhile waits rather than deadlocks.
        post = content.lock_post(post)
        if post.status != Visibility.PUBLISHED:
            raise PermissionDenied(gettext("This post is no longer shown, so it takes no reactions."))
        deleted, _ = Reaction.objects.filter(member=member, post=post, kind=kind).delete()
        if deleted:
            Post.objects.filter(pk=post.pk).update(**{field: F(field) - 1})
        else:
            Reaction.objects.create(member=member, post=post, kind=kind)
            Post.objects.filter(pk=post.pk).update(**{field: F(field) + 1})
        page_cache.thread_changed(post.thread)
        realtime.reaction_updated(post)
        notifications.support_received(post)  # the author's "N people sent support"
    return not deleted


def counts(post: Post) -> dict[str, int]:
    return {kind: getattr(post, field) for kind, field in COUNT_FIELDS.items()}


def given_by(member: User, post: Post) -> set[str]:
    return set(Reaction.objects.filter(member=member, post=post).values_list("kind", flat=True))


def ensure_may_react(member, post) -> None:
    """PermissionDenied, with the reason in the member's words, unless they may react."""
    if not permissions.can_react(member, post):
        raise PermissionDenied(_refusal(member, post))


def _refusal(member, post) -> str:
    if permissions.is_suspended(member):
        return gettext("Your posting is paused for now, and reactions are paused with it. You can still read.")
    if getattr(member, "is_authenticated", False) and post.author_id == member.pk:
        return gettext("You can't react to your own post.")
    return gettext("You can react once you are signed in with a confirmed email address.")
