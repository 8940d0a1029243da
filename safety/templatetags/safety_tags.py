from django import template

from safety import crisis, reply_check, search_help

register = template.Library()


@register.filter
def asks_for_method(text: str) -> bool:
    """Whether a post's text asks for or gives method details (why it was held)."""
    return crisis.method_details(text or "")


@register.filter
def reads_as_crisis(query: str) -> bool:
    """Whether a search query reads as someone looking for help right now."""
    return search_help.is_crisis_query(query or "")


@register.filter
def reply_concerns(post) -> tuple[str, ...]:
    """Why a held reply to someone who may be at risk waits for a moderator
    (safety.reply_check kinds), for its writer; empty for every other post. Asks the
    database only for the writer's own pending replies."""
    if post is None or post.status != "pending" or post.is_opening:
        return ()
    from forum.models import Post

    if post.parent_id:
        target = Post.objects.filter(pk=post.parent_id)
    else:
        target = Post.objects.filter(thread_id=post.thread_id, is_opening=True)
    answered = target.values("crisis_level", "author_id").first()
    if not answered or answered["crisis_level"] not in ("concern", "urgent") or answered["author_id"] == post.author_id:
        return ()
    return reply_check.kinds_of(post.body)
