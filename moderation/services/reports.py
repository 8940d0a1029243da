"""Members' reports, weighted by trust, and the outcomes that close a post's item.

A report always reaches the queue. Whether it also counts toward hiding the post before
a moderator looks depends on who made it (as Discourse scores flags): only a member with
a verified address, not suspended or silenced, past the new-member period and with some
published posts weighs anything; their weight grows with their upheld reports and
shrinks with rejected ones (`reporter_weight`). A moderator's post is never hidden by
reports. Three throwaway accounts weigh nothing.

Outcomes, each closing every item about the post and writing one log row:
- agree: the reports were right. The post is hidden (or stays hidden); reports upheld.
- disagree: the reports were wrong. A post they hid comes back; reports rejected, which
  weighs their authors' next reports less.
- ignore: close without a verdict on the reporters; the post stays as it is.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import roles
from accounts.models import Suspension, User
from forum import content
from forum import permissions as forum_permissions
from forum.models import Post, Visibility

from ..models import Report, ReviewItem
from .log import log_write, notice_send, reason_checked, reason_required
from .posts import post_hide
from .queue import item_open, post_items_resolve, reports_settle

MAX_BONUS = 2.0  # at most 3 in all
UPHELD_BONUS = 0.25
REJECTED_PENALTY = 0.5


def reporter_counts(reporter: User) -> tuple[int, int]:
    """(upheld, rejected) among the member's earlier reports."""
    counts = Report.objects.filter(reporter=reporter).aggregate(
        upheld=Count("pk", filter=Q(outcome=Report.Outcome.UPHELD)),
        rejected=Count("pk", filter=Q(outcome=Report.Outcome.REJECTED)),
    )
    return counts["upheld"], counts["rejected"]


def reporter_counts_toward_hiding(reporter: User, *, now=None) -> bool:
    """Verified, may post (not suspended or silenced), past the new-member period, with
    some published posts."""
    # A fresh Viewer: the standing is read now (a suspension may be seconds old).
    if not forum_permissions.Viewer(reporter).can_post:
        return False
    now = now or timezone.now()
    if reporter.date_joined > now - timedelta(seconds=settings.MODERATION_NEW_MEMBER_PERIOD):
        return False
    post_count = User.objects.filter(pk=reporter.pk).values_list("post_count", flat=True).first() or 0
    return post_count >= settings.MODERATION_REPORT_MIN_POSTS


def reporter_weight(reporter: User) -> float:
    """How much the member's next report counts toward hiding a post (0 to 3)."""
    if not reporter_counts_toward_hiding(reporter):
        return 0.0
    upheld, rejected = reporter_counts(reporter)
    weight = 1.0 + min(MAX_BONUS, UPHELD_BONUS * upheld) - REJECTED_PENALTY * rejected
    return max(0.0, weight)


def _is_moderators_post(post: Post) -> bool:
    return post.author_id is not None and roles.moderators().filter(pk=post.author_id).exists()


@transaction.atomic
def report_create(*, reporter: User, post: Post, reason: str, note: str = "") -> Report:
    """A member reports a post, once. It reaches the queue; when the reports' weights
    add up to MODERATION_REPORT_THRESHOLD the post is hidden until a moderator has
    looked (never a moderator's post)."""
    note = (note or "").strip()
    if reason not in Report.Reason.values:
        raise ValidationError({"reason": [_("Please choose a reason.")]})
    if reason == Report.Reason.OTHER and not note:
        raise ValidationError({"note": [_("Please tell the moderators a little about what is wrong.")]})
    if post.author_id == reporter.pk:
        raise ValidationError({"reason": [_("This is your own post: you can edit or delete it instead.")]})
    if forum_permissions.viewer_for(reporter).sanction in (Suspension.Kind.SILENCE, Suspension.Kind.BAN):
        # The report page refuses them too; this keeps every other way in honest.
        raise ValidationError({"reason": [_("Your account can't report posts at the moment.")]})
    post = content.lock_post(post)
    existing = Report.objects.filter(post=post, reporter=reporter).first()
    if existing:
        return existing
    weight = reporter_weight(reporter)
    priority = ReviewItem.PRIORITY_AT_RISK if reason == Report.Reason.AT_RISK else ReviewItem.PRIORITY_NORMAL
    with translation.override(settings.LANGUAGE_CODE):  # stored in English, shown translated
        label = str(Report.Reason(reason).label)
    item = item_open(post=post, kind=ReviewItem.Kind.REPORT, reasons=[label],
                     priority=priority)
    try:
        with transaction.atomic():
            report = Report.objects.create(post=post, reporter=reporter, reason=reason, note=note, item=item,
                                           weight=weight)
    except IntegrityError:
        return Report.objects.get(post=post, reporter=reporter)
    pending = Report.objects.filter(post=post, outcome=Report.Outcome.PENDING)
    total = sum(pending.values_list("weight", flat=True))
    if (total >= settings.MODERATION_REPORT_THRESHOLD and post.status == Visibility.PUBLISHED
            and not _is_moderators_post(post)):
        members = pending.values("reporter").distinct().count()
        post_hide(actor=None, post=post, automatic=True,
                  reason=ngettext("Reported by %(count)d trusted member; hidden until a moderator has looked.",
                                  "Reported by %(count)d trusted members; hidden until a moderator has looked.",
                                  members) % {"count": members})
        ReviewItem.objects.filter(pk=item.pk).update(auto_hidden=True)
    return report


def _post_item(item: ReviewItem) -> tuple[ReviewItem, Post]:
    item = ReviewItem.objects.select_related("post__thread").get(pk=item.pk)
    if item.post_id is None or item.is_crisis:
        raise ValidationError(_("This outcome is for a post's review item, not a crisis item."))
    return item, content.lock_post(item.post)


@transaction.atomic
def report_agree(*, actor: User, item: ReviewItem, reason: str) -> ReviewItem:
    """The reports (or the flag) were right: the post is hidden, or stays hidden; every
    item about it closes; the reports are upheld. One log row; the author is told why."""
    reason = reason_required(reason, _("agree with the reports"))
    item, post = _post_item(item)
    if not item.is_open:
        return item
    if post.status == Visibility.PENDING:
        raise ValidationError(_("This post is waiting for approval: approve it or turn it down."))
    was_hidden = post.status == Visibility.HIDDEN
    if post.status == Visibility.PUBLISHED:
        content.post_status_set(post, Visibility.HIDDEN)
    reports_settle(post, outcome=Report.Outcome.UPHELD)
    post_items_resolve(post, actor=actor, resolution="agreed")
    ReviewItem.objects.filter(post=post, auto_hidden=True).update(auto_hidden=False)
    log_write(actor=actor, action="agree", target=post, target_user=post.author, reason=reason)
    if post.status == Visibility.HIDDEN:
        def message() -> str:
            return (_("A moderator looked at your post in “%(title)s”: it stays hidden.") if was_hidden
                    else _("A moderator hid your post in “%(title)s”. You can still read it; others see a note.")
                    ) % {"title": post.thread.title}

        notice_send(recipient=post.author, action="hide", reason=reason, post=post, thread=post.thread,
                    message=message)
    item.refresh_from_db()
    return item


@transaction.atomic
def report_disagree(*, actor: User, item: ReviewItem, reason: str = "") -> ReviewItem:
    """The reports (or the flag) were wrong: a post they hid comes back, every item
    about it closes, and the reports count against their authors' next ones. The reason
    is for the log only: the author is told their post is visible again."""
    reason = reason_checked(reason)
    item, post = _post_item(item)
    if not item.is_open:
        return item
    if post.status == Visibility.PENDING:
        raise ValidationError(_("This post is waiting for approval: approve it or turn it down."))
    restored = post.status == Visibility.HIDDEN and item.auto_hidden
    if restored:
        content.post_status_set(post, Visibility.PUBLISHED)
    reports_settle(post, outcome=Report.Outcome.REJECTED)
    post_items_resolve(post, actor=actor, resolution="disagreed")
    ReviewItem.objects.filter(post=post, auto_hidden=True).update(auto_hidden=False)
    log_write(actor=actor, action="disagree", target=post, target_user=post.author, reason=reason)
    if restored:
        notice_send(recipient=post.author, action="unhide", post=post, thread=post.thread,
                    message=lambda: _("Your post in “%(title)s” was looked at by a moderator and is visible again.")
                    % {"title": post.thread.title})
    item.refresh_from_db()
    return item


@transaction.atomic
def report_ignore(*, actor: User, item: ReviewItem, reason: str = "") -> ReviewItem:
    """Close every item about the post with no verdict on the reporters; the post stays
    as it is. Not for a post the reports hid: agree or disagree, so its author hears."""
    reason = reason_checked(reason)
    item, post = _post_item(item)
    if not item.is_open:
        return item
    if post.status == Visibility.PENDING:
        raise ValidationError(_("This post is waiting for approval: approve it or turn it down."))
    if item.auto_hidden and post.status == Visibility.HIDDEN:
        raise ValidationError(_("The reports hid this post: agree (it stays hidden) or disagree (it comes back), "
                                "so its author knows."))
    reports_settle(post, outcome=Report.Outcome.IGNORED)
    post_items_resolve(post, actor=actor, resolution="ignored")
    log_write(actor=actor, action="ignore", target=post, target_user=post.author, reason=reason)
    item.refresh_from_db()
    return item


def report_dismiss(*, actor: User, item: ReviewItem, reason: str = "") -> ReviewItem:
    """The earlier name of "disagree", kept for callers that still use it."""
    return report_disagree(actor=actor, item=item, reason=reason)


@transaction.atomic
def items_bulk(*, actor: User, items: list[ReviewItem], action: str, reason: str = "") -> int:
    """Approve, or hide, several posts' items with one reason: each post gets its own
    outcome (approve; or turn down a held post, agree with a reported or flagged one),
    its own log row and its own notice. Nothing is done unless every item fits."""
    from .posts import post_approve, post_reject

    items = list(ReviewItem.objects.select_related("post").filter(
        pk__in=[item.pk for item in items], status=ReviewItem.Status.OPEN).exclude(kind=ReviewItem.Kind.CRISIS))
    if action == "approve":
        unfit = [item for item in items if item.post is None or item.post.status != Visibility.PENDING]
        if unfit:
            raise ValidationError(ngettext(
                "Approve is for posts waiting for approval; %(count)d of those ticked is not. Nothing was done.",
                "Approve is for posts waiting for approval; %(count)d of those ticked are not. Nothing was done.",
                len(unfit)) % {"count": len(unfit)})
        for item in items:
            post_approve(actor=actor, post=item.post, reason=reason)
    elif action == "hide":
        reason_required(reason, _("hide a post"))
        for item in items:
            if item.post.status == Visibility.PENDING:
                post_reject(actor=actor, post=item.post, reason=reason)
            else:
                report_agree(actor=actor, item=item, reason=reason)
    else:
        raise ValidationError(_("Choose approve or hide."))
    return len(items)
