from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Category(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.CharField(max_length=300, blank=True)
    safety_notice = models.TextField(
        blank=True, help_text=_("Markdown, shown at the top of the category and of each of its threads.")
    )
    safety_notice_html = models.TextField(blank=True, editable=False)
    position = models.PositiveSmallIntegerField(default=0)
    # Emails about posts here carry the subject and a link, not the post's text, unless
    # the member asks for the text. Every seeded category touches sensitive topics.
    is_sensitive = models.BooleanField(
        default=True, help_text=_("Emails about posts here leave out the post's text unless the member asks for it.")
    )
    # Readers who are not signed in see that the category exists, never its threads.
    members_only = models.BooleanField(
        default=False, help_text=_("Only signed-in members can read threads here; they stay out of feeds and search.")
    )
    # The same in French, shown to readers reading in French (display_name and the others);
    # blank: the English is shown.
    name_fr = models.CharField(max_length=80, blank=True)
    description_fr = models.CharField(max_length=300, blank=True)
    safety_notice_fr = models.TextField(blank=True, help_text=_("The safety notice in French, in Markdown."))
    safety_notice_fr_html = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name

    # What readers see, in their language where the category has it. Templates show these
    # in a `data-localized` container (localized from the database, not the catalog).
    @property
    def display_name(self) -> str:
        return self.name_fr if self.name_fr and _reading_french() else self.name

    @property
    def display_description(self) -> str:
        return self.description_fr if self.description_fr and _reading_french() else self.description

    @property
    def display_safety_notice_html(self) -> str:
        """Sanitized when written (forum/markup.py), like safety_notice_html."""
        if self.safety_notice_fr_html and _reading_french():
            return self.safety_notice_fr_html
        return self.safety_notice_html

    def get_absolute_url(self):
        return reverse("forum:category", args=[self.slug])


def _reading_french() -> bool:
    return (get_language() or "").startswith("fr")


class Visibility(models.TextChoices):
    PUBLISHED = "published", _("Published")
    PENDING = "pending", _("Waiting for a moderator")
    HIDDEN = "hidden", _("Hidden by a moderator")
    REMOVED = "removed", _("Removed by its author")


class Thread(models.Model):
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="threads")
    title = models.CharField(max_length=150)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="threads"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_activity_at = models.DateTimeField(db_index=True)
    # Published replies only (the opening post is not a reply). Changed with F().
    reply_count = models.PositiveIntegerField(default=0)
    pinned = models.BooleanField(default=False)
    locked = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PUBLISHED)
    content_warning = models.CharField(max_length=100, blank=True)
    # Bumped by every write that changes what the thread page shows; part of the key of
    # the page's cached fragments, so a write invalidates them in every process at once.
    version = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["category", "status", "-pinned", "-last_activity_at"], name="thread_listing"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("forum:thread", args=[self.pk])


class Post(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="posts"
    )
    is_opening = models.BooleanField(default=False)
    # The reply tree. `root` is the top-level reply a post hangs under (itself for a
    # top-level reply), so a page of top-level replies fetches its subtrees in one query.
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    root = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    depth = models.PositiveSmallIntegerField(default=0)
    body = models.TextField()
    body_html = models.TextField()
    content_warning = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PUBLISHED)
    # Set from moderation.crisis.assess when the post is written or edited: "none",
    # "concern" or "urgent". Readers see a small support note under concern and urgent.
    crisis_level = models.CharField(max_length=10, default="none")
    # When the author of a crisis-flagged post said "I'm safe for now" (shown on the post).
    safe_for_now_at = models.DateTimeField(null=True, blank=True)
    # When the post's text or status last changed after it was written (an edit, a
    # removal, a moderator's hide, unhide or approval): a reconnecting reader's catch-up
    # asks for what changed since it last looked.
    changed_at = models.DateTimeField(null=True, blank=True)
    # Supportive reactions, counted here so a page shows them without a query; changed
    # with F() by forum.reactions.reaction_toggle.
    support_count = models.PositiveIntegerField(default=0)
    me_too_count = models.PositiveIntegerField(default=0)
    helped_count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["thread", "is_opening", "depth", "id"], name="post_top_level"),
            models.Index(fields=["root", "id"], name="post_subtree"),
            models.Index(fields=["thread", "changed_at"], name="post_changed"),
        ]

    def __str__(self):
        return f"Post {self.pk} in {self.thread_id}"

    def get_absolute_url(self):
        return reverse("forum:post", args=[self.pk])

    @property
    def anchor(self) -> str:
        return f"post-{self.pk}"


class PostRevision(models.Model):
    """An earlier version of a post, kept for moderators when the post is edited."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    body_html = models.TextField()
    written_at = models.DateTimeField(help_text=_("When this version was written."))
    replaced_at = models.DateTimeField(auto_now_add=True)
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    editor_name = models.CharField(max_length=150)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-replaced_at"]


# --- Following, notifications, reactions (issue 6) ---------------------------------------


class FollowLevel(models.TextChoices):
    WATCHING = "watching", pgettext_lazy("how closely a member follows a thread", "Watching")
    TRACKING = "tracking", pgettext_lazy("how closely a member follows a thread", "Tracking")
    MUTED = "muted", pgettext_lazy("how closely a member follows a thread", "Muted")


class ThreadFollow(models.Model):
    """One row per member and thread: how closely they follow it (blank until they
    choose, reply or start it) and the newest post they have read there."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thread_follows")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="follows")
    level = models.CharField(max_length=10, choices=FollowLevel.choices, blank=True, default="")
    last_read_post_id = models.PositiveBigIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "thread"], name="thread_follow_once")]
        indexes = [models.Index(fields=["thread", "level"], name="thread_follow_level")]

    def __str__(self):
        return f"{self.member_id} {self.level or 'reading'} {self.thread_id}"


class CategoryWatch(models.Model):
    """A member who wants to hear about every new thread in a category."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="category_watches")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="watches")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "category"], name="category_watch_once")]


class Notification(models.Model):
    class Kind(models.TextChoices):
        REPLY = "reply", _("Reply to your post")
        WATCHED = "watched", _("New reply in a thread you watch")
        MENTION = "mention", pgettext_lazy("notification kind", "Mention")
        NEW_THREAD = "new_thread", _("New thread in a category you watch")
        MODERATION = "moderation", _("From the moderators")
        SAFE_FOR_NOW = "safe_for_now", _("Someone you answered says they are safe for now")
        MESSAGE = "message", _("A private message")
        SUPPORT = "support", _("Support for your post")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    thread = models.ForeignKey(Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # A message from the moderators (kind MODERATION): what happened, and why.
    message = models.TextField(blank=True)
    reason = models.TextField(blank=True)
    # Where it leads, for kinds that are not about a post (a private message from the team).
    link = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set once an email (single or digest) has gone out for it, or was never due.
    emailed_at = models.DateTimeField(null=True, blank=True)
    # Kind SUPPORT gathers reactions while unread: how many people sent them (never who).
    count = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
        ]

    def __str__(self):
        return f"{self.kind} for {self.recipient_id}"

    @staticmethod
    def visible_q() -> models.Q:
        """Notifications whose subject the recipient can still see: messages from the
        moderators and private messages always; others while their post and thread are published."""
        return models.Q(kind__in=[Notification.Kind.MODERATION, Notification.Kind.MESSAGE]) | models.Q(
            post__status=Visibility.PUBLISHED, thread__status=Visibility.PUBLISHED
        )


class ReactionKind(models.TextChoices):
    SUPPORT = "support", _("Sending support")
    ME_TOO = "me_too", _("Me too")
    HELPED = "helped", _("This helped")


# Each kind's count, kept on the post (forum.reactions) so pages show counts without a query.
REACTION_COUNT_FIELDS = {
    ReactionKind.SUPPORT: "support_count",
    ReactionKind.ME_TOO: "me_too_count",
    ReactionKind.HELPED: "helped_count",
}


class Reaction(models.Model):
    """One of each kind per member and post. Who reacted is never shown, only counts."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reactions")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    kind = models.CharField(max_length=10, choices=ReactionKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "post", "kind"], name="reaction_once")]


# --- Drafts and blocks (issue 16) ------------------------------------------------------


class Draft(models.Model):
    """What a member is writing, saved as they type, so a reload, an email confirmation
    or another device loses nothing. One per member and place (`key`, see forum.drafts);
    it goes when the post is sent or the member discards it, never on its own."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drafts")
    key = models.CharField(max_length=60)
    title = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    content_warning = models.CharField(max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "key"], name="draft_once_per_place")]

    def __str__(self):
        return f"Draft {self.key} of {self.member_id}"


class Block(models.Model):
    """`member` blocked `blocked`: their posts fold away for the member, they cannot reply
    to the member's posts, and nothing they do notifies the member."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks")
    blocked = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocked_by")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "blocked"], name="block_once"),
            models.CheckConstraint(condition=~models.Q(member=models.F("blocked")), name="block_not_self"),
        ]
        indexes = [models.Index(fields=["blocked", "member"], name="block_received")]

    def __str__(self):
        return f"{self.member_id} blocked {self.blocked_id}"
