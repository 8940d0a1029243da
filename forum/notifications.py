"""Notifications: the member's one inbox.

`post_published(post)` is called once a post becomes visible to everyone: by
forum.services when a post is published straight away, and by moderation's post_approve
when a held post is approved. Pending and hidden posts notify nobody. It notifies, once
per member and post, the first that applies:

- the author of the post replied to (a top-level reply answers the thread's author),
- members @mentioned in the text (not inside code or quotes; unknown names do nothing;
  at most FORUM_MENTIONS_PER_POST a post and FORUM_MENTIONS_PER_DAY an author a day),
- members watching the thread (a new reply) or the category (a new thread).

Never the author themselves, never a member who muted the thread, never a former or
deactivated member. `moderators_message(...)` files a message from the moderators
(moderation outcomes, with their reason) in the same inbox.

The inbox and the header count leave out notifications whose post or thread is no longer
visible (hidden, removed), so nothing reaches a member they could not read.

Emails are off by default; a member may ask for one per notification (sent after the
commit) or a daily digest (`manage.py send_digests`). A post from a sensitive category is
emailed as its subject and a link only, unless the member asks for the text.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from accounts.models import User

from . import mentions, realtime, selectors
from .models import CategoryWatch, FollowLevel, Notification, Post, ThreadFollow, Visibility

logger = logging.getLogger(__name__)
Kind = Notification.Kind
EMAIL_EXCERPT_LENGTH = 1200


# --- Creating notifications ----------------------------------------------------------------


def post_published(post: Post) -> list[Notification]:
    """Notify whoever should hear about a post that just became visible. Idempotent:
    a post notifies at most once. Call inside the transaction that published it."""
    post = Post.objects.select_related("thread", "thread__category", "author", "parent").get(pk=post.pk)
    thread = post.thread
    if post.status != Visibility.PUBLISHED or thread.status != Visibility.PUBLISHED:
        return []
    if Notification.objects.filter(post=post).exclude(kind__in=[Kind.MODERATION, Kind.SAFE_FOR_NOW]).exists():
        return []

    wanted: dict[int, str] = {}  # member id -> kind; the first reason found wins

    def add(member_ids, kind):
        for member_id in member_ids:
            if member_id is not None:
                wanted.setdefault(member_id, kind)

    if post.is_opening:
        add(_mentioned_ids(post, already=wanted), Kind.MENTION)
        watchers = CategoryWatch.objects.filter(category_id=thread.category_id)
        add(watchers.values_list("member_id", flat=True), Kind.NEW_THREAD)
    else:
        answered = post.parent.author_id if post.parent_id else thread.author_id
        if post.parent_id and post.parent.status != Visibility.PUBLISHED:
            answered = None  # a hidden or removed post's author is not told of replies to it
        add([answered], Kind.REPLY)
        add(_mentioned_ids(post, already=wanted), Kind.MENTION)
        watchers = ThreadFollow.objects.filter(thread=thread, level=FollowLevel.WATCHING)
        add(watchers.values_list("member_id", flat=True), Kind.WATCHED)

    wanted.pop(post.author_id, None)
    if not wanted:
        return []
    muted = set(
        ThreadFollow.objects.filter(thread=thread, level=FollowLevel.MUTED, member_id__in=wanted).values_list(
            "member_id", flat=True
        )
    )
    recipients = User.objects.filter(pk__in=set(wanted) - muted, is_active=True, is_former=False)
    notifications = [
        Notification(
            recipient=member,
            kind=wanted[member.pk],
            actor_id=post.author_id,
            thread=thread,
            post=post,
            emailed_at=None if member.notification_email != User.EMAIL_OFF else timezone.now(),
        )
        for member in recipients
    ]
    created = Notification.objects.bulk_create(notifications)
    _after_commit(created)
    return created


def author_safe_for_now(post: Post) -> list[Notification]:
    """The author of a crisis-flagged post says they are safe for now: tell the members
    who replied to it (a published reply) or reacted to it. Once per post; never the
    author, never a member who muted the thread, never a former or deactivated member."""
    if Notification.objects.filter(post=post, kind=Kind.SAFE_FOR_NOW).exists():
        return []
    replies = Post.objects.filter(thread_id=post.thread_id, status=Visibility.PUBLISHED, is_opening=False)
    replies = replies.filter(parent__isnull=True) if post.is_opening else replies.filter(parent=post)
    wanted = set(replies.values_list("author_id", flat=True))
    wanted |= set(post.reactions.values_list("member_id", flat=True))
    wanted -= {None, post.author_id}
    muted = ThreadFollow.objects.filter(thread_id=post.thread_id, level=FollowLevel.MUTED, member_id__in=wanted)
    wanted -= set(muted.values_list("member_id", flat=True))
    recipients = User.objects.filter(pk__in=wanted, is_active=True, is_former=False)
    created = Notification.objects.bulk_create(
        [
            Notification(
                recipient=member, kind=Kind.SAFE_FOR_NOW, actor_id=post.author_id, thread_id=post.thread_id, post=post,
                emailed_at=None if member.notification_email != User.EMAIL_OFF else timezone.now(),
            )
            for member in recipients
        ]
    )
    _after_commit(created)
    return created


def _mentioned_ids(post: Post, *, already) -> list[int]:
    """The members this post's mentions notify: the first FORUM_MENTIONS_PER_POST named
    (members told for another reason take no place), and no more than the author has left
    of FORUM_MENTIONS_PER_DAY, so one account cannot page a whole community."""
    known = dict(mentions.mentioned_members(post.body_html).values_list("username", "pk"))
    ids = [known[name] for name in mentions.mentioned_names_in_order(post.body_html) if name in known]
    ids = [pk for pk in ids if pk not in already and pk != post.author_id][: settings.FORUM_MENTIONS_PER_POST]
    if not ids:
        return []
    used_today = Notification.objects.filter(
        kind=Kind.MENTION, actor_id=post.author_id, created_at__gt=timezone.now() - timedelta(days=1)
    ).count()
    return ids[: max(0, settings.FORUM_MENTIONS_PER_DAY - used_today)]


def moderators_message(
    *, recipient: User, message: str, reason: str = "", post=None, thread=None
) -> Notification | None:
    """A message from the moderators (a moderation outcome and its reason) arrives in the
    member's inbox. Nothing for a former or deactivated member."""
    if recipient is None or recipient.is_former or not recipient.is_active:
        return None
    notification = Notification.objects.create(
        recipient=recipient,
        kind=Kind.MODERATION,
        message=message,
        reason=reason,
        thread=thread,
        post=post,
        emailed_at=None if recipient.notification_email != User.EMAIL_OFF else timezone.now(),
    )
    _after_commit([notification])
    return notification


def private_message(*, recipient: User, message: str, link: str) -> Notification | None:
    """A private message for the member (from the team, through an app above the forum):
    the inbox says that there is one, never what it says, and links to it. The app that
    sent it emails the member itself, so it is marked as emailed here."""
    if recipient is None or recipient.is_former or not recipient.is_active:
        return None
    notification = Notification.objects.create(
        recipient=recipient, kind=Kind.MESSAGE, message=message, link=link, emailed_at=timezone.now()
    )
    realtime.inbox_changed({recipient.pk})
    return notification


def _after_commit(notifications: list[Notification]) -> None:
    realtime.inbox_changed({n.recipient_id for n in notifications})
    each = [n.pk for n in notifications if n.recipient.notification_email == User.EMAIL_EACH]
    if each:
        transaction.on_commit(lambda: notification_emails_send(notification_ids=each), robust=True)


# --- Reading and marking read --------------------------------------------------------------


def visible_filter():
    """Notifications whose subject the recipient can still see (Notification.visible_q)."""
    return Notification.visible_q()


def inbox_for(user):
    return (
        Notification.objects.filter(visible_filter(), recipient=user)
        .select_related("actor", "thread", "post")
        .order_by("-created_at", "-pk")
    )


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return selectors.unread_counts([user.pk]).get(user.pk, 0)


def notification_open(*, member: User, notification_id: int) -> Notification | None:
    """Mark one notification read; returns it, or None."""
    notification = (
        Notification.objects.filter(pk=notification_id, recipient=member).select_related("post", "thread").first()
    )
    if notification is None:
        return None
    if notification.read_at is None:
        notifications_read(member=member, ids=[notification.pk])
        notification.read_at = timezone.now()
    return notification


def notifications_mark_read(*, member: User) -> int:
    """Mark everything in the member's inbox read."""
    with transaction.atomic():
        changed = Notification.objects.filter(recipient=member, read_at__isnull=True).update(read_at=timezone.now())
        if changed:
            realtime.inbox_changed({member.pk})
    return changed


def notifications_read(*, member: User, ids) -> None:
    """Mark these of the member's notifications read (another page showed them)."""
    ids = [pk for pk in ids if pk]
    if not ids:
        return
    with transaction.atomic():
        if Notification.objects.filter(recipient=member, pk__in=ids, read_at__isnull=True).update(
            read_at=timezone.now()
        ):
            realtime.inbox_changed({member.pk})


def target_url(notification: Notification) -> str:
    from django.urls import reverse

    if notification.link:
        return notification.link
    if notification.kind == Kind.MODERATION:
        return reverse("member_moderation:notices")
    if notification.post_id:
        return notification.post.get_absolute_url()
    if notification.thread_id:
        return notification.thread.get_absolute_url()
    return reverse("forum:inbox")


def describe(notification: Notification) -> str:
    """One plain line: who did what, where."""
    actor = notification.actor.public_name if notification.actor else "Someone"
    title = notification.thread.title if notification.thread_id else ""
    if notification.kind in (Kind.MODERATION, Kind.MESSAGE):
        return notification.message or "A note from the moderators."
    if notification.kind == Kind.REPLY:
        return f"{actor} replied to you in “{title}”"
    if notification.kind == Kind.MENTION:
        return f"{actor} mentioned you in “{title}”"
    if notification.kind == Kind.NEW_THREAD:
        return f"{actor} started a new thread: “{title}”"
    if notification.kind == Kind.SAFE_FOR_NOW:
        return f"{actor}, whom you answered in “{title}”, says they are safe for now"
    return f"{actor} replied in “{title}”, a thread you watch"


# --- Email ---------------------------------------------------------------------------------


def absolute_url(path: str) -> str:
    """A link for an email or an alert: SITE_URL (checked in production) and the path."""
    return getattr(settings, "SITE_URL", "").rstrip("/") + path


_absolute = absolute_url


def _email_block(notification: Notification) -> str:
    """A notification as plain email text: the line, the link, and the post's text only
    when its category is not sensitive or the member asked for the text."""
    lines = [describe(notification), _absolute(target_url(notification))]
    post = notification.post
    # A post from someone who may be at risk is never copied into an email.
    if notification.kind != Kind.MODERATION and post is not None and post.crisis_level == "none":
        sensitive = notification.thread.category.is_sensitive
        if not sensitive or notification.recipient.email_post_text:
            text = post.body if len(post.body) <= EMAIL_EXCERPT_LENGTH else post.body[:EMAIL_EXCERPT_LENGTH] + "…"
            lines.append("")
            lines.extend("> " + line for line in text.splitlines())
    elif notification.kind == Kind.MODERATION and notification.reason:
        lines.append(f"Reason: {notification.reason}")
    return "\n".join(lines)


EMAIL_FOOTER = (
    "\n\nYou are getting this because you asked for notification emails. You can turn them "
    "off in your settings: {settings_url}\n\n{site} is peer support, not a crisis service. If you need "
    "help now, the crisis lines are at {help_url}"
)


def _footer() -> str:
    from django.urls import reverse

    return EMAIL_FOOTER.format(
        settings_url=_absolute(reverse("accounts:settings")),
        site=settings.SITE_NAME,
        help_url=_absolute(reverse("safety:help")),
    )


def _emailable(queryset):
    return queryset.filter(visible_filter(), emailed_at__isnull=True, read_at__isnull=True).select_related(
        "recipient", "actor", "thread", "thread__category", "post"
    )


def notification_emails_send(*, notification_ids) -> int:
    """One email per notification, for members who chose that. Marks each as emailed."""
    sent = 0
    for notification in _emailable(Notification.objects.filter(pk__in=notification_ids)):
        member = notification.recipient
        if member.notification_email != User.EMAIL_EACH or not member.email:
            continue
        # One line whatever a title holds: a line break in a header would refuse the email.
        subject = " ".join(f"[{settings.SITE_NAME}] {describe(notification)}".split())
        try:
            send_mail(subject[:200], _email_block(notification) + _footer(), None, [member.email])
        except Exception:  # an unreachable mail server must not lose the notification
            logger.exception("Could not email notification %s", notification.pk)
            continue
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent


def digests_send() -> int:
    """Each member who chose the daily digest gets one email with their unread
    notifications not yet emailed. Returns how many emails went out."""
    pending = _emailable(
        Notification.objects.filter(recipient__notification_email=User.EMAIL_DAILY, recipient__is_active=True)
    ).order_by("recipient_id", "created_at", "pk")
    by_member: dict[int, list[Notification]] = {}
    for notification in pending:
        by_member.setdefault(notification.recipient_id, []).append(notification)
    sent = 0
    for notifications in by_member.values():
        member = notifications[0].recipient
        if not member.email:
            continue
        count = len(notifications)
        subject = f"[{settings.SITE_NAME}] {count} new notification{'s' if count != 1 else ''} for you"
        intro = f"Hello {member.username}, here is what happened since your last digest.\n\n"
        body = intro + "\n\n".join(_email_block(n) for n in notifications) + _footer()
        try:
            send_mail(subject, body, None, [member.email])
        except Exception:
            logger.exception("Could not send the digest to member %s", member.pk)
            continue
        Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(emailed_at=timezone.now())
        sent += 1
    return sent
