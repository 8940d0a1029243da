"""Email the moderators about urgent crisis items nobody has opened in time.

Run it every minute or two from cron or a systemd timer, e.g.
    * * * * *  cd /srv/forum && .venv/bin/python manage.py escalate_crisis_items
"""

from django.core.management.base import BaseCommand

from moderation.services import crisis_items_escalate


class Command(BaseCommand):
    help = "Email the moderators about urgent crisis items that no moderator has acknowledged in time."

    def handle(self, *args, **options):
        count = crisis_items_escalate()
        self.stdout.write(f"Escalated {count} urgent item{'s' if count != 1 else ''}.")
