"""The private moderator notes about one member, for a data-rights request
(docs/security.md, "Private moderator notes"): JSON on standard output, for a staff
member to review and remove other people's details from before sending it.

    python manage.py member_notes_export alice > notes-for-alice.json
"""

import json

from django.core.management.base import BaseCommand, CommandError

from accounts.data_rights import iso
from accounts.models import User
from moderation.models import MemberNote


class Command(BaseCommand):
    help = "Print the private moderator notes about one member as JSON, for a data-rights request."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        member = User.objects.filter(username__iexact=username, is_former=False).first()
        if member is None:
            raise CommandError(f"No member called {username!r}.")
        notes = [
            {"written_at": iso(note.created_at), "text": note.text}
            for note in MemberNote.objects.filter(member=member).order_by("created_at", "pk")
        ]
        # The authors' names are left out: a moderator's identity is another person's
        # data, and the member asked for what was written about them.
        self.stdout.write(json.dumps({"member": member.username, "moderator_notes": notes}, indent=2,
                                     ensure_ascii=False))
