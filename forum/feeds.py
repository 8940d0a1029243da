"""Atom feeds for a category (its newest threads) and a thread (its newest posts).

Published content only: no pending, hidden or removed posts, nothing from a thread that
is not published. Each entry's content is the post's stored sanitized HTML. A post or a
thread behind a content warning carries the warning and a link instead of its text,
because a feed reader would show the text with no way to look away first. A post from
someone who may be at risk (crisis-flagged) is left out altogether, and so is a thread
it opens: feeds are copied and kept where nobody can fold or take them back.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html
from django.utils.translation import gettext

from accounts.models import FORMER_MEMBER_NAME

from . import content_warnings
from .models import Category, Post, Thread, Visibility

ITEMS_PER_FEED = 30


class ContentAtomFeed(Atom1Feed):
    """Atom with the entry text in <content type="html"> rather than <summary>."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content") is not None:
            handler.addQuickElement("content", item["content"], {"type": "html"})


class _ForumFeed(Feed):
    feed_type = ContentAtomFeed

    def item_author_name(self, item):
        return item.author.public_name if item.author is not None else gettext(FORMER_MEMBER_NAME)

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return getattr(item, "edited_at", None) or item.created_at

    def item_extra_kwargs(self, item):
        return {"content": self.item_content(item)}


def _content(post: Post | None, warning: str, url: str) -> str:
    if post is None:
        return ""
    if warning:
        return format_html(
            gettext(
                '<p>Content warning: {warning}.</p><p><a href="{url}">Read it on {site}</a> when you are ready.</p>'
            ),
            warning=content_warnings.display(warning), url=url, site=settings.SITE_NAME,
        )
    return post.body_html  # sanitized when it was written (forum/markup.py)


class CategoryFeed(_ForumFeed):
    # Feed readers fetch without signing in: members-only categories have no feed.
    def get_object(self, request, slug):
        return get_object_or_404(Category, slug=slug, members_only=False)

    def title(self, category):
        return f"{category.display_name} · {settings.SITE_NAME}"

    def link(self, category):
        return category.get_absolute_url()

    def subtitle(self, category):
        return category.display_description or gettext("New threads in %(category)s") % {
            "category": category.display_name
        }

    def items(self, category):
        opening = Post.objects.filter(is_opening=True, status=Visibility.PUBLISHED)
        return (
            Thread.objects.filter(category=category, status=Visibility.PUBLISHED)
            .exclude(content_warnings.crisis_opening())
            .select_related("author")
            .prefetch_related(Prefetch("posts", queryset=opening, to_attr="published_opening"))
            .order_by("-created_at", "-pk")[:ITEMS_PER_FEED]
        )

    def item_title(self, thread):
        return thread.title

    def item_link(self, thread):
        return thread.get_absolute_url()

    def item_content(self, thread):
        opening = thread.published_opening[0] if thread.published_opening else None
        return _content(opening, thread.content_warning or (opening.content_warning if opening else ""),
                        thread.get_absolute_url())


class ThreadFeed(_ForumFeed):
    def get_object(self, request, pk):
        thread = get_object_or_404(Thread.objects.select_related("category"), pk=pk)
        if thread.status != Visibility.PUBLISHED or thread.category.members_only:
            raise Http404("No such thread.")
        return thread

    def title(self, thread):
        return f"{thread.title} · {settings.SITE_NAME}"

    def link(self, thread):
        return thread.get_absolute_url()

    def subtitle(self, thread):
        return gettext("New posts in “%(title)s”, in %(category)s") % {
            "title": thread.title, "category": thread.category.display_name
        }

    def items(self, thread):
        return (
            Post.objects.filter(thread=thread, status=Visibility.PUBLISHED)
            .exclude(crisis_level__in=content_warnings.CRISIS_LEVELS)
            .select_related("author", "thread")
            .order_by("-created_at", "-pk")[:ITEMS_PER_FEED]
        )

    def item_title(self, post):
        who = post.author.public_name if post.author is not None else gettext(FORMER_MEMBER_NAME)
        if post.is_opening:
            return gettext("%(name)s started the thread") % {"name": who}
        return gettext("Reply from %(name)s") % {"name": who}

    def item_link(self, post):
        return post.get_absolute_url()

    def item_content(self, post):
        return _content(post, post.content_warning or post.thread.content_warning, post.get_absolute_url())
