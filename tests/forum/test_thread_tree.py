"""Replies nest like the blog comment thread: display depth stops at 3."""

from forum import selectors, services


def reply(thread, author, body, parent=None):
    return services.post_create(author=author, thread=thread, body=body, parent=parent)


def test_the_tree_nests_to_depth_three_then_flattens_with_in_reply_to(thread, member, other_member):
    top = reply(thread, other_member, "depth 1")
    second = reply(thread, member, "depth 2", top)
    third = reply(thread, other_member, "depth 3", second)
    fourth = reply(thread, member, "depth 4", third)
    fifth = reply(thread, other_member, "depth 5", fourth)

    nodes = selectors.thread_page(None, thread, 1).nodes
    assert [n.post.pk for n in nodes] == [top.pk]
    depth2 = nodes[0].children[0]
    assert depth2.post.pk == second.pk
    # depth 3 and the deeper replies share the depth-2 post's list, in order.
    assert [n.post.pk for n in depth2.children] == [third.pk, fourth.pk, fifth.pk]
    assert [n.display_depth for n in depth2.children] == [3, 3, 3]
    assert depth2.children[0].in_reply_to is None
    assert depth2.children[1].in_reply_to.pk == third.pk
    assert depth2.children[2].in_reply_to.pk == fourth.pk


def test_the_thread_page_shows_in_reply_to_links_for_deep_replies(reader, thread, member, other_member):
    post = reply(thread, other_member, "one")
    for depth in range(4):
        post = reply(thread, member if depth % 2 else other_member, f"deeper {depth}", post)
    html = reader.get(thread.get_absolute_url()).content.decode()
    assert 'in reply to <a href="#post-' in html


def test_top_level_replies_are_paginated_with_their_whole_subtrees(settings, reader, thread, member, other_member):
    settings.FORUM_REPLIES_PER_PAGE = 2
    first = reply(thread, other_member, "first top")
    reply(thread, other_member, "second top")
    third = reply(thread, other_member, "third top")
    late_child = reply(thread, member, "a late answer to the first", first)

    page1 = reader.get(thread.get_absolute_url()).content.decode()
    page2 = reader.get(thread.get_absolute_url() + "?page=2").content.decode()
    assert "first top" in page1 and "a late answer to the first" in page1
    assert "third top" not in page1 and "third top" in page2
    # The permalink of a post finds its page.
    response = reader.get(late_child.get_absolute_url())
    assert response.status_code == 302 and response.url.endswith(f"#post-{late_child.pk}")
    response = reader.get(third.get_absolute_url())
    assert response.url.endswith(f"?page=2#post-{third.pk}")
