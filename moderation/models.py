from django.conf import settings
from django.db import models

MODERATORS_GROUP = "Moderators"


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


class CrisisResource(models.Model):
    """A crisis line shown in the banner and on /help/. Loaded from shared SAFETY.md by a
    data migration; edited in the admin when a line changes."""

    INTERNATIONAL = "international"

    region = models.CharField(max_length=20, help_text='ISO country code (CA, US, GB, IE, AU) or "international".')
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=200, blank=True, help_text="Who it is for, in a few words.")
    call_number = models.CharField(max_length=40, blank=True)
    text_number = models.CharField(max_length=40, blank=True)
    text_keyword = models.CharField(max_length=40, blank=True)
    chat_url = models.URLField(blank=True)
    web_url = models.URLField(blank=True)
    hours = models.CharField(max_length=60, blank=True)
    languages = models.CharField(max_length=120, blank=True)
    # The region's main line is the one the banner names in its short sentence.
    is_primary = models.BooleanField(default=False)
    emergency_number = models.CharField(
        max_length=20, blank=True, help_text="The region's emergency number, on its primary line."
    )
    position = models.PositiveSmallIntegerField(default=0)
    source = models.CharField(max_length=200, blank=True, help_text="Where this was checked, and when.")

    class Meta:
        ordering = ["region", "position", "name"]

    def __str__(self):
        return f"{self.region}: {self.name}"


class WatchedWord(models.Model):
    """A word, phrase or pattern that moderators want to know about, with what to do
    when a post matches it. Edited in the admin."""

    class Action(models.TextChoices):
        BLOCK = "block", "Block: refuse the post and explain why"
        HOLD = "hold", "Hold: keep the post waiting for a moderator"
        FLAG = "flag", "Flag: publish, and put it in the review queue"

    class MatchType(models.TextChoices):
        PHRASE = "phrase", "Word or phrase (whole words, any case)"
        REGEX = "regex", "Regular expression (any case)"

    name = models.CharField(
        max_length=80, help_text="The rule's name. Members see it when their post is blocked or held."
    )
    pattern = models.TextField(help_text="The word or phrase, or a Python regular expression.")
    match_type = models.CharField(max_length=10, choices=MatchType.choices, default=MatchType.PHRASE)
    action = models.CharField(max_length=10, choices=Action.choices, default=Action.HOLD)
    explanation = models.CharField(
        max_length=300, blank=True, help_text="One kind sentence for the member on why this rule exists."
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

        from .screening import compile_rule

        try:
            compile_rule(self.match_type, self.pattern)
        except Exception as error:  # re.error, with its position
            raise ValidationError({"pattern": f"This pattern does not work: {error}"}) from error


class ReviewItem(models.Model):
    """One thing in the moderators' review queue: a post held, flagged, reported, or
    assessed as a possible crisis. At most one open item per post and kind."""

    class Kind(models.TextChoices):
        CRISIS = "crisis", "Someone may be at risk"
        REPORT = "report", "Reported by members"
        HELD = "held", "Waiting for approval"
        FLAGGED = "flagged", "Flagged by a watched word"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"

    PRIORITY_URGENT = 100
    PRIORITY_AT_RISK = 80
    PRIORITY_NORMAL = 10

    kind = models.CharField(max_length=10, choices=Kind.choices)
    post = models.ForeignKey("forum.Post", on_delete=models.CASCADE, related_name="review_items")
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
    # Crisis items: when a moderator first opened or answered it, and when the
    # moderators were emailed because nobody had.
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
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
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: post {self.post_id}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Report(models.Model):
    """A member's report on a post. One per member per post."""

    class Reason(models.TextChoices):
        AT_RISK = "at_risk", "Someone may be at risk"
        UNKIND = "unkind", "Unkind or harassment"
        SOURCING = "sourcing", "Sourcing or selling drugs"
        DANGEROUS_ADVICE = "dangerous_advice", "Dangerous medical advice (for example, stopping a medication abruptly)"
        SPAM = "spam", "Spam"
        OTHER = "other", "Something else (tell us in the note)"

    post = models.ForeignKey("forum.Post", on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.TextField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    item = models.ForeignKey(ReviewItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports")

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["post", "reporter"], name="one_report_per_member_per_post")]

    def __str__(self):
        return f"{self.get_reason_display()} on post {self.post_id}"


class Suspension(models.Model):
    """A member may read but not post or react until `ends_at`, unless lifted sooner."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suspensions")
    reason = models.TextField()
    starts_at = models.DateTimeField(auto_now_add=True)
    ends_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_by_name = models.CharField(max_length=150)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lifted_by_name = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["member", "lifted_at", "ends_at"], name="suspension_active")]

    def __str__(self):
        return f"{self.member} until {self.ends_at:%Y-%m-%d %H:%M}"


class Notice(models.Model):
    """A private message to a member about a moderation action on them or their
    content, with the reason. The notifications issue may grow this."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderation_notices")
    action = models.CharField(max_length=40)
    message = models.TextField()
    reason = models.TextField(blank=True)
    post = models.ForeignKey("forum.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    thread = models.ForeignKey("forum.Thread", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notice_unread")]

    def __str__(self):
        return f"{self.action} for {self.recipient}"
