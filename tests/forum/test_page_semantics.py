"""What screen readers meet on a thread page: one landmark per purpose, each with its own
name (no form per post named "Reactions"), times as <time> with the absolute date for
readers without JavaScript, and compact reactions that still carry every count."""

import re

from forum import reactions, services
from tests.conftest import client_for, post_markup


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
    html = post_markup(reader.get(thread.get_absolute_url()).content.decode(), post)
    assert "Sending support" not in html  # nothing given yet: no empty pills
    reactions.reaction_toggle(member=member, post=post, kind="support")
    html = post_markup(reader.get(thread.get_absolute_url()).content.decode(), post)
    assert '<span class="reaction reaction-support" data-kind="support">Sending support <span class="reaction-count">1</span></span>' in html
    assert "Me too" not in html


def test_a_member_who_may_react_gets_react_and_the_buttons_once_for_the_page(member, other_member, thread):
    post = services.post_create(author=other_member, thread=thread, body="Something to react to.")
    page = client_for(member).get(thread.get_absolute_url()).content.decode()
    html = post_markup(page, post)
    # "React" leads to the post's reaction page without JavaScript; reactions.js adds the
    # buttons in place from the page's one template.
    assert f'<a href="/p/{post.pk}/react/" class="reaction-more">React</a>' in html
    assert "Me too" not in html and "csrfmiddlewaretoken" not in html
    assert page.count('name="kind" value="me_too"') == 1  # in <template id="reaction-buttons">
    assert re.search(r'value="me_too"[^>]*>Me too <span class="reaction-count" hidden>0</span>', page)
    assert page.count('<form id="reaction-form" method="post" hidden><input type="hidden" name="csrfmiddlewaretoken"') == 1


def test_readers_get_the_labels_but_no_reaction_form(reader, thread):
    page = reader.get(thread.get_absolute_url()).content.decode()
    assert '<template id="reaction-buttons">' in page  # labels for counts that arrive live
    assert 'id="reaction-form"' not in page and "reaction-more" not in page
