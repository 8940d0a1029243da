from django.conf import settings
from django.db import models
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Suspension  # noqa: F401 - the member's standing lives with the member
from accounts.roles import MODERATORS_GROUP, PEER_SUPPORTERS_GROUP  # noqa: F401 - the groups, named once in accounts


class LogEntry(models.Model):
    """One row per moderation action, append-only. The actor's name is copied so the
    history survives the deletion of their account."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField(max_length=150)
    action = models.CharField(max_length=40)
    target_type = models.CharField(max_length=20)
    target_id = models.PositiveBigIntegerField()
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "moderation log entry"
        verbose_name_plural = "moderation log"
        permissions = [("moderate", "Can moderate the forum")]

    def __str__(self):
        return f"{self.actor_name} {self.action} {self.target_type} {self.target_id}"


class WatchedWord(models.Model):
    """A word, phrase or pattern that moderators want to know about, with what to do
    when a post matches it. Moderators keep them at /moderation/rules/ (moderation.services.rules)."""

    class Action(models.TextChoices):
        BLOCK = "block", _("Block: refuse the post and explain why")
        HOLD = "hold", _("Hold: keep the post waiting for a moderator")
        FLAG = "flag", _("Flag: publish, and put it in the review queue")

    class MatchType(models.TextChoices):
        PHRASE = "phrase", _("Word or phrase (whole words, any case)")
        REGEX = "regex", _("Regular expression (any case)")

    name = models.CharField(
        max_length=80, help_text=_("The rule's name. Members see it when their post is blocked or held.")
    )
    pattern = models.TextField(help_text=_("The word or phrase, or a Python regular expression."))
    match_type = models.CharField(max_length=10, choices=MatchType.choices, default=MatchType.PHRASE)
    action = models.CharField(max_length=10, choices=Action.choices, default=Action.HOLD)
    explanation = models.CharField(
        max_length=300, blank=True, help_text=_("One kind sentence for the member on why this rule exists.")
    )
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        from .rules import compile_rule

        try:
            compile_rule(self.match_type, self.pattern)
        except Exception as error:  # re.error, with its position
            raise ValidationError(
                {"pattern": _("This pattern does not work: %(error)s") % {"error": error}}
            ) from error


class ReviewItem(models.Model):
    """One thing in the moderators' review queue: a post held, flagged, reported, or
    assessed as a possible crisis. At most one open item per post and kind.

    A crisis item may also come from a private message to the team (modmail), with no
    post: `member` is always the person it is about. Crisis items are acknowledged
    ("someone is on it") and then resolved with an outcome; they escalate until then."""

    class Kind(models.TextChoices):
        CRISIS = "crisis", _("Someone may be at risk")
        REPORT = "report", _("Reported by members")
        HELD = "held", _("Waiting for approval")
        FLAGGED = "flagged", _("Flagged by a watched word")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("moderation item status", "Open")
        RESOLVED = "resolved", _("Resolved")

    class Outcome(models.TextChoices):
        """How a crisis item ended. Shown apart from disciplinary history, always."""

        REACHED_OUT = "reached_out", _("We reached out (a private message or a reply in the thread)")
        EMERGENCY_SERVICES = "emergency_services", _("Passed to emergency services")
        NO_RISK = "no_risk", _("No risk: read in context, nobody is in danger")

    PRIORITY_URGENT = 100
    PRIORITY_AT_RISK = 80
    PRIORITY_NORMAL = 10

    kind = models.CharField(max_length=10, choices=Kind.choices)
    post = models.ForeignKey(
        "forum.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="review_items"
    )
    # Who the item is about: the post's author, or the member who wrote to the team.
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    priority = models.PositiveSmallIntegerField(default=PRIORITY_NORMAL)
    # Why it is here, in words a moderator reads at a glance: rules matched, report reasons.
    reasons = models.JSONField(default=list, blank=True)
    crisis_level = models.CharField(max_length=10, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_by_name = models.CharField(max_length=150, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Crisis items: when someone said "I'm on it" (opening the item is not enough), when
    # the responders were last emailed because nobody had, or because no outcome came,
    # and how many times since it was opened or acknowledged.
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_by_name = models.CharField(max_length=150, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalation_count = models.PositiveSmallIntegerField(default=0)
    # Set when the post was hidden automatically by the report threshold.
    auto_hidden = models.BooleanField(default=False)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_by_name = models.CharField(max_length=150, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-priority", "created_at", "pk"]
        indexes = [models.Index(fields=["status", "-priority", "created_at"], name="review_queue")]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "kind"], condition=models.Q(status="open"), name="one_open_item_per_post_and_kind"
            ),
            # One post, one item: held, flagged and reported share it, with every reason
            # listed. Crisis care keeps its own item (its outcomes are about a person, and
            # peer supporters see it), linked from the post's item.
            models.UniqueConstraint(
                fields=["post"], condition=models.Q(status="open") & ~models.Q(kind="crisis"),
                name="one_open_review_item_per_post",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: post {self.post_id}"

    def claim_is_live(self, now=None) -> bool:
        """A claim lapses when its holder has done nothing with the item for
        MODERATION_CLAIM_IDLE seconds; anyone may then take it."""
        from datetime import timedelta

        from django.utils import timezone

        if self.claimed_by_id is None or self.claimed_at is None:
            return False
        now = now or timezone.now()
        return self.claimed_at > now - timedelta(seconds=settings.MODERATION_CLAIM_IDLE)

    @property
    def live_claim_name(self) -> str:
        """Who holds the item now ("" when nobody does, or the claim lapsed)."""
        return self.claimed_by_name if self.claim_is_live() else ""

    def save(self, *args, **kwargs):
        # Who it is about, whoever opened it: a post's item is about the post's author.
        if self.member_id is None and self.post_id is not None:
            self.member_id = type(self).post.field.related_model.objects.filter(pk=self.post_id).values_list(
                "author_id", flat=True).first()
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_crisis(self) -> bool:
        return self.kind == self.Kind.CRISIS

    @property
    def outcome_label(self) -> str:
        if self.resolution in self.Outcome.values:
            return self.Outcome(self.resolution).label
        return self.resolution.replace("_", " ")


class OnCallShift(models.Model):
    """Hours a crisis responder covers each week, in their own time zone. A shift whose
    end is not after its start runs past midnight into the next day. Escalation emails
    whoever is on call first (moderation.oncall)."""

    class Weekday(models.IntegerChoices):
        # Django's own weekday names, translated in its catalogs.
        MONDAY = 0, WEEKDAYS[0]
        TUESDAY = 1, WEEKDAYS[1]
        WEDNESDAY = 2, WEEKDAYS[2]
        THURSDAY = 3, WEEKDAYS[3]
        FRIDAY = 4, WEEKDAYS[4]
        SATURDAY = 5, WEEKDAYS[5]
        SUNDAY = 6, WEEKDAYS[6]

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="on_call_shifts")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    starts = models.TimeField()
    ends = models.TimeField()
    time_zone = models.CharField(max_length=64, default="UTC")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["member_id", "weekday", "starts", "pk"]

    def __str__(self):
        return f"{self.member} {self.get_weekday_display()} {self.starts:%H:%M}-{self.ends:%H:%M} {self.time_zone}"


class Report(models.Model):
    """A member's report on a post. One per member per post. Its weight (how much it
    counts toward hiding the post before a moderator looks) is fixed when it is made,
    from the reporter's standing and earlier reports (moderation.services.reports); its
    outcome is set when a moderator closes the item: upheld, rejected or ignored."""

    class Outcome(models.TextChoices):
        PENDING = "", _("Waiting for a moderator")
        UPHELD = "upheld", _("Upheld")
        REJECTED = "rejected", _("Rejected")
        IGNORED = "ignored", _("Ignored")

    class Reason(models.TextChoices):
        AT_RISK = "at_risk", _("Someone may be at risk")
        UNKIND = "unkind", _("Unkind or harassment")
        SOURCING = "sourcing", _("Sourcing or selling drugs")
        DANGEROUS_ADVICE = "dangerous_advice", _(
            "Dangerous medical advice (for example, stopping a medication abruptly)"
        )
        SPAM = "spam", _("Spam")
        OTHER = "other", _("Something else (tell us in the note)")

    post = models.ForeignKey("forum.Post", on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.TextField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    item = models.ForeignKey(ReviewItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports")
    weight = models.FloatField(default=0.0)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.PENDING, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["post", "reporter"], name="one_report_per_member_per_post")]

    def __str__(self):
        return f"{self.get_reason_display()} on post {self.post_id}"


class Notice(models.Model):
    """A private message to a member about a moderation action on them or their
    content, with the reason. It reaches their inbox as `notification`, whose read_at
    is the one record of whether they have read it."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderation_notices")
    action = models.CharField(max_length=40)
    message = models.TextField()
    reason = models.TextField(blank=True)
    post = models.ForeignKey("forum.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    thread = models.ForeignKey("forum.Thread", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    notification = models.OneToOneField(
        "forum.Notification", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.action} for {self.recipient}"


class MemberNote(models.Model):
    """A private note by a moderator about a member, for the other moderators: never
    shown to the member, not even in their data download (docs/security.md, "Private
    moderator notes"). The reason a member is told goes in a Notice, never here."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # Copied, like the log's actor name, so the note keeps its author after their account goes.
    author_name = models.CharField(max_length=150)
    text = models.TextField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["member", "-created_at"], name="member_notes")]

    def __str__(self):
        return f"Note on {self.member_id} by {self.author_name}"
