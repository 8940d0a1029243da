"""Screening reads a post as its readers will: every check - crisis detection, the hold
for method details, and watched words that block, hold or flag - sees through HTML
entities, zero-width characters, Markdown inside a word, fullwidth letters and
lookalike letters, because readers see the plain words."""

import pytest
from django.core.exceptions import ValidationError

from forum import services as forum_services
from forum.models import Post, Visibility
from moderation.models import ReviewItem, WatchedWord
from moderation.screening import METHOD_DETAILS_REASON, watched_word_matches


def disguises(words: str, *, letter: str) -> list[str]:
    """The same words written five ways that all look like `words` on the page. `letter`
    is a letter of the words that the entity and the lookalike replace."""
    first = words.index(letter)
    middle = len(words) // 2
    return [
        words[:first] + f"&#{ord(letter)};" + words[first + 1 :],  # an HTML entity
        words[:middle] + "\u200b" + words[middle:],  # a zero-width space
        words[: first + 1] + "**" + words[first + 1 : first + 3] + "**" + words[first + 3 :],  # Markdown in a word
        "".join(chr(ord(char) + 0xFEE0) if "!" <= char <= "~" else char for char in words),  # fullwidth
        words[:first] + {"e": "\u0435", "o": "\u043e", "a": "\u0430", "s": "\u0455", "i": "\u0456", "l": "\u04cf"}.get(letter, letter)
        + words[first + 1 :],  # a Cyrillic lookalike
    ]


URGENT = "kill myself tonight"
CRISIS_DISGUISES = disguises(URGENT, letter="s") + ["kill my&#115;elf tonight", "ki**ll** myself tonight"]


@pytest.mark.parametrize("body", CRISIS_DISGUISES)
def test_crisis_detection_sees_through_disguised_words(thread, other_member, body):
    post = forum_services.post_create(author=other_member, thread=thread, body=f"I'm going to {body}.")
    assert post.crisis_level == "urgent"
    assert post.status == Visibility.PUBLISHED  # support and review, never a block
    assert ReviewItem.objects.filter(post=post, kind=ReviewItem.Kind.CRISIS).exists()


def test_crisis_detection_reads_a_disguised_thread_title(category, other_member):
    thread = forum_services.thread_create(
        author=other_member, category=category, title="going to k\u200bill my&#115;elf tonight", body="that's all"
    )
    assert thread.posts.get(is_opening=True).crisis_level == "urgent"


METHOD = "what is the lethal dose of my lorazepam"


@pytest.mark.parametrize(
    "body", disguises(METHOD, letter="l") + ["what is the le&#116;hal dose of my lorazepam", "what is the le**th**al dose of my lorazepam"]
)
def test_method_details_are_held_however_they_are_written(thread, other_member, body):
    post = forum_services.post_create(author=other_member, thread=thread, body=body + "?")
    assert post.status == Visibility.PENDING
    assert ReviewItem.objects.get(post=post, kind=ReviewItem.Kind.HELD).reasons == [METHOD_DETAILS_REASON]


def test_an_edit_that_disguises_method_details_sends_the_post_back_to_wait(thread, other_member):
    post = forum_services.post_create(author=other_member, thread=thread, body="What dose did you start on?")
    forum_services.post_edit(editor=other_member, post=post, body="what is the le&#116;hal dose of my lorazepam?")
    post.refresh_from_db()
    assert post.status == Visibility.PENDING


@pytest.fixture
def plug_rules(db):
    return {
        action: WatchedWord.objects.create(
            name=f"{action} rule", pattern=pattern, match_type=match_type, action=action, explanation="Not here."
        )
        for action, pattern, match_type in (
            (WatchedWord.Action.BLOCK, "you idiot", "phrase"),
            (WatchedWord.Action.FLAG, r"\bcold\W+turkey\b", "regex"),
        )
    }


@pytest.mark.parametrize("body", disguises("you idiot", letter="i") + ["you i&#100;iot", "you id**io**t"])
def test_a_block_rule_refuses_disguised_words_and_keeps_the_text(thread, other_member, plug_rules, body):
    with pytest.raises(ValidationError, match="block rule"):
        forum_services.post_create(author=other_member, thread=thread, body=f"honestly {body}")
    assert not Post.objects.filter(thread=thread, is_opening=False).exists()


@pytest.mark.parametrize(
    "body", disguises("anyone got a plug for mdma", letter="l") + ["anyone got a p&#108;ug for mdma", "anyone got a p**lu**g for mdma"]
)
def test_the_starting_hold_rules_hold_disguised_sourcing(thread, other_member, body):
    post = forum_services.post_create(author=other_member, thread=thread, body=body + "?")
    assert post.status == Visibility.PENDING
    assert "No sourcing: vendors, plugs and dealers" in ReviewItem.objects.get(post=post).reasons


@pytest.mark.parametrize("body", disguises("went cold turkey", letter="o") + ["went c&#111;ld turkey"])
def test_a_flag_rule_flags_disguised_words_and_publishes(thread, other_member, plug_rules, body):
    post = forum_services.post_create(author=other_member, thread=thread, body=body)
    assert post.status == Visibility.PUBLISHED
    assert ReviewItem.objects.get(post=post, kind=ReviewItem.Kind.FLAGGED).reasons == ["flag rule"]


def test_watched_words_see_where_a_link_goes(db):
    assert any(rule.action == "hold" for rule in watched_word_matches("[my channel](https://t.me/ketking)"))


def test_a_phrase_rule_with_accents_matches_text_without_them_and_the_reverse(db):
    WatchedWord.objects.create(name="Accents", pattern="kétamine à vendre", action=WatchedWord.Action.FLAG)
    assert [rule.name for rule in watched_word_matches("Ketamine a vendre ici")] == ["Accents"]
    WatchedWord.objects.filter(name="Accents").update(pattern="ketamine a vendre")
    assert [rule.name for rule in watched_word_matches("Kétamine à vendre ici")] == ["Accents"]


def test_ordinary_posts_still_pass_every_check(thread, other_member, plug_rules):
    post = forum_services.post_create(
        author=other_member, thread=thread, body="My **ketamine** session went well &amp; the nurse was kind."
    )
    assert (post.status, post.crisis_level) == (Visibility.PUBLISHED, "none")
    assert not ReviewItem.objects.filter(post=post).exists()
