"""Notifications: the member's one inbox.

`post_published(post)` is called once a post becomes visible to everyone: by
forum.services when a post is published straight away, and by moderation's post_approve
when a held post is approved. Pending and hidden posts notify nobody. It notifies, once
per member and post, the first that applies:

- the author of the post replied to (a top-level reply answers the thread's author),
- members @mentioned in the text (not inside code or quotes; unknown names do nothing;
  at most FORUM_MENTIONS_PER_POST a post and FORUM_MENTIONS_PER_DAY an author a day),
- members watching the thread (a new reply) or the category (a new thread).

Never the author themselves, never a member who muted the thread or blocked the author
(forum/blocks.py), never a former or deactivated member. `moderators_message(...)` files a message from the moderators
(moderation outcomes, with their reason) in the same inbox.

The inbox and the header count leave out notifications whose post or thread is no longer
visible (hidden, removed), so nothing reaches a member they could not read.

`support_received(post)` gathers reactions to a post into one notification for its
author while it is unread ("3 people sent support"): counts only, never who; not from
members the author blocked; off when the member turns it off in their settings.

Emails are off by default; a member may ask for one per notification (sent after the
commit) or a daily digest (`manage.py send_digests`). Subjects are generic ("New reply in a
thread you follow"), with the site's name from settings.SITE_NAME, so nothing personal
shows on a lock screen. A post from a sensitive category is emailed as a link only (no
title, no text), unless the member asks for the text.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from . import mentions, realtime, selectors
from .models import Block, CategoryWatch, FollowLevel, Notification, Post, Reaction, ThreadFollow, Visibility
from .prepared import PreparedQuery

logger = logging.getLogger(__name__)
Kind = Notification.Kind
EMAIL_EXCERPT_LENGTH = 1200


# --- Creating notifications ----------------------------------------------------------------


# Read afresh from inside the writing transaction, by every reply: compiled once per process.
_PUBLISHED_POST = PreparedQuery(
    lambda post_id: Post.objects.select_related("thread", "thread__category", "author", "parent").filter(pk=post_id),
    post_id=-3_905_118_274,
)
# Whether the post notified anyone already (a post notifies once).
_NOTIFIED_OF = PreparedQuery(
    lambda post_id: Notification.objects.filter(post_id=post_id)
    .exclude(kind__in=[Kind.MODERATION, Kind.SAFE_FOR_NOW])
    .values("pk")[:1],
    post_id=-7_730_264_118,
)


def post_published(post: Post) -> list[Notification]:
    """Notify whoever should hear about a post that just became visible. Idempotent:
    a post notifies at most once. Call inside the transaction that published it."""
    post = _PUBLISHED_POST.instance(post_id=post.pk)
    thread = post.thread
    if post.status != Visibility.PUBLISHED or thread.status != Visibility.PUBLISHED:
        return []
    if _NOTIFIED_OF.first(post_id=post.pk) is not None:
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
    # Members who blocked the author hear nothing of what they write.
    blocking = set(
        Block.objects.filter(blocked_id=post.author_id, member_id__in=wanted).values_list("member_id", flat=True)
    )
    recipients = User.objects.filter(pk__in=set(wanted) - muted - blocking, is_active=True, is_former=False)
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
    # Names match in any case ("@river_stone" is River_Stone), as forum.mentions links them.
    members = mentions.mentioned_members(post.body_html).values_list("username", "pk")
    known = {name.casefold(): pk for name, pk in members}
    named = [name.casefold() for name in mentions.mentioned_names_in_order(post.body_html)]
    ids = list(dict.fromkeys(known[name] for name in named if name in known))
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


def support_received(post: Post) -> Notification | None:
    """Reactions to the post changed: keep its author's one unread "N people sent support"
    notification true. It counts the people (not the reactions) who reacted since the
    author last read such a notification for this post, leaving out the author and members
    they blocked; with nobody left it goes. Call inside the reaction's transaction."""
    author = post.author if post.author_id else None
    if author is None or author.is_former or not author.is_active or not author.notify_reactions:
        return None
    earlier = Notification.objects.filter(recipient=author, post=post, kind=Kind.SUPPORT)
    unread = earlier.filter(read_at__isnull=True).order_by("-pk").first()
    last_read = earlier.filter(read_at__isnull=False).order_by("-read_at").values_list("read_at", flat=True).first()
    reactions = Reaction.objects.filter(post=post).exclude(member=author)
    reactions = reactions.exclude(member__in=Block.objects.filter(member=author).values("blocked_id"))
    if last_read is not None:
        reactions = reactions.filter(created_at__gt=last_read)
    people = reactions.values("member_id").distinct().count()
    if unread is None and not people:
        return None
    if unread is not None and not people:
        unread.delete()
        realtime.inbox_changed({author.pk})
        return None
    if unread is not None and unread.count == people:
        return unread
    now = timezone.now()
    if unread is None:
        unread = Notification.objects.create(
            recipient=author,
            kind=Kind.SUPPORT,
            thread_id=post.thread_id,
            post=post,
            count=people,
            # Support waits in the inbox; only a daily digest carries it by email.
            emailed_at=None if author.notification_email == User.EMAIL_DAILY else now,
        )
    else:
        Notification.objects.filter(pk=unread.pk).update(count=people, created_at=now)
        unread.count, unread.created_at = people, now
    realtime.inbox_changed({author.pk})
    return unread


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
    """One plain line: who did what, where (in the active language: the reader's on a
    page, the recipient's in an email)."""
    actor = notification.actor.public_name if notification.actor else gettext("Someone")
    title = notification.thread.title if notification.thread_id else ""
    names = {"actor": actor, "title": title}
    if notification.kind in (Kind.MODERATION, Kind.MESSAGE):
        # A line the code stores in English (marked with gettext_noop, like modmail's
        # INBOX_LINE) reads in the reader's language; a moderator's own words stay as written.
        return gettext(notification.message) if notification.message else gettext("A note from the moderators.")
    if notification.kind == Kind.SUPPORT:
        return ngettext(
            "%(count)d person sent support for your post in “%(title)s”",
            "%(count)d people sent support for your post in “%(title)s”",
            notification.count,
        ) % {"count": notification.count, "title": title}
    if notification.kind == Kind.REPLY:
        return gettext("%(actor)s replied to you in “%(title)s”") % names
    if notification.kind == Kind.MENTION:
        return gettext("%(actor)s mentioned you in “%(title)s”") % names
    if notification.kind == Kind.NEW_THREAD:
        return gettext("%(actor)s started a new thread: “%(title)s”") % names
    if notification.kind == Kind.SAFE_FOR_NOW:
        return gettext("%(actor)s, whom you answered in “%(title)s”, says they are safe for now") % names
    return gettext("%(actor)s replied in “%(title)s”, a thread you watch") % names


def describe_privately(notification: Notification) -> str:
    """The same line without the thread's title, for emails about sensitive topics."""
    actor = notification.actor.public_name if notification.actor else gettext("Someone")
    if notification.kind == Kind.SUPPORT:
        return ngettext(
            "%(count)d person sent support for one of your posts.",
            "%(count)d people sent support for one of your posts.",
            notification.count,
        ) % {"count": notification.count}
    lines = {
        Kind.REPLY: gettext_noop("%(actor)s replied to one of your posts."),
        Kind.MENTION: gettext_noop("%(actor)s mentioned you in a post."),
        Kind.NEW_THREAD: gettext_noop("%(actor)s started a new thread in a category you watch."),
        Kind.WATCHED: gettext_noop("%(actor)s replied in a thread you follow."),
    }
    if notification.kind not in lines:
        return gettext("Something new for you.")
    return gettext(lines[notification.kind]) % {"actor": actor}


# --- Email ---------------------------------------------------------------------------------

# What an email's subject says, whatever the thread: a title can be personal ("I can't keep
# doing this") and subjects show on lock screens and in mailbox lists.
EMAIL_SUBJECTS = {
    Kind.REPLY: _("New reply to your post"),
    Kind.WATCHED: _("New reply in a thread you follow"),
    Kind.MENTION: _("Someone mentioned you"),
    Kind.NEW_THREAD: _("New thread in a category you watch"),
    Kind.MODERATION: _("A message from the moderators"),
    Kind.SUPPORT: _("People sent support"),
}


def email_subject(text: str) -> str:
    return gettext("%(site)s: %(subject)s") % {"site": settings.SITE_NAME, "subject": text}


def recipient_language(member) -> str:
    """The language an email or a notification to this member is written in: their
    setting, else the site's default (never the language of whoever caused it)."""
    return getattr(member, "language", "") or settings.LANGUAGE_CODE


def absolute_url(path: str) -> str:
    """A link for an email or an alert: SITE_URL (checked in production) and the path."""
    return getattr(settings, "SITE_URL", "").rstrip("/") + path


_absolute = absolute_url


def _email_block(notification: Notification) -> str:
    """A notification as plain email text: the line, the link, and the post's text only
    when its category is not sensitive or the member asked for the text."""
    post = notification.post
    private = (
        notification.kind != Kind.MODERATION
        and notification.thread_id is not None
        and notification.thread.category.is_sensitive
        and not notification.recipient.email_post_text
    )
    lines = [describe_privately(notification) if private else describe(notification),
             _absolute(target_url(notification))]
    # A post from someone who may be at risk is never copied into an email.
    copyable = post is not None and post.crisis_level == "none"
    if notification.kind not in (Kind.MODERATION, Kind.SUPPORT) and copyable:
        if not private:
            text = post.body if len(post.body) <= EMAIL_EXCERPT_LENGTH else post.body[:EMAIL_EXCERPT_LENGTH] + "…"
            lines.append("")
            lines.extend("> " + line for line in text.splitlines())
    elif notification.kind == Kind.MODERATION and notification.reason:
        lines.append(gettext("Reason: %(reason)s") % {"reason": notification.reason})
    return "\n".join(lines)


EMAIL_FOOTER = _(
    "You are getting this because you asked for notification emails. You can turn them "
    "off in your settings: {settings_url}\n\n{site} is peer support, not a crisis service. If you need "
    "help now, the crisis lines are at {help_url}"
)


def _footer() -> str:
    from django.urls import reverse

    return "\n\n" + str(EMAIL_FOOTER).format(
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
        with translation.override(recipient_language(member)):
            subject = email_subject(EMAIL_SUBJECTS.get(notification.kind, _("Something new for you")))
            body = _email_block(notification) + _footer()
        try:
            send_mail(subject, body, None, [member.email])
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
        with translation.override(recipient_language(member)):
            subject = email_subject(
                ngettext("%(count)d new notification", "%(count)d new notifications", count) % {"count": count}
            )
            intro = gettext("Here is what is new for you since your last digest.") + "\n\n"
            body = intro + "\n\n".join(_email_block(n) for n in notifications) + _footer()
        try:
            send_mail(subject, body, None, [member.email])
        except Exception:
            logger.exception("Could not send the digest to member %s", member.pk)
            continue
        Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(emailed_at=timezone.now())
        sent += 1
    return sent
