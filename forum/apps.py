from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = _("Forum")

    def ready(self):
        from accounts import preferences

        from . import checks  # noqa: F401 - registers the system checks
        from .content_warnings import HIDE_CHOICES

        preferences.register_choices("hidden_warnings", lambda: HIDE_CHOICES)
