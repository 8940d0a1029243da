"""The moderators' live queue: events for the group `moderators`.

forum/realtime.py owns the thread groups; this module sends only to the moderators'
group (forum.broadcast.MODERATORS), which only sockets that passed the viewer's
is_moderator join. Like the thread events, these leave after the commit, through
forum.broadcast, so a rolled-back item never appears.

Events, each one JSON text frame:
- moderation.item_added    {item_id, html}   a new item: the queue row to insert
- moderation.item_changed  {item_id, html}   claimed, new reasons or priority: replace the row
- moderation.item_resolved {item_id}         remove the row
- moderation.crisis_alert  {item_id, url, title}   an urgent crisis item: show an alert
"""

from django.template.loader import render_to_string
from django.urls import reverse

from forum import broadcast

# Every event reaches the consumer's one handler, ModerationConsumer.moderation_event.
HANDLER = "moderation.event"


def item_changed(item_id: int, *, added: bool) -> None:
    def build():
        from .selectors import queue_item

        item = queue_item(item_id)
        if item is None or not item.is_open:
            return None
        html = render_to_string("moderation/_item_row.html", {"item": item})
        return {"type": "moderation.item_added" if added else "moderation.item_changed", "item_id": item_id,
                "priority": item.priority, "html": html}

    _send_on_commit(build)


def item_resolved(item_id: int) -> None:
    _send_on_commit(lambda: {"type": "moderation.item_resolved", "item_id": item_id})


def crisis_alert(item_id: int) -> None:
    def build():
        from .models import ReviewItem

        item = ReviewItem.objects.select_related("post__thread").filter(pk=item_id).first()
        if item is None or not item.is_open:
            return None
        return {"type": "moderation.crisis_alert", "item_id": item_id,
                "url": reverse("moderation:item", args=[item_id]), "title": item.post.thread.title}

    _send_on_commit(build)


def _send_on_commit(build) -> None:
    broadcast.send_on_commit(broadcast.MODERATORS, build, handler=HANDLER)
