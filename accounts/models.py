from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from . import names

# Stored in English where it replaces a name in other people's text (accounts/scrub.py);
# shown in the reader's language as a member's name (User.public_name).
FORMER_MEMBER_NAME = gettext_noop("former member")


class User(AbstractUser):
    """A member. The username is their public pseudonym; the email is never shown."""

    # Denormalised so the thread page can show it beside each post without a query.
    post_count = models.PositiveIntegerField(default=0)
    region = models.CharField(
        max_length=20,
        blank=True,
        help_text=_("Country code for the crisis lines this member sees, e.g. CA or GB."),
    )
    guidelines_accepted_at = models.DateTimeField(null=True, blank=True)
    # Reading settings: open every content warning, or leave threads carrying the
    # chosen warnings (keys from forum.content_warnings) out of the lists.
    always_expand_warnings = models.BooleanField(default=False)
    hidden_warnings = models.JSONField(default=list, blank=True)
    # Comfort mode, for bad days: every thread and post with a content warning, and every
    # post from someone who may be at risk, is left out of what the member reads.
    comfort_mode = models.BooleanField(default=False)
    # Set when a member deletes their account: the row stays so their posts keep
    # their place, but every personal field is erased.
    is_former = models.BooleanField(default=False)
    # Notification emails: off unless the member asks, then one per notification or a
    # daily digest. Posts from sensitive categories are emailed as subject and link only,
    # unless the member also asks for the text.
    EMAIL_OFF, EMAIL_EACH, EMAIL_DAILY = "off", "each", "daily"
    NOTIFICATION_EMAIL_CHOICES = [
        (EMAIL_OFF, _("No emails, I'll check my inbox here")),
        (EMAIL_EACH, _("An email for each notification")),
        (EMAIL_DAILY, _("One email a day with everything new")),
    ]
    notification_email = models.CharField(max_length=10, choices=NOTIFICATION_EMAIL_CHOICES, default=EMAIL_OFF)
    email_post_text = models.BooleanField(default=False)
    # The language pages and emails use for this member; blank: their browser's (or the
    # footer's switch). See accounts/middleware.py.
    language = models.CharField(max_length=10, blank=True, choices=settings.LANGUAGES)
    # What the name looks like (accounts/names.py): signup refuses a name that shares a
    # key with any member's, a former member's included, who keeps the keys of the name
    # they had. Digests, so the erased name itself is not kept.
    name_key = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    name_key_folded = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    # Privacy: a profile lists the member's recent posts only if they choose to show them.
    show_activity = models.BooleanField(default=False)
    # "3 people sent support": reactions to the member's posts, gathered in one notification.
    notify_reactions = models.BooleanField(default=True)

    class Meta:
        db_table = "accounts_user"

    def save(self, *args, **kwargs):
        # Derived from the username, so kept here, where every way of writing a name
        # passes (signup, the admin, createsuperuser). A former member's row keeps the
        # keys of the name they gave up: their new "former-…" name has none.
        if not self.is_former:
            self.name_key, self.name_key_folded = names.name_keys(self.username)
            update_fields = kwargs.get("update_fields")
            if update_fields is not None and "username" in update_fields:
                kwargs["update_fields"] = {*update_fields, "name_key", "name_key_folded"}
        super().save(*args, **kwargs)

    @property
    def public_name(self) -> str:
        return gettext(FORMER_MEMBER_NAME) if self.is_former else self.username


class SuspensionQuerySet(models.QuerySet):
    def running(self, now=None):
        return self.filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now or timezone.now()), lifted_at__isnull=True)


class Suspension(models.Model):
    """A sanction on a member: silenced, suspended or banned, until `ends_at` (none: until
    a moderator lifts it), unless lifted sooner. Every kind stops posting, replying and
    reacting; every kind leaves the member able to read, to write to the moderators (to
    appeal) and to download or delete their data. Silence and ban also stop reporting;
    a ban also closes the members-only categories, following and the member's own live
    socket, and never ends by itself. At most one runs at a time: a new kind replaces
    the running one (moderation.services.members).

    Moderators set and lift sanctions (moderation.services); it lives here, with the
    member, because every layer asks whether a member may post."""

    class Kind(models.TextChoices):
        SILENCE = "silence", _("Silenced")
        SUSPEND = "suspend", _("Suspended")
        BAN = "ban", _("Banned")

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suspensions")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SUSPEND)
    reason = models.TextField()
    starts_at = models.DateTimeField(auto_now_add=True)
    # None: until a moderator lifts it (a ban, or a silence without a length).
    ends_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_by_name = models.CharField(max_length=150)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lifted_by_name = models.CharField(max_length=150, blank=True)

    objects = SuspensionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["member", "lifted_at", "ends_at"], name="suspension_active")]

    def __str__(self):
        until = f"{self.ends_at:%Y-%m-%d %H:%M}" if self.ends_at else "lifted"
        return f"{self.member} {self.kind} until {until}"

    def runs(self, now=None) -> bool:
        return self.lifted_at is None and unlifted_runs(self.ends_at, now)


def unlifted_runs(ends_at, now=None) -> bool:
    """Whether a sanction nobody lifted still runs: until its end, or for good without one."""
    return ends_at is None or ends_at > (now or timezone.now())


# A ban (no end) first, then the latest-ending.
RUNNING_FIRST = (F("ends_at").desc(nulls_first=True), "-pk")


def running_suspension(member, now=None) -> Suspension | None:
    """The member's sanction that runs now, or None."""
    if not getattr(member, "is_authenticated", False):
        return None
    return Suspension.objects.running(now).filter(member=member).order_by(*RUNNING_FIRST).first()
