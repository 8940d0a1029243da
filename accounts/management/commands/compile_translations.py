"""Compile every locale/<lang>/LC_MESSAGES/*.po into the .mo files Django reads.

The same as `manage.py compilemessages`, without needing GNU gettext on the machine:
`make run` and `make test` call it, so a fresh clone serves French with no extra step.
(Extracting new strings, `makemessages`, still needs gettext; translators have it.)"""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile the translations (.po to .mo) without GNU gettext."

    def handle(self, *args, **options):
        compiled = 0
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
                compiled += 1
        self.stdout.write(f"Compiled {compiled} translation file(s).")
