from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyConfig(AppConfig):
    name = "safety"
    verbose_name = _("Safety")

    def ready(self):
        from accounts import preferences
        from forum import page_cache

        from . import resources

        preferences.register_choices("region", resources.region_choices_with_default)
        # Every page shows the reader's crisis lines: a page kept for anonymous readers is
        # kept per region and per version of those lines.
        page_cache.page_varies_on(resources.page_variant)
