"""What private messages keep about a member: their conversations with the team (every
message in them), their email preference, and what they wrote for the team if they were
on it. See accounts/data_rights.py.

Erasing the account deletes the member's conversations outright. Messages they wrote as
part of the team stay with the member they were written to, under "a former team member",
and their name is scrubbed from everyone's messages.
"""

from accounts.data_rights import iso
from accounts.scrub import scrub_names

from .models import Conversation, Message, Preference

MODELS = ["modmail.Conversation", "modmail.Message", "modmail.Preference"]
FORMER_TEAM_MEMBER = "a former team member"


def export(member) -> dict:
    conversations = Conversation.objects.filter(member=member).prefetch_related("messages").order_by("created_at")
    return {
        "private_messages_with_the_team": [
            {
                "subject": conversation.subject,
                "started_at": iso(conversation.created_at),
                "messages": [
                    {"from": "you" if not message.from_team else f"{message.author_name} (the team)",
                     "body": message.body, "sent_at": iso(message.created_at)}
                    for message in conversation.messages.all()
                ],
            }
            for conversation in conversations
        ],
        "private_messages_written_for_the_team": [
            {"conversation_subject": message.conversation.subject, "body": message.body,
             "sent_at": iso(message.created_at)}
            for message in Message.objects.filter(author=member, from_team=True)
            .exclude(conversation__member=member).select_related("conversation").order_by("created_at")
        ],
        "private_message_settings": {
            "email_when_the_team_writes": Preference.objects.filter(member=member)
            .values_list("email", flat=True).first() is not False,
        },
    }


def erase(member, *, remove_posts: bool, names: list[str]) -> None:
    Conversation.objects.filter(member=member).delete()
    Preference.objects.filter(member=member).delete()
    Message.objects.filter(author=member).update(author=None, author_name=FORMER_TEAM_MEMBER)
    Message.objects.filter(author_name__in=names).update(author_name=FORMER_TEAM_MEMBER)
    scrub_names(Message, ["body", "body_html"], names)
    scrub_names(Conversation, ["subject"], names)
