"""Crisis items: someone may be at risk, and the loop closes only with an outcome.

A post (or a private message to the team) that may come from someone at risk goes to the
top of the queue; urgent ones flash on every crisis responder's screen. Opening an item
is only reading it. "I'm on it" (`crisis_acknowledge`) tells the others someone has it;
the item is closed only by an outcome (`crisis_resolve`: reached out, passed to emergency
services, no risk). Each is logged.

Until then urgent items escalate by email (`crisis_items_escalate`, run every minute):
unacknowledged ones after MODERATION_CRISIS_ESCALATE_AFTER, acknowledged ones without an
outcome after MODERATION_CRISIS_REESCALATE_AFTER. The first email of each stage goes to
whoever is on call now (moderation.oncall), or to every moderator when nobody is; the
next ones to every moderator. Emails carry absolute links (SITE_URL) to the item and to
the moderators' guide, and nothing of what the member wrote.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from accounts import roles
from accounts.models import User
from forum.notifications import absolute_url, recipient_language
from forum.models import Post

from .. import oncall
from .. import realtime as moderators_realtime
from ..models import ReviewItem
from .log import log_write, reason_checked
from .queue import CRISIS_RANK, item_open, items_resolve

LEVEL_PRIORITY = {"urgent": ReviewItem.PRIORITY_URGENT, "concern": ReviewItem.PRIORITY_AT_RISK}
Outcome = ReviewItem.Outcome


def crisis_item_open(*, post: Post, assessment, urgent: bool = False, reason: str = "") -> ReviewItem | None:
    """A post assessed (safety.crisis.assess) as concern or urgent goes to the top of the
    queue. `urgent` raises it to urgent whatever the assessment (a crisis post that screening
    held, or waved past first-post review); `reason` says why. Urgent items flash on every
    crisis responder's screen."""
    level = getattr(assessment, "level", "none")
    if level not in LEVEL_PRIORITY:
        return None
    if urgent:
        level = "urgent"
    reasons = [str(reason) for reason in getattr(assessment, "reasons", None) or ()] or ["Crisis language in the post"]
    if reason:
        reasons.append(reason)
    with transaction.atomic():
        item = item_open(post=post, kind=ReviewItem.Kind.CRISIS, reasons=reasons, priority=LEVEL_PRIORITY[level],
                         crisis_level=level)
        if item.crisis_level == "urgent":
            moderators_realtime.crisis_alert(item.pk)
    return item


@transaction.atomic
def crisis_member_item_open(*, member: User, assessment, reason: str, item: ReviewItem | None = None
                            ) -> ReviewItem | None:
    """A member's private message to the team read as crisis (modmail calls this).

    With the conversation's item still open, the reasons (and level) are added to it. An
    urgent message after that item was resolved opens a new urgent item, on the same post
    if there was one: the earlier outcome stays on the earlier item. Without an item, one
    is opened about the member, with no post. Returns the open item, or None."""
    level = getattr(assessment, "level", "none")
    if level not in LEVEL_PRIORITY:
        return item if item is not None and item.is_open else None
    reasons = [reason, *(str(r) for r in getattr(assessment, "reasons", None) or ())]
    if item is not None:
        item = ReviewItem.objects.select_for_update().get(pk=item.pk)
    if item is not None and not item.is_open and level != "urgent":
        return None  # the conversation shows the team a new message; the loop was closed with an outcome
    if item is not None and item.is_open:
        item.reasons = item.reasons + [r for r in reasons if r not in item.reasons]
        item.priority = max(item.priority, LEVEL_PRIORITY[level])
        if CRISIS_RANK[level] > CRISIS_RANK.get(item.crisis_level, 0):
            item.crisis_level = level
        item.save(update_fields=["reasons", "priority", "crisis_level"])
        moderators_realtime.item_changed(item.pk, added=False)
        opened = item
    elif item is not None and item.post_id is not None:
        earlier = item
        opened = item_open(post=item.post, kind=ReviewItem.Kind.CRISIS, reasons=reasons,
                           priority=LEVEL_PRIORITY[level], crisis_level=level)
        log_write(actor=None, action="crisis_reopen", target=opened, target_user=member,
                  reason=f"They wrote again after item {earlier.pk} was closed ({earlier.outcome_label}).")
    else:
        opened = ReviewItem.objects.create(
            kind=ReviewItem.Kind.CRISIS, post=None, member=member, reasons=reasons, priority=LEVEL_PRIORITY[level],
            crisis_level=level,
        )
        moderators_realtime.item_changed(opened.pk, added=True)
        if item is not None:
            log_write(actor=None, action="crisis_reopen", target=opened, target_user=member,
                      reason=f"They wrote again after item {item.pk} was closed ({item.outcome_label}).")
    if opened.crisis_level == "urgent":
        moderators_realtime.crisis_alert(opened.pk)
    return opened


def _locked_crisis_item(item: ReviewItem) -> ReviewItem:
    return ReviewItem.objects.select_for_update().get(pk=item.pk)


@transaction.atomic
def crisis_acknowledge(*, actor: User, item: ReviewItem, note: str = "") -> ReviewItem:
    """"I'm on it": the others see who has the item, and the first escalation stops. The
    item stays open until an outcome is recorded; without one it escalates again after
    MODERATION_CRISIS_REESCALATE_AFTER."""
    note = reason_checked(note)
    item = _locked_crisis_item(item)
    if not item.is_open or not item.is_crisis or item.acknowledged_at is not None:
        return item
    item.acknowledged_at = timezone.now()
    item.acknowledged_by, item.acknowledged_by_name = actor, actor.username
    item.escalation_count = 0  # the next stage counts from here
    item.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledged_by_name", "escalation_count"])
    log_write(actor=actor, action="crisis_acknowledge", target=item, target_user=item.member, reason=note)
    moderators_realtime.item_changed(item.pk, added=False)
    return item


@transaction.atomic
def crisis_resolve(*, actor: User, item: ReviewItem, outcome: str, note: str = "") -> ReviewItem:
    """Close a crisis item with its outcome. Escalation ends here, and only here."""
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": [gettext("Choose how it ended.")]})
    note = reason_checked(note)
    if outcome == Outcome.EMERGENCY_SERVICES and not note:
        raise ValidationError(
            {"reason": [gettext("Say which service, when, and what you told them: the next person needs it.")]}
        )
    item = _locked_crisis_item(item)
    if not item.is_open or not item.is_crisis:
        return item
    if item.acknowledged_at is None:
        ReviewItem.objects.filter(pk=item.pk).update(
            acknowledged_by=actor, acknowledged_by_name=actor.username
        )
    items_resolve([item], actor=actor, resolution=outcome)
    log_write(actor=actor, action=f"crisis_{outcome}", target=item, target_user=item.member, reason=note)
    item.refresh_from_db()
    return item


def crisis_reached_out(*, actor: User, item: ReviewItem, note: str = "") -> ReviewItem:
    return crisis_resolve(actor=actor, item=item, outcome=Outcome.REACHED_OUT, note=note)


def crisis_no_risk(*, actor: User, item: ReviewItem, note: str = "") -> ReviewItem:
    return crisis_resolve(actor=actor, item=item, outcome=Outcome.NO_RISK, note=note)


def crisis_emergency_services(*, actor: User, item: ReviewItem, note: str) -> ReviewItem:
    return crisis_resolve(actor=actor, item=item, outcome=Outcome.EMERGENCY_SERVICES, note=note)


def crisis_outreach_record(*, actor: User, item: ReviewItem) -> ReviewItem:
    """A responder wrote to the member about this item (modmail calls this): that is
    certainly being on it, so an unacknowledged item is acknowledged by them."""
    return crisis_acknowledge(actor=actor, item=item, note="Wrote to the member privately.")


# --- Escalation --------------------------------------------------------------------------


def moderator_emails() -> list[str]:
    return sorted({email for email in roles.moderators().values_list("email", flat=True) if email})


def _reachable(people) -> list[User]:
    """The people an escalation can email, once each, in a stable order."""
    found = {p.pk: p for p in people if p.email and p.is_active and not p.is_former}
    return sorted(found.values(), key=lambda p: (p.email, p.pk))


def _due_at(item: ReviewItem) -> datetime:
    if item.acknowledged_at is None:
        wait = timedelta(seconds=settings.MODERATION_CRISIS_ESCALATE_AFTER)
        stage_started = item.created_at
    else:
        wait = timedelta(seconds=settings.MODERATION_CRISIS_REESCALATE_AFTER)
        stage_started = item.acknowledged_at
    since = item.escalated_at if item.escalation_count and item.escalated_at else stage_started
    return since + wait


def escalation_due(item: ReviewItem) -> datetime | None:
    """When an open urgent item next escalates (None: it never will)."""
    if not item.is_open or not item.is_crisis or item.crisis_level != "urgent":
        return None
    return _due_at(item)


def _recipients(item: ReviewItem, on_call: list[User], everyone: list[User]) -> tuple[list[User], list[str]]:
    """Who this escalation emails, and the names of the people on call (empty: every
    moderator is emailed)."""
    if item.escalation_count == 0:
        people = list(on_call)
        if item.acknowledged_by_id and item.acknowledged_by not in people:
            people.append(item.acknowledged_by)
        reachable = _reachable(people)
        if reachable:
            return reachable, sorted(p.username for p in people)
    return everyone, []


def _situation(item: ReviewItem, minutes: int) -> str:
    """Where the item stands, in the active language."""
    if item.acknowledged_at is not None:
        return ngettext(
            "%(name)s said they were on it %(minutes)d minute ago and no outcome has been recorded yet.",
            "%(name)s said they were on it %(minutes)d minutes ago and no outcome has been recorded yet.",
            minutes,
        ) % {"name": item.acknowledged_by_name or gettext("Someone"), "minutes": minutes}
    return ngettext(
        "It has waited %(minutes)d minute and nobody has said they are on it.",
        "It has waited %(minutes)d minutes and nobody has said they are on it.",
        minutes,
    ) % {"minutes": minutes}


def _who(names: list[str]) -> str:
    """Why these people were emailed, in the active language."""
    if names:
        return gettext("emailed whoever is on call now (%(names)s)") % {"names": ", ".join(names)}
    return gettext("emailed every moderator")


def crisis_items_escalate(*, now: datetime | None = None) -> int:
    """Email about urgent items nobody has acknowledged in time, or that have no outcome
    long after someone said they were on it. Returns how many items were escalated."""
    now = now or timezone.now()
    escalated = 0
    with transaction.atomic():
        items = list(
            ReviewItem.objects.select_for_update(of=("self",))
            .select_related("acknowledged_by", "member")
            .filter(kind=ReviewItem.Kind.CRISIS, crisis_level="urgent", status=ReviewItem.Status.OPEN)
            .order_by("created_at", "pk")
        )
        due = [item for item in items if _due_at(item) <= now]
        on_call = oncall.on_call_now(now) if due else []
        everyone = _reachable(roles.moderators()) if due else []
        for item in due:
            recipients, names = _recipients(item, on_call, everyone)
            minutes = int((now - (item.acknowledged_at or item.created_at)).total_seconds() // 60)
            item.escalated_at = now
            item.escalation_count += 1
            item.save(update_fields=["escalated_at", "escalation_count"])
            with translation.override(settings.LANGUAGE_CODE):  # the log is kept in the site's language
                log_write(actor=None, action="crisis_escalate", target=item, target_user=item.member,
                          reason=gettext("%(situation)s Escalation %(count)d: %(who)s.") % {
                              "situation": _situation(item, minutes), "count": item.escalation_count,
                              "who": _who(names)})
            moderators_realtime.crisis_alert(item.pk, escalated=True)
            escalated += 1
            if recipients:
                transaction.on_commit(_escalation_email(item, minutes, names, recipients), robust=True)
    return escalated


def _escalation_email(item: ReviewItem, minutes: int, names: list[str], recipients: list[User]):
    """One email per language among the recipients, each written in that language."""
    item_url = absolute_url(reverse("moderation:item", args=[item.pk]))
    guide_url = absolute_url(reverse("moderation:guide"))
    by_language: dict[str, list[str]] = {}
    for person in recipients:
        by_language.setdefault(recipient_language(person), []).append(person.email)

    def send():
        for language, emails in by_language.items():
            with translation.override(language):
                send_mail(
                    subject=gettext("[%(site)s] Urgent: a member may be at risk") % {"site": settings.SITE_NAME},
                    message=gettext(
                        "An urgent crisis item needs someone now. %(situation)s\n\n"
                        "Open it: %(item_url)s\n\n"
                        "When you open it, press “I'm on it” so the others know, and record the outcome when you "
                        "are done: it keeps escalating until then.\n\n"
                        "If the person may be in immediate danger, the moderators' guide says what to do step by "
                        "step, including when to contact emergency services: %(guide_url)s\n\n"
                        "Why you: this escalation %(who)s. This email holds nothing of what the member wrote."
                    ) % {"situation": _situation(item, minutes), "item_url": item_url, "guide_url": guide_url,
                         "who": _who(names)},
                    from_email=None,
                    recipient_list=emails,
                )

    return send
