"""What screen readers meet on a thread page: one landmark per purpose, each with its own
name (no form per post named "Reactions"), times as <time> with the absolute date for
readers without JavaScript, and compact reactions that still carry every count."""

import re

from forum import reactions, services
from tests.conftest import client_for


def landmark_names(html: str) -> list[str]:
    names = re.findall(r'<(?:nav|aside|form|section)[^>]*aria-label="([^"]+)"', html)
    names += re.findall(r'<form[^>]*role="search"[^>]*aria-label="([^"]+)"', html)
    return names


def test_a_long_thread_has_no_repeated_landmark(member, other_member, thread, settings):
    settings.FORUM_REPLIES_PER_PAGE = 3
    for index in range(8):
        services.post_create(author=other_member, thread=thread, body=f"Reply {index}")
    html = client_for(member).get(thread.get_absolute_url()).content.decode()
    assert 'aria-label="Reactions"' not in html
    names = re.findall(r'<nav[^>]*aria-label="([^"]+)"', html)
    assert len(names) == len(set(names)), names
    assert "Pages of replies, above" in names and "Pages of replies, below" in names


def test_times_are_absolute_in_the_html_for_readers_without_javascript(reader, thread):
    html = reader.get(thread.get_absolute_url()).content.decode()
    opening = thread.posts.get(is_opening=True)
    stamp = opening.created_at
    # The post's time is in UTC to the second (the cached fragment must not age); site.js
    # shows it local and relative.
    assert (
        f'<time datetime="{stamp:%Y-%m-%dT%H:%M:%S}Z" title="{stamp:%-d %B %Y, %H:%M} UTC">'
        f'{stamp:%-d %b %Y, %H:%M} UTC</time>'
    ) in html


def test_reactions_show_counts_only_when_someone_gave_one(reader, member, other_member, thread):
    post = services.post_create(author=other_member, thread=thread, body="Something to react to.")
    html = reader.get(thread.get_absolute_url()).content.decode()
    assert "Sending support" not in html  # nothing given yet: no empty pills
    reactions.reaction_toggle(member=member, post=post, kind="support")
    html = reader.get(thread.get_absolute_url()).content.decode()
    assert '<span class="reaction reaction-support" data-kind="support">Sending support <span class="reaction-count">1</span></span>' in html
    assert "Me too" not in html


def test_a_member_who_may_react_gets_every_button_behind_react(member, other_member, thread):
    services.post_create(author=other_member, thread=thread, body="Something to react to.")
    html = client_for(member).get(thread.get_absolute_url()).content.decode()
    assert '<button type="button" class="reaction-more" aria-expanded="false">React</button>' in html
    assert html.count('name="kind" value="me_too"') >= 1
    assert re.search(r'value="me_too"[^>]*>Me too <span class="reaction-count" hidden>0</span>', html)
