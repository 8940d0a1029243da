"""Writes to a member's own account: guideline acceptance, reading settings, and
deleting the account."""

import re
import uuid

from allauth.account.models import EmailAddress
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.contrib.auth import SESSION_KEY
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from forum import page_cache
from forum import services as forum_services
from forum.models import CategoryWatch, Notification, Post, PostRevision, Thread, ThreadFollow, Visibility
from moderation.models import LogEntry, Notice, Report, Suspension

from .models import FORMER_MEMBER_NAME, User


def guidelines_accept(*, member: User) -> User:
    """Record when the member accepted the community guidelines (at signup)."""
    member.guidelines_accepted_at = timezone.now()
    member.save(update_fields=["guidelines_accepted_at"])
    return member


def member_settings_update(
    *,
    member: User,
    region: str | None = None,
    always_expand_warnings: bool | None = None,
    hidden_warnings: list[str] | None = None,
    notification_email: str | None = None,
    email_post_text: bool | None = None,
) -> User:
    """Change the given settings and leave the others as they are."""
    given = {
        "region": region,
        "always_expand_warnings": always_expand_warnings,
        "hidden_warnings": sorted(set(hidden_warnings)) if hidden_warnings is not None else None,
        "notification_email": notification_email,
        "email_post_text": email_post_text,
    }
    changed = [name for name, value in given.items() if value is not None]
    for name in changed:
        setattr(member, name, given[name])
    if changed:
        member.save(update_fields=changed)
    return member


# --- Deleting an account ---------------------------------------------------------------
#
# The member's row stays, so their posts keep their place and show "former member";
# everything that could identify them is erased. What happens where:
#
# - User: username becomes a neutral placeholder ("former-<random>"), email, first and
#   last name, region, guidelines date and reading settings are cleared, the password is
#   made unusable, is_active and every staff flag, group and permission are removed.
# - allauth: EmailAddress rows (and their confirmations) are deleted. The forum stores no
#   IP addresses in the database (allauth's usersessions app is not installed; its rate
#   limits keep IPs only in the cache, for minutes).
# - Sessions: every session of the member, found by decoding the stored session data.
# - Posts: kept and shown as "former member", or, when the member asks, removed through
#   forum.services.post_delete (replies keep their place) and their text erased: body,
#   HTML, content warning and every earlier revision. Titles of the threads they started
#   are replaced too.
# - Moderation: notices to the member are deleted; the notes of their reports are erased
#   (the reports themselves still count); their name is replaced by "former member" in
#   the free text of the moderation log, suspensions, notices to others and revision
#   reasons. LogEntry.actor_name keeps a MODERATOR's name by design (CONVENTIONS.md: the
#   log copies the actor's name so history survives account deletion); a member who is
#   not a moderator never appears there as an actor.
# - Following: the member's notifications, thread follows (with read positions) and
#   category watches are deleted. Reactions stay, so counts stay true: only counts are
#   ever shown, and the row now points at an anonymous account. Notifications others
#   got about the member's replies show "former member" (they hold no copied name).
# - Other members' posts that mention the member by name are theirs and are not edited;
#   nor are thread titles copied into other members' moderation notices.


def member_delete(*, member: User, remove_posts: bool) -> User:
    """Erase the member's personal data; with remove_posts, their posts' text too.
    Calling it again for a former member changes nothing."""
    with transaction.atomic():
        member = User.objects.select_for_update().get(pk=member.pk)
        if member.is_former:
            return member
        names = _identifying_strings(member)
        if remove_posts:
            _member_posts_erase(member=member)
        _moderation_text_scrub(member=member, names=names)
        PostRevision.objects.filter(editor=member).update(editor_name=FORMER_MEMBER_NAME)
        EmailAddress.objects.filter(user=member).delete()
        _member_sessions_delete(member=member)
        Notification.objects.filter(recipient=member).delete()
        ThreadFollow.objects.filter(member=member).delete()
        CategoryWatch.objects.filter(member=member).delete()
        # Thread pages cache their fragments by Thread.version: show the new name at once.
        thread_ids = Post.objects.filter(author=member).values("thread_id")
        page_cache.threads_changed(thread_ids)

        member.username = f"former-{uuid.uuid4().hex[:16]}"
        member.email = ""
        member.first_name = ""
        member.last_name = ""
        member.set_unusable_password()
        member.region = ""
        member.guidelines_accepted_at = None
        member.always_expand_warnings = False
        member.hidden_warnings = []
        member.notification_email = User.EMAIL_OFF
        member.email_post_text = False
        member.last_login = None
        member.is_active = False
        member.is_staff = False
        member.is_superuser = False
        member.is_former = True
        member.save()
        member.groups.clear()
        member.user_permissions.clear()
    return member


def _identifying_strings(member: User) -> list[str]:
    emails = set(EmailAddress.objects.filter(user=member).values_list("email", flat=True))
    candidates = {member.username, member.email, *emails, f"{member.first_name} {member.last_name}".strip()}
    return sorted((value for value in candidates if value and len(value) >= 3), key=len, reverse=True)


def _member_posts_erase(*, member: User) -> None:
    """Every post of the member becomes a "removed by its author" placeholder with no
    text left anywhere: not in the post, not in its revisions."""
    for post in Post.objects.filter(author=member).exclude(status=Visibility.REMOVED).select_related("thread"):
        forum_services.post_delete(actor=member, post=post)
    posts = Post.objects.filter(author=member)
    PostRevision.objects.filter(post__in=posts).delete()
    posts.update(body="", body_html="", content_warning="", status=Visibility.REMOVED, changed_at=timezone.now())
    Thread.objects.filter(author=member).update(title="Title removed by its author", content_warning="")


def _moderation_text_scrub(*, member: User, names: list[str]) -> None:
    """Notices to the member go; their report notes are erased; their name and email
    give way to "former member" in the moderators' free text."""
    Notice.objects.filter(recipient=member).delete()
    Report.objects.filter(reporter=member).update(note="")
    AdminLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(member.pk)
    ).update(object_repr=FORMER_MEMBER_NAME)
    if not names:
        return
    pattern = re.compile("|".join(re.escape(name) for name in names), re.IGNORECASE)
    for model, fields in (
        (LogEntry, ["reason"]),
        (Suspension, ["reason"]),
        (Notice, ["reason", "message"]),
        (Report, ["note"]),
        (PostRevision, ["reason"]),
        (AdminLogEntry, ["object_repr", "change_message"]),
    ):
        mentions = Q()
        for field in fields:
            for name in names:
                mentions |= Q(**{f"{field}__icontains": name})
        for row in model.objects.filter(mentions):
            for field in fields:
                setattr(row, field, pattern.sub(FORMER_MEMBER_NAME, getattr(row, field)))
            row.save(update_fields=fields)


def _member_sessions_delete(*, member: User) -> None:
    """Django keeps the user id inside each session's encoded data: decode them all."""
    stale = [
        session.pk
        for session in Session.objects.iterator()
        if str(session.get_decoded().get(SESSION_KEY)) == str(member.pk)
    ]
    Session.objects.filter(pk__in=stale).delete()
