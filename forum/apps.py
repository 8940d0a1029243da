from django.apps import AppConfig


class ForumConfig(AppConfig):
    name = "forum"

    def ready(self):
        from accounts import preferences

        from . import checks  # noqa: F401 - registers the system checks
        from .content_warnings import HIDE_CHOICES

        preferences.register_choices("hidden_warnings", lambda: HIDE_CHOICES)
