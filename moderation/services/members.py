"""Moderators' actions on members: warn; the sanctions (silence, suspend, ban, "remove
spammer") and lifting them; private notes. A sanction is an accounts.Suspension with a
kind: it lives with the member, since every layer asks whether they may post, and the
Viewer (forum.permissions) enforces it for pages and sockets alike.

Each action writes one row to the log and, for a sanction, one notice to the member in
plain words, in their language: what, why, until when, and how to appeal (by writing to
the moderators). A note is for moderators only: it is logged, never sent.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Suspension, User
from forum import content, realtime
from forum.models import Post, Visibility
from forum.permissions import forget_viewer, sanction_summary, viewer_for

from ..models import MemberNote, Notice, ReviewItem
from ..selectors import active_suspension
from .log import log_write, notice_send, reason_checked, reason_required
from .queue import items_resolve

WARNING_REPEAT_WINDOW = timedelta(minutes=10)
NOTE_MAX_LENGTH = 2000
# The longest a timed sanction may run: longer than this is a ban, and should say so.
LONGEST = timedelta(days=3660)
# What the log calls lifting each kind.
LIFT_ACTIONS = {Suspension.Kind.SILENCE: "unsilence", Suspension.Kind.SUSPEND: "unsuspend",
                Suspension.Kind.BAN: "unban"}


@transaction.atomic
def member_warn(*, actor: User, member: User, reason: str, post=None) -> Notice:
    """A private warning. The same warning again within a few minutes is a double submit."""
    reason = reason_required(reason, "warn a member")
    User.objects.select_for_update().filter(pk=member.pk).first()
    earlier = Notice.objects.filter(
        recipient=member, action="warn", reason=reason, post=post,
        created_at__gt=timezone.now() - WARNING_REPEAT_WINDOW,
    ).first()
    if earlier:
        return earlier
    log_write(actor=actor, action="warn", target=member, target_user=member, reason=reason)
    with _in_language_of(member):
        message = _(
            "A moderator is asking you to take care with how you post. Please read the reason below. "
            "If you want to talk it over, write to the moderators: “Message the moderators” is at the foot of "
            "every page, and on your notices."
        )
    return notice_send(
        recipient=member, action="warn", reason=reason, post=post, thread=post.thread if post else None,
        message=message,
    )


def member_silence(*, actor: User, member: User, reason: str, duration: timedelta | None = None) -> Suspension:
    """The member can read and write to the moderators, but not post, reply, react or
    report, for `duration` (None: until a moderator lifts it)."""
    return _sanction(actor=actor, member=member, kind=Suspension.Kind.SILENCE, reason=reason, duration=duration)


def member_suspend(*, actor: User, member: User, reason: str, duration: timedelta) -> Suspension:
    """The member can read but not post or react until the suspension ends. A member
    already suspended stays on their current suspension (lift it to set another)."""
    if duration is None:
        raise ValidationError({"duration": [_("Choose how long the suspension lasts.")]})
    return _sanction(actor=actor, member=member, kind=Suspension.Kind.SUSPEND, reason=reason, duration=duration)


def member_ban(*, actor: User, member: User, reason: str) -> Suspension:
    """No posting, reacting, reporting, following or members-only categories, until a
    moderator lifts it. The member can still sign in to appeal and to take their data."""
    return _sanction(actor=actor, member=member, kind=Suspension.Kind.BAN, reason=reason, duration=None)


@transaction.atomic
def member_remove_spammer(*, actor: User, member: User, reason: str) -> Suspension:
    """Hide everything the member wrote (their threads go with their opening posts), close
    the queue items about it, and ban them: one action, one row in the log, one notice.
    Crisis items stay open: whether someone is at risk is never settled as spam."""
    reason = reason_required(reason, "remove a spammer")
    _refuse_team(actor=actor, member=member)
    # The posts first, each under its thread's lock, as posting takes them (thread, then
    # the author's row for their count); the member's row after.
    post_ids = list(
        Post.objects.filter(author=member, status__in=[Visibility.PUBLISHED, Visibility.PENDING])
        .order_by("pk").values_list("pk", flat=True)
    )
    hidden = 0
    for post_id in post_ids:
        post = content.lock_post(post_id)
        if post.status in (Visibility.PUBLISHED, Visibility.PENDING):
            hidden += content.post_status_set(post, Visibility.HIDDEN)
    items_resolve(
        ReviewItem.objects.filter(post__author=member, status=ReviewItem.Status.OPEN)
        .exclude(kind=ReviewItem.Kind.CRISIS),
        actor=actor, resolution="spammer_removed",
    )
    User.objects.select_for_update().filter(pk=member.pk).first()
    current = active_suspension(member)
    if not hidden and current is not None and current.kind == Suspension.Kind.BAN:
        return current  # done already: a second click changes nothing
    ban = current if current is not None and current.kind == Suspension.Kind.BAN else _sanction_start(
        actor=actor, member=member, kind=Suspension.Kind.BAN, reason=reason, ends_at=None, current=current)
    log_write(actor=actor, action="remove_spammer", target=member, target_user=member,
              reason=_log_reason(reason, ban) + f" ({hidden} posts hidden)")
    with _in_language_of(member):
        message = " ".join([
            sanction_summary(ban),
            _("Everything you posted here is hidden."),
            _appeal_sentence(),
        ])
    notice_send(recipient=member, action="remove_spammer", reason=reason, message=message)
    return ban


@transaction.atomic
def member_unsuspend(*, actor: User, member: User, reason: str = "") -> Suspension | None:
    """Lift the running sanction, whichever kind it is."""
    reason = reason_checked(reason)
    User.objects.select_for_update().filter(pk=member.pk).first()
    current = active_suspension(member)
    if current is None:
        return None
    _lift(current, actor)
    forget_viewer(member)
    realtime.standing_changed(member.pk)
    log_write(actor=actor, action=LIFT_ACTIONS.get(current.kind, "unsuspend"), target=member, target_user=member,
              reason=reason)
    with _in_language_of(member):
        message = {
            Suspension.Kind.SILENCE: _("You are no longer silenced: you can post, reply, react and report again."),
            Suspension.Kind.BAN: _("Your ban has been lifted. Welcome back: you can post again."),
        }.get(current.kind) or _("Your suspension has been lifted. Welcome back: you can post again.")
    notice_send(recipient=member, action=LIFT_ACTIONS.get(current.kind, "unsuspend"), reason=reason,
                message=message)
    return current


member_sanction_lift = member_unsuspend


@transaction.atomic
def member_note_add(*, actor: User, member: User, text: str) -> MemberNote:
    """A private note for the other moderators; logged, never sent to the member. The
    same note again within a few minutes is a double submit."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Write the note first.")]})
    if len(text) > NOTE_MAX_LENGTH:
        raise ValidationError({"text": [
            _("Please keep a note under %(limit)d characters (it has %(length)d).")
            % {"limit": NOTE_MAX_LENGTH, "length": len(text)}
        ]})
    User.objects.select_for_update().filter(pk=member.pk).first()
    earlier = MemberNote.objects.filter(
        member=member, author=actor, text=text, created_at__gt=timezone.now() - WARNING_REPEAT_WINDOW
    ).first()
    if earlier:
        return earlier
    note = MemberNote.objects.create(member=member, author=actor, author_name=actor.username, text=text)
    log_write(actor=actor, action="note_add", target=member, target_user=member, reason=text)
    return note


# --- Sanctions --------------------------------------------------------------------------


@transaction.atomic
def _sanction(*, actor: User, member: User, kind: str, reason: str, duration: timedelta | None) -> Suspension:
    reason = reason_required(reason, _sanction_verb(kind))
    if duration is not None and duration <= timedelta(0):
        raise ValidationError({"duration": [_("Choose how long it lasts.")]})
    if duration is not None and duration > LONGEST:
        raise ValidationError({"duration": [_("That is longer than ten years: ban the member instead.")]})
    _refuse_team(actor=actor, member=member)
    User.objects.select_for_update().filter(pk=member.pk).first()
    current = active_suspension(member)
    if current is not None and current.kind == kind:
        return current  # a double submit, or two moderators at once: lift it to set another
    sanction = _sanction_start(
        actor=actor, member=member, kind=kind, reason=reason,
        ends_at=timezone.now() + duration if duration is not None else None, current=current,
    )
    log_write(actor=actor, action=kind, target=member, target_user=member, reason=_log_reason(reason, sanction))
    with _in_language_of(member):
        message = " ".join([sanction_summary(sanction), _what_still_works(kind), _appeal_sentence()])
    notice_send(recipient=member, action=kind, reason=reason, message=message)
    return sanction


def _sanction_start(*, actor: User, member: User, kind: str, reason: str, ends_at, current) -> Suspension:
    """One sanction at a time: a new kind replaces the one running (its row says who
    replaced it, and when)."""
    if current is not None:
        _lift(current, actor)
    sanction = Suspension.objects.create(
        member=member, kind=kind, reason=reason, ends_at=ends_at, created_by=actor, created_by_name=actor.username
    )
    forget_viewer(member)
    realtime.standing_changed(member.pk)  # their open sockets ask again (a ban closes members-only threads)
    return sanction


def _lift(sanction: Suspension, actor: User) -> None:
    sanction.lifted_at = timezone.now()
    sanction.lifted_by = actor
    sanction.lifted_by_name = actor.username
    sanction.save(update_fields=["lifted_at", "lifted_by", "lifted_by_name"])


def _refuse_team(*, actor: User, member: User) -> None:
    if member.pk == actor.pk:
        raise ValidationError({NON_FIELD_ERRORS: [_("You cannot sanction yourself.")]})
    if viewer_for(member).holds_moderator_role:
        raise ValidationError({NON_FIELD_ERRORS: [
            _("Moderators are not sanctioned here: take the moderator role away first.")]})


def _log_reason(reason: str, sanction: Suspension) -> str:
    if sanction.ends_at is None:
        return f"{reason} (until lifted)"
    return f"{reason} (until {sanction.ends_at:%Y-%m-%d %H:%M} UTC)"


def _sanction_verb(kind: str) -> str:
    return {Suspension.Kind.SILENCE: "silence a member", Suspension.Kind.BAN: "ban a member"}.get(
        kind, "suspend a member")


def _what_still_works(kind: str) -> str:
    if kind == Suspension.Kind.BAN:
        return _("You can still sign in to read the public categories, download or delete your data, "
                 "and read your notices.")
    if kind == Suspension.Kind.SILENCE:
        return _("You can still read everything and follow threads.")
    return _("You can still read everything, and the crisis lines at the top of every page are always there.")


def _appeal_sentence() -> str:
    return _("If you think this is wrong, or want to talk it over, you can appeal: write to the moderators "
             "(“Message the moderators” is at the foot of every page).")


def _in_language_of(member: User):
    """Words for the member in their own language (their setting, or the site's)."""
    return translation.override(getattr(member, "language", "") or settings.LANGUAGE_CODE)
