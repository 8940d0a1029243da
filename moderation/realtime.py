"""The moderators' live queue: events for the group `moderators`, and the crisis part of
it for the group `peer-supporters`.

forum/realtime.py owns the thread groups; this module sends only to the crisis
responders' groups (forum.broadcast.MODERATORS and PEER_SUPPORTERS), which only sockets
that passed the viewer's is_moderator or is_peer_supporter join. Peer supporters get
crisis items only. Like the thread events, these leave after the commit, through
forum.broadcast, so a rolled-back item never appears.

Events, each one JSON text frame:
- moderation.item_added    {item_id, html}   a new item: the queue row to insert
- moderation.item_changed  {item_id, html}   claimed, acknowledged, new reasons or priority: replace the row
- moderation.item_resolved {item_id}         remove the row
- moderation.crisis_alert  {item_id, url, guide_url, title, escalated}   an urgent crisis item: show an
  alert (url and guide_url are absolute, from SITE_URL; escalated: nobody has it yet, or no outcome)
"""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_noop

from forum import broadcast
from forum.notifications import absolute_url

# Every event reaches the consumer's one handler, ModerationConsumer.moderation_event.
HANDLER = "moderation.event"


def _crisis(item_id: int) -> bool:
    from .models import ReviewItem

    return ReviewItem.objects.filter(pk=item_id, kind=ReviewItem.Kind.CRISIS).exists()


def item_changed(item_id: int, *, added: bool) -> None:
    def build():
        from .selectors import queue_item

        item = queue_item(item_id)
        if item is None or not item.is_open:
            return None
        html = render_to_string("moderation/_item_row.html", {"item": item})
        return {"type": "moderation.item_added" if added else "moderation.item_changed", "item_id": item_id,
                "priority": item.priority, "html": html}

    _send_on_commit(build, crisis=lambda: _crisis(item_id))


def item_resolved(item_id: int) -> None:
    _send_on_commit(lambda: {"type": "moderation.item_resolved", "item_id": item_id},
                    crisis=lambda: _crisis(item_id))


def crisis_alert(item_id: int, *, escalated: bool = False) -> None:
    def build():
        from .models import ReviewItem

        item = ReviewItem.objects.select_related("post__thread").filter(pk=item_id).first()
        if item is None or not item.is_open:
            return None
        # Built once for every moderator, after the commit: the English line, marked so the
        # page's script can show it translated (gettext on this exact text).
        title = item.post.thread.title if item.post_id else gettext_noop("A private message to the team")
        return {"type": "moderation.crisis_alert", "item_id": item_id,
                "url": absolute_url(reverse("moderation:item", args=[item_id])),
                "guide_url": absolute_url(reverse("moderation:guide")), "title": title, "escalated": escalated}

    _send_on_commit(build, crisis=lambda: True)


def _send_on_commit(build, *, crisis) -> None:
    """To the moderators; crisis events to the peer supporters too. Whether an item is a
    crisis item is asked after the commit, with the payload, so nothing is read twice
    before it exists."""
    broadcast.send_on_commit(broadcast.MODERATORS, build, handler=HANDLER)
    broadcast.send_on_commit(broadcast.PEER_SUPPORTERS, lambda: crisis() and build(), handler=HANDLER)
