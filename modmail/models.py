"""A private line between the team (moderators and peer supporters) and one member.

Not member-to-member messages: every conversation has exactly one member, and everyone
on the team may answer. Moderators see every conversation; peer supporters see those
about a crisis (`crisis`) and those they started.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse


class Conversation(models.Model):
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="modmail_conversations")
    subject = models.CharField(max_length=120, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_by_team = models.BooleanField(default=False)
    # The crisis item it is about (Reach out), or the one a message in it opened.
    item = models.ForeignKey(
        "moderation.ReviewItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="conversations"
    )
    # About someone who may be at risk: peer supporters can see and answer it.
    crisis = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField(auto_now_add=True)
    # Who wrote last: when the member did, the conversation waits for the team.
    last_message_from_team = models.BooleanField(default=False)

    class Meta:
        ordering = ["-last_message_at", "-pk"]
        indexes = [models.Index(fields=["member", "-last_message_at"], name="modmail_member_list")]

    def __str__(self):
        return f"{self.subject or 'Conversation'} with {self.member_id}"

    def get_absolute_url(self) -> str:
        return reverse("modmail:conversation", args=[self.pk])

    def get_team_url(self) -> str:
        return reverse("modmail:team_conversation", args=[self.pk])

    @property
    def waiting_for_team(self) -> bool:
        return not self.last_message_from_team


class Message(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    # Copied, like the moderation log's actor, so the history survives account deletion.
    author_name = models.CharField(max_length=150)
    from_team = models.BooleanField(default=False)
    body = models.TextField()
    body_html = models.TextField()
    # The member's messages are read by safety.crisis.assess, as posts are.
    crisis_level = models.CharField(max_length=10, default="none")
    # The member's inbox item for a message from the team: read once they open the conversation.
    notification = models.OneToOneField(
        "forum.Notification", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Message {self.pk} in {self.conversation_id}"

    @property
    def anchor(self) -> str:
        return f"message-{self.pk}"


class Preference(models.Model):
    """Whether a member is emailed when the team writes (the email never holds the message)."""

    member = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    email = models.BooleanField(default=True)

    def __str__(self):
        return f"{self.member_id}: email {'on' if self.email else 'off'}"
