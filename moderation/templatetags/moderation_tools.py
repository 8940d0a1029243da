"""What the thread page's moderator tools need (templates/forum/_thread_tools.html): the
categories a thread can move to and its opening post (hiding it hides the thread). Asked
only when the Viewer says the reader moderates, so other readers' pages make no query."""

from django import template

from forum.models import Category, Post

register = template.Library()


@register.simple_tag
def thread_tools(thread) -> dict:
    opening = Post.objects.filter(thread=thread, is_opening=True).values("pk", "status").first()
    return {
        "categories": list(Category.objects.exclude(pk=thread.category_id).only("pk", "name", "name_fr")),
        "opening_post_id": opening["pk"] if opening else None,
        "opening_status": opening["status"] if opening else None,
    }
