"""Live private messages, through forum.broadcast after the commit.

- to the member's own sockets (`user-<id>`, handler member.event):
  modmail.message {conversation_id, message_id, html}   html: the message as the member sees it
- to the team (the moderators' group; the peer supporters' too for a crisis conversation,
  handler moderation.event):
  modmail.message {conversation_id, message_id, html, from_team, member, url}
"""

from django.template.loader import render_to_string
from django.urls import reverse

from forum import broadcast
from forum.notifications import absolute_url

MEMBER_HANDLER = "member.event"
TEAM_HANDLER = "moderation.event"


def message_added(message_id: int) -> None:
    def load():
        from .models import Message

        return Message.objects.select_related("conversation__member").filter(pk=message_id).first()

    def for_member():
        message = load()
        if message is None:
            return None
        html = render_to_string("modmail/_message.html", {"message": message, "perspective": "member"})
        return {"type": "modmail.message", "conversation_id": message.conversation_id, "message_id": message.pk,
                "html": html}

    def for_team(peer_supporters: bool):
        def build():
            message = load()
            if message is None or (peer_supporters and not message.conversation.crisis):
                return None
            html = render_to_string("modmail/_message.html", {"message": message, "perspective": "team"})
            return {"type": "modmail.message", "conversation_id": message.conversation_id, "message_id": message.pk,
                    "html": html, "from_team": message.from_team, "member": message.conversation.member.public_name,
                    "url": absolute_url(reverse("modmail:team_conversation", args=[message.conversation_id]))}

        return build

    from .models import Message

    member_id = Message.objects.filter(pk=message_id).values_list("conversation__member_id", flat=True).first()
    if member_id:
        broadcast.send_on_commit(broadcast.user_group(member_id), for_member, handler=MEMBER_HANDLER)
    broadcast.send_on_commit(broadcast.MODERATORS, for_team(False), handler=TEAM_HANDLER)
    broadcast.send_on_commit(broadcast.PEER_SUPPORTERS, for_team(True), handler=TEAM_HANDLER)
