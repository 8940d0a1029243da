"""Who may read and answer a conversation: its member, and the team (moderators always;
peer supporters when it is about a crisis or they started it). Asked by views, the
services and the live events alike."""

from forum.permissions import viewer_for


def is_team(user) -> bool:
    return viewer_for(user).is_crisis_responder


def team_can_see(user, conversation) -> bool:
    viewer = viewer_for(user)
    if viewer.is_moderator:
        return True
    if viewer.is_peer_supporter:
        return conversation.crisis or conversation.started_by_id == viewer.id
    return False


def member_can_see(user, conversation) -> bool:
    viewer = viewer_for(user)
    return viewer.is_member and conversation.member_id == viewer.id


def can_write_to_team(user) -> bool:
    """Any member may write to the team, suspended or not: a suspension pauses posting,
    never the line to the moderators."""
    return viewer_for(user).is_member
