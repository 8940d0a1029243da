from django.apps import AppConfig


class ModmailConfig(AppConfig):
    name = "modmail"
    verbose_name = "Private messages with the team"
