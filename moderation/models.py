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
