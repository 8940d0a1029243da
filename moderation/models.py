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
