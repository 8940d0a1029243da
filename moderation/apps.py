from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"

    def ready(self):
        from forum import screening

        from .screening import ModerationScreener

        # The forum's posting workflow asks moderation (and, through it, safety) about
        # every post: see forum/screening.py for why this is a seam and not an import.
        screening.install(ModerationScreener())
