"""Reads about one member: their public profile and the copy of their data they download."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.http import Http404

from forum.models import CategoryWatch, Post, Reaction, Thread, ThreadFollow, Visibility

from .models import User

RECENT_POSTS = 10


@dataclass
class Profile:
    member: User
    recent_posts: list[Post]


def member_profile(username: str) -> Profile:
    """A current member's public profile: two queries. Former members have none."""
    member = User.objects.filter(username=username, is_former=False, is_active=True).first()
    if member is None:
        raise Http404("No member by that name.")
    recent = list(
        Post.objects.filter(author=member, status=Visibility.PUBLISHED, thread__status=Visibility.PUBLISHED)
        .select_related("thread", "thread__category")
        .order_by("-created_at", "-pk")[:RECENT_POSTS]
    )
    return Profile(member=member, recent_posts=recent)


def member_data_export(member: User) -> dict:
    """Everything the forum keeps about the member, as plain JSON-ready data."""
    return {
        "about": (
            "Your data from the forum, as it was when you downloaded it. Posts and threads are listed "
            "whatever their status, including ones a moderator hid and ones you removed."
        ),
        "profile": _profile(member),
        "settings": _settings(member),
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=member).order_by("-primary", "email")
        ],
        "threads": [
            {
                "id": thread.pk,
                "title": thread.title,
                "category": thread.category.name,
                "status": thread.status,
                "created_at": _iso(thread.created_at),
                "content_warning": thread.content_warning,
            }
            for thread in Thread.objects.filter(author=member).select_related("category").order_by("created_at", "pk")
        ],
        "posts": [
            {
                "id": post.pk,
                "thread_id": post.thread_id,
                "thread_title": post.thread.title,
                "is_opening_post": post.is_opening,
                "in_reply_to_post_id": post.parent_id,
                "status": post.status,
                "created_at": _iso(post.created_at),
                "edited_at": _iso(post.edited_at),
                "content_warning": post.content_warning,
                "body": post.body,
            }
            for post in Post.objects.filter(author=member).select_related("thread").order_by("created_at", "pk")
        ],
        "reactions": [
            {"post_id": reaction.post_id, "kind": reaction.kind, "created_at": _iso(reaction.created_at)}
            for reaction in Reaction.objects.filter(member=member).order_by("created_at", "pk")
        ],
        "thread_follows": [
            {"thread_id": follow.thread_id, "thread_title": follow.thread.title, "level": follow.level or "reading"}
            for follow in ThreadFollow.objects.filter(member=member).select_related("thread").order_by("thread_id")
        ],
        "category_watches": [
            watch.category.name
            for watch in CategoryWatch.objects.filter(member=member).select_related("category").order_by("category_id")
        ],
    }


def _profile(member: User) -> dict:
    return {
        "username": member.username,
        "email": member.email,
        "first_name": member.first_name,
        "last_name": member.last_name,
        "joined_at": _iso(member.date_joined),
        "last_login_at": _iso(member.last_login),
        "post_count": member.post_count,
        "guidelines_accepted_at": _iso(member.guidelines_accepted_at),
    }


def _settings(member: User) -> dict:
    return {
        "region": member.region,
        "always_expand_warnings": member.always_expand_warnings,
        "hidden_warnings": list(member.hidden_warnings or []),
        "notification_email": member.notification_email,
        "email_post_text": member.email_post_text,
    }


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None
