from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = _("Moderation")

    def ready(self):
        from forum import screening

        from .screening import ModerationScreener

        # The forum's posting workflow asks moderation (and, through it, safety) about
        # every post: see forum/screening.py for why this is a seam and not an import.
        screening.install(ModerationScreener())
