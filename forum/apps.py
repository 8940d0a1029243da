from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = _("Forum")

    def ready(self):
        from django.db.backends.signals import connection_created

        from accounts import preferences

        from . import checks  # noqa: F401 - registers the system checks
        from .content_warnings import HIDE_CHOICES
        from .folding import register_sqlite_function

        # Search folds accents in the database (forum/folding.py); SQLite needs the function
        # on every connection, as Django's own SQLite backend adds its functions.
        connection_created.connect(register_sqlite_function, dispatch_uid="forum.folding.sqlite")

        preferences.register_choices("hidden_warnings", lambda: HIDE_CHOICES)
