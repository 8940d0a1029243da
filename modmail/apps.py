from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModmailConfig(AppConfig):
    name = "modmail"
    verbose_name = _("Private messages with the team")
