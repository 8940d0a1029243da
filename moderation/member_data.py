"""What moderation keeps about a member: reports they made, notices they received, and
their name in the moderators' free text. See accounts/data_rights.py.

Private moderator notes about the member (MemberNote) are not in the download: they
are opinions written for the other moderators, often naming reporters and other members.
A member who asks for them under data-rights law gets them from the team, reviewed, with
other people's details taken out (docs/security.md, "Private moderator notes"). They are
deleted with the account; a note keeps its author's name, as the log keeps its actor's.

LogEntry.actor_name keeps a moderator's name by design: the log copies the actor's name
so history survives account deletion. A member who is not a moderator never appears in
the log as an actor; their name in the free text of the log is scrubbed.
"""

from accounts.data_rights import iso
from accounts.scrub import scrub_names, scrub_text
from forum import member_data as forum_member_data

from .models import LogEntry, MemberNote, Notice, OnCallShift, Report, ReviewItem

MODELS = [
    "moderation.LogEntry", "moderation.Report", "moderation.Notice", "moderation.ReviewItem", "moderation.OnCallShift",
    "moderation.MemberNote",
]
ERASED_REASON = "Words erased with the member's account"


def export(member) -> dict:
    return {
        "reports_made": [
            {"post_id": report.post_id, "reason": report.get_reason_display(), "note": report.note,
             "created_at": iso(report.created_at)}
            for report in Report.objects.filter(reporter=member).order_by("created_at", "pk")
        ],
        "notices_received": [
            {"action": notice.action, "message": notice.message, "reason": notice.reason,
             "created_at": iso(notice.created_at)}
            for notice in Notice.objects.filter(recipient=member).order_by("created_at", "pk")
        ],
        "on_call_hours": [
            {"weekday": shift.get_weekday_display(), "from": shift.starts.isoformat(), "until": shift.ends.isoformat(),
             "time_zone": shift.time_zone}
            for shift in OnCallShift.objects.filter(member=member)
        ],
    }


def erase(member, *, remove_posts: bool, names: list[str]) -> None:
    Notice.objects.filter(recipient=member).delete()
    MemberNote.objects.filter(member=member).delete()
    LogEntry.objects.filter(target_user=member, action="note_add").update(reason=ERASED_REASON)
    OnCallShift.objects.filter(member=member).delete()
    # Items about their private messages quote the words that matched: the messages are gone.
    ReviewItem.objects.filter(member=member, post__isnull=True).update(reasons=[ERASED_REASON])
    Report.objects.filter(reporter=member).update(note="")
    if remove_posts:
        # Crisis and hold reasons quote the words that matched: they go with the posts.
        ReviewItem.objects.filter(post__author=member).update(reasons=[ERASED_REASON])
        # Notices to other members about posts in the member's threads quote the titles
        # (erasure runs from the top down, so the forum's titles are still there to find).
        scrub_text(Notice, ["message"], forum_member_data.quoted_titles(member), f"“{forum_member_data.REMOVED_TITLE}”")
    for model, fields in (
        (LogEntry, ["reason"]),
        (Notice, ["reason", "message"]),
        (Report, ["note"]),
        (MemberNote, ["text"]),
    ):
        scrub_names(model, fields, names)
