from django.contrib.auth.models import AbstractUser
from django.db import models

FORMER_MEMBER_NAME = "former member"


class User(AbstractUser):
    """A member. The username is their public pseudonym; the email is never shown."""

    # Denormalised so the thread page can show it beside each post without a query.
    post_count = models.PositiveIntegerField(default=0)
    region = models.CharField(
        max_length=20,
        blank=True,
        help_text="Country code for the crisis lines this member sees, e.g. CA or GB.",
    )
    guidelines_accepted_at = models.DateTimeField(null=True, blank=True)
    # Reading settings: open every content warning, or leave threads carrying the
    # chosen warnings (keys from forum.content_warnings) out of the lists.
    always_expand_warnings = models.BooleanField(default=False)
    hidden_warnings = models.JSONField(default=list, blank=True)
    # Set when a member deletes their account: the row stays so their posts keep
    # their place, but every personal field is erased.
    is_former = models.BooleanField(default=False)
    # Notification emails: off unless the member asks, then one per notification or a
    # daily digest. Posts from sensitive categories are emailed as subject and link only,
    # unless the member also asks for the text.
    EMAIL_OFF, EMAIL_EACH, EMAIL_DAILY = "off", "each", "daily"
    NOTIFICATION_EMAIL_CHOICES = [
        (EMAIL_OFF, "No emails, I'll check my inbox here"),
        (EMAIL_EACH, "An email for each notification"),
        (EMAIL_DAILY, "One email a day with everything new"),
    ]
    notification_email = models.CharField(max_length=10, choices=NOTIFICATION_EMAIL_CHOICES, default=EMAIL_OFF)
    email_post_text = models.BooleanField(default=False)

    class Meta:
        db_table = "accounts_user"

    @property
    def public_name(self) -> str:
        return FORMER_MEMBER_NAME if self.is_former else self.username
