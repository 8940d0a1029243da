"""Members' reports, and moderators dismissing them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import User
from forum import content
from forum.models import Post, Visibility

from .. import realtime as moderators_realtime
from ..models import Report, ReviewItem
from .log import log_write, notice_send, reason_checked
from .posts import post_hide
from .queue import items_resolve


@transaction.atomic
def report_create(*, reporter: User, post: Post, reason: str, note: str = "") -> Report:
    """A member reports a post, once. Enough reports from different members hide it
    until a moderator has looked."""
    note = (note or "").strip()
    if reason not in Report.Reason.values:
        raise ValidationError({"reason": ["Please choose a reason."]})
    if reason == Report.Reason.OTHER and not note:
        raise ValidationError({"note": ["Please tell the moderators a little about what is wrong."]})
    if post.author_id == reporter.pk:
        raise ValidationError({"reason": ["This is your own post: you can edit or delete it instead."]})
    post = content.lock_post(post)
    existing = Report.objects.filter(post=post, reporter=reporter).first()
    if existing:
        return existing
    item = ReviewItem.objects.filter(post=post, kind=ReviewItem.Kind.REPORT, status=ReviewItem.Status.OPEN).first()
    created = item is None
    if created:
        item = ReviewItem.objects.create(post=post, kind=ReviewItem.Kind.REPORT, reasons=[])
    label = Report.Reason(reason).label
    if label not in item.reasons:
        item.reasons.append(label)
    if reason == Report.Reason.AT_RISK:
        item.priority = max(item.priority, ReviewItem.PRIORITY_AT_RISK)
    item.save(update_fields=["reasons", "priority"])
    try:
        with transaction.atomic():
            report = Report.objects.create(post=post, reporter=reporter, reason=reason, note=note, item=item)
    except IntegrityError:
        return Report.objects.get(post=post, reporter=reporter)
    reporters = Report.objects.filter(item=item).values("reporter").distinct().count()
    if reporters >= settings.MODERATION_REPORT_THRESHOLD and post.status == Visibility.PUBLISHED:
        post_hide(actor=None, post=post, automatic=True,
                  reason=f"Reported by {reporters} members; hidden until a moderator has looked.")
        ReviewItem.objects.filter(pk=item.pk).update(auto_hidden=True)
    moderators_realtime.item_changed(item.pk, added=created)
    return report


@transaction.atomic
def report_dismiss(*, actor: User, item: ReviewItem, reason: str = "") -> ReviewItem:
    """The reports were not needed. A post the reports hid automatically comes back."""
    reason = reason_checked(reason)
    item = ReviewItem.objects.select_related("post").get(pk=item.pk)
    if not item.is_open or item.kind not in (ReviewItem.Kind.REPORT, ReviewItem.Kind.FLAGGED):
        return item
    post = content.lock_post(item.post)
    item = ReviewItem.objects.select_for_update().get(pk=item.pk)
    restored = item.auto_hidden and post.status == Visibility.HIDDEN
    if restored:
        content.post_status_set(post, Visibility.PUBLISHED)
    items_resolve([item], actor=actor, resolution="dismissed")
    log_write(actor=actor, action="dismiss", target=item, target_user=post.author, reason=reason)
    if restored:
        notice_send(recipient=post.author, action="unhide", post=post, thread=post.thread,
                    message=f"Your post in “{post.thread.title}” was looked at by a moderator and is visible again.")
    item.refresh_from_db()
    return item
