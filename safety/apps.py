from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "safety"
    verbose_name = "Safety"

    def ready(self):
        from accounts import preferences

        from . import resources

        preferences.register_choices("region", resources.region_choices_with_default)
