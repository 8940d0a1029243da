"""Every write to private messages: a member writing to the team, the team reaching out,
replies either way, reading, and the member's email preference.

Each message from the member is read by safety.crisis.assess, as posts are: concern or
urgent opens (or adds to) a crisis item about them, and an urgent message after that
item was closed opens a new urgent one (moderation.services.crisis_member_item_open).
A message from the team about an open crisis item acknowledges it.

The member hears of a message from the team in their inbox and live on `user-<id>`, and
by an email that never holds the message or any thread's title, unless they turned those
emails off. The team hears of the member's messages live; the team members who wrote in
the conversation are emailed too.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop, ngettext

from accounts import roles
from accounts.models import User
from forum import notifications
from forum.markup import render
from forum.notifications import absolute_url
from forum.permissions import viewer_for
from forum.validators import clean_body
from moderation import services as moderation_services
from moderation.models import ReviewItem
from safety import crisis

from . import permissions, realtime
from .models import Conversation, Message, Preference

logger = logging.getLogger(__name__)

SUBJECT_MAX_LENGTH = 120
NEW_CONVERSATIONS_PER_DAY = 5
# Stored in English (in the member's inbox, with the moderators' item) and shown in the
# reader's language: forum.notifications.describe translates stored lines it knows.
INBOX_LINE = gettext_noop("The team sent you a private message.")
MEMBER_MESSAGE_REASON = gettext_noop("A private message to the team")


def conversation_start(*, member: User, body: str, subject: str = "") -> Conversation:
    """A member writes to the team ("Message the moderators")."""
    if not permissions.can_write_to_team(member):
        raise PermissionDenied(gettext("Log in to write to the moderators."))
    subject = _clean_subject(subject)
    body = _clean_message_body(body)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=member.pk).first()
        since = timezone.now() - timedelta(days=1)
        started = Conversation.objects.filter(member=member, started_by_team=False, created_at__gt=since).count()
        if started >= NEW_CONVERSATIONS_PER_DAY:
            raise ValidationError({"body": [
                ngettext(
                    "You have started %(count)d conversation today. Please add to it instead: "
                    "the team reads them all. Your text is kept here.",
                    "You have started %(count)d conversations today. Please add to one of them instead: "
                    "the team reads them all. Your text is kept here.",
                    started,
                ) % {"count": started}
            ]})
        conversation = Conversation.objects.create(
            member=member, subject=subject, started_by=member, started_by_team=False
        )
        message = _message_add(conversation=conversation, author=member, from_team=False, body=body)
    return message.conversation


def conversation_reach_out(*, actor: User, member: User, body: str, subject: str = "",
                           item: ReviewItem | None = None) -> Conversation:
    """The team opens a private line with a member: "Reach out" on a crisis item or on a
    member's page. About an item, an existing conversation about it is continued."""
    if not permissions.is_team(actor):
        raise PermissionDenied(gettext("Only moderators and peer supporters can reach out."))
    moderates = viewer_for(actor).is_moderator
    if item is None and not moderates:
        raise PermissionDenied(gettext("Peer supporters reach out from a crisis item."))
    if item is not None and not item.is_crisis and not moderates:
        raise PermissionDenied(gettext("Peer supporters reach out about crisis items only."))
    if member is None or member.is_former or not member.is_active:
        raise ValidationError({"body": [gettext("This account is closed, so nobody can receive a message there.")]})
    if member.pk == actor.pk:
        raise ValidationError({"body": [gettext("You cannot reach out to yourself.")]})
    with translation.override(notifications.recipient_language(member)):  # the member reads it
        subject = _clean_subject(subject) or gettext("A message from the team")
    body = _clean_message_body(body)
    with transaction.atomic():
        conversation = None
        if item is not None:
            conversation = Conversation.objects.select_for_update().filter(item=item, member=member).first()
        if conversation is None:
            conversation = Conversation.objects.create(
                member=member, subject=subject, started_by=actor, started_by_team=True, item=item,
                crisis=item is not None and item.is_crisis,
            )
        message = _message_add(conversation=conversation, author=actor, from_team=True, body=body)
    return message.conversation


def message_send(*, author: User, conversation: Conversation, body: str) -> Message:
    """A reply in a conversation, from its member or from the team."""
    body = _clean_message_body(body)
    if permissions.member_can_see(author, conversation):
        from_team = False
    elif permissions.team_can_see(author, conversation):
        from_team = True
    else:
        raise PermissionDenied(gettext("This conversation is between the team and another member."))
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
        return _message_add(conversation=conversation, author=author, from_team=from_team, body=body)


def conversation_read(*, member: User, conversation: Conversation) -> int:
    """The member opened the conversation: the team's messages in their inbox are read."""
    ids = list(
        Message.objects.filter(conversation=conversation, from_team=True, notification__isnull=False,
                               notification__read_at__isnull=True).values_list("notification_id", flat=True)
    )
    notifications.notifications_read(member=member, ids=ids)
    return len(ids)


def preference_set(*, member: User, email: bool) -> Preference:
    preference, _ = Preference.objects.update_or_create(member=member, defaults={"email": email})
    return preference


def wants_email(member: User) -> bool:
    return Preference.objects.filter(member=member).values_list("email", flat=True).first() is not False


# --- Inside the transaction -----------------------------------------------------------------


def _message_add(*, conversation: Conversation, author: User, from_team: bool, body: str) -> Message:
    level = "none"
    assessment = None
    if not from_team:
        assessment = crisis.assess(body)
        level = assessment.level
    message = Message.objects.create(
        conversation=conversation, author=author, author_name=author.username, from_team=from_team,
        body=body, body_html=render(body), crisis_level=level,
    )
    conversation.last_message_at = message.created_at
    conversation.last_message_from_team = from_team
    fields = ["last_message_at", "last_message_from_team"]
    if from_team:
        notification = notifications.private_message(
            recipient=conversation.member, message=INBOX_LINE, link=conversation.get_absolute_url()
        )
        if notification is not None:
            message.notification = notification
            message.save(update_fields=["notification"])
        if conversation.item_id and conversation.item.is_open and conversation.item.is_crisis:
            moderation_services.crisis_outreach_record(actor=author, item=conversation.item)
    elif assessment is not None and assessment.is_crisis:
        item = moderation_services.crisis_member_item_open(
            member=conversation.member, assessment=assessment, reason=MEMBER_MESSAGE_REASON,
            item=conversation.item,
        )
        if item is not None:
            conversation.item, conversation.crisis = item, True
            fields += ["item", "crisis"]
    conversation.save(update_fields=fields)
    realtime.message_added(message.pk)
    transaction.on_commit(lambda: _emails_send(message.pk), robust=True)
    return message


def _clean_subject(subject: str) -> str:
    subject = " ".join((subject or "").split())
    if len(subject) > SUBJECT_MAX_LENGTH:
        raise ValidationError(
            {"subject": [
                gettext("Please keep the subject under %(limit)d characters.") % {"limit": SUBJECT_MAX_LENGTH}
            ]}
        )
    return subject


def _clean_message_body(body: str) -> str:
    try:
        return clean_body(body)
    except ValidationError as error:
        raise ValidationError({"body": error.messages}) from error


# --- After the commit: emails, discreet ---------------------------------------------------------


def _emails_send(message_id: int) -> None:
    message = Message.objects.select_related("conversation__member").filter(pk=message_id).first()
    if message is None:
        return
    conversation = message.conversation
    if message.from_team:
        member = conversation.member
        if not member.email or not member.is_active or member.is_former or not wants_email(member):
            return
        with translation.override(notifications.recipient_language(member)):  # the member's language
            footer = "\n\n" + gettext(
                "%(site)s is peer support, not a crisis service. If you need help now, the crisis lines "
                "are at %(help_url)s"
            ) % {"site": settings.SITE_NAME, "help_url": absolute_url(reverse("safety:help"))}
            subject = gettext("[%(site)s] A new message for you") % {"site": settings.SITE_NAME}
            body = gettext(
                "Someone from the team has written to you privately. Read it, and reply if you like, here:\n"
                "%(url)s\n\n"
                "We never put the message itself in an email, to keep it private. You can turn these emails off "
                "on your messages page: %(inbox_url)s"
            ) % {
                "url": absolute_url(conversation.get_absolute_url()),
                "inbox_url": absolute_url(reverse("modmail:inbox")),
            }
        _send(subject, body + footer, [member.email])
        return
    # The member wrote: the team members who have written in this conversation hear of it.
    author_ids = set(
        Message.objects.filter(conversation=conversation, from_team=True).values_list("author_id", flat=True)
    )
    by_language: dict[str, set[str]] = {}
    for user in roles.crisis_responders().filter(pk__in=author_ids):
        if user.email and permissions.team_can_see(user, conversation):
            by_language.setdefault(notifications.recipient_language(user), set()).add(user.email)
    for language, emails in sorted(by_language.items()):
        with translation.override(language):  # each team member reads it in their own language
            subject = gettext("[%(site)s] A member replied to the team") % {"site": settings.SITE_NAME}
            body = gettext(
                "A member you wrote to has replied. Read it here (the email holds nothing of what they wrote):\n"
                "%(url)s"
            ) % {"url": absolute_url(conversation.get_team_url())}
        _send(subject, body, sorted(emails))


def _send(subject: str, body: str, recipients: list[str]) -> None:
    try:
        send_mail(subject, body, None, recipients)
    except Exception:  # noqa: BLE001 - an unreachable mail server must not lose the message, which is saved
        logger.exception("Could not email about a private message")
