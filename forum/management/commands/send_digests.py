from django.core.management.base import BaseCommand

from forum.notifications import digests_send


class Command(BaseCommand):
    help = "Email each member who chose the daily digest their unread notifications (run once a day, e.g. from cron)."

    def handle(self, *args, **options):
        sent = digests_send()
        self.stdout.write(f"Sent {sent} digest{'s' if sent != 1 else ''}.")
