from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyConfig(AppConfig):
    name = "safety"
    verbose_name = _("Safety")

    def ready(self):
        from accounts import preferences

        from . import resources

        preferences.register_choices("region", resources.region_choices_with_default)
