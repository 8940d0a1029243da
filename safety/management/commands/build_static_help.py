"""Write the pages the proxy serves when no worker answers: a copy of /help/ and the
503 page, one of each per region, with the crisis lines shipped in the repository.

    python manage.py build_static_help            # into settings.OFFLINE_PAGES_ROOT
    python manage.py build_static_help --output /srv/forum/offline

Run it at every deploy, after collectstatic (the pages link the collected stylesheet).
docs/deploy.md shows the proxy configuration that picks a reader's region.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.template.loader import render_to_string
from django.utils import timezone

from safety import errors, resources

PAGES = {"help": "errors/help_offline.html", "503": "errors/503.html"}


class Command(BaseCommand):
    help = "Write static copies of /help/ and the 503 page, per region, for the proxy."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(settings.OFFLINE_PAGES_ROOT))

    def handle(self, *args, output, **options):
        folder = Path(output)
        folder.mkdir(parents=True, exist_ok=True)
        default = resources.UNKNOWN  # the proxy's fallback when it knows no region
        written = []
        for region, _name in resources.shipped_regions():
            context = {**errors.offline_context(region), "built_on": timezone.now()}
            for page, template in PAGES.items():
                html = render_to_string(template, context)
                names = [f"{page}-{region}.html"] + ([f"{page}.html"] if region == default else [])
                for name in names:
                    (folder / name).write_text(html, encoding="utf-8")
                    written.append(name)
        self.stdout.write(f"Wrote {len(written)} pages to {folder}: {', '.join(sorted(written))}")
