"""Reads the private-message pages share. Each runs a fixed number of queries, whatever the rows."""

from django.db.models import Q

from forum.permissions import viewer_for

from .models import Conversation, Message


def member_conversations(member):
    return Conversation.objects.filter(member=member).order_by("-last_message_at", "-pk")


def team_conversations(user, *, waiting_only: bool = False):
    """The conversations this team member may see, newest activity first."""
    viewer = viewer_for(user)
    conversations = Conversation.objects.select_related("member", "item")
    if not viewer.is_moderator:
        conversations = conversations.filter(Q(crisis=True) | Q(started_by_id=viewer.id))
    if waiting_only:
        conversations = conversations.filter(last_message_from_team=False)
    return conversations.order_by("-last_message_at", "-pk")


def waiting_count(user) -> int:
    return team_conversations(user, waiting_only=True).count()


def messages_of(conversation):
    return Message.objects.filter(conversation=conversation).order_by("created_at", "pk")


def team_authors(conversation) -> list[str]:
    """Who on the team has written in it, in order of their first message."""
    names = []
    for name in messages_of(conversation).filter(from_team=True).values_list("author_name", flat=True):
        if name not in names:
            names.append(name)
    return names
