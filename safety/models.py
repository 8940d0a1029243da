from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CrisisResource(models.Model):
    """A crisis line shown in the banner and on /help/. Loaded by a data migration from the
    lines in docs/safety-reference.md, each with its source; moderators keep them at
    /moderation/rules/crisis-lines/ (moderation.services.rules: source required, logged)."""

    INTERNATIONAL = "international"

    region = models.CharField(max_length=20, help_text=_('ISO country code (CA, US, GB, IE, AU) or "international".'))
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=200, blank=True, help_text=_("Who it is for, in a few words."))
    call_number = models.CharField(max_length=40, blank=True)
    text_number = models.CharField(max_length=40, blank=True)
    text_keyword = models.CharField(max_length=40, blank=True)
    chat_url = models.URLField(blank=True)
    web_url = models.URLField(blank=True)
    hours = models.CharField(max_length=60, blank=True)
    # Language codes the line answers in, comma-separated ("en,fr"); blank when the
    # service does not say. A reader who reads French sees lines that answer in French first.
    languages = models.CharField(
        max_length=60, blank=True, help_text=_('Language codes the line answers in, comma-separated: "en,fr".')
    )
    # The service's own French name and a French description, shown to French readers.
    name_fr = models.CharField(max_length=120, blank=True)
    description_fr = models.CharField(max_length=200, blank=True)
    # The region's main line is the one the banner names in its short sentence.
    is_primary = models.BooleanField(default=False)
    emergency_number = models.CharField(
        max_length=20, blank=True, help_text=_("The region's emergency number, on its primary line.")
    )
    position = models.PositiveSmallIntegerField(default=0)
    source = models.CharField(max_length=200, blank=True, help_text=_("Where this was checked, and when."))

    class Meta:
        ordering = ["region", "position", "name"]

    def __str__(self):
        return f"{self.region}: {self.name}"


class SafetyPlan(models.Model):
    """A member's own safety plan, in the steps of the Stanley-Brown Safety Planning
    Intervention (docs/safety-reference.md). Private: only the member sees it. It is not
    in the admin and no moderator page shows it; the member may print it or copy it as
    text to share it themselves. Exported and erased with the account
    (safety/member_data.py). The steps are listed in safety/safety_plan.py."""

    member = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="safety_plan")
    warning_signs = models.TextField(blank=True)
    coping_alone = models.TextField(blank=True)
    distractions = models.TextField(blank=True)
    people_to_ask = models.TextField(blank=True)
    professionals = models.TextField(blank=True)
    safer_surroundings = models.TextField(blank=True)
    reasons_for_living = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Safety plan of member {self.member_id}"
