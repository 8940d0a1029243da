"""safety.text: the one reading of a post that crisis detection, method holds and watched
words all match against - the words readers will see, whatever the Markdown, HTML
entities or Unicode tricks used to write them."""

import pytest

from safety.text import fold, fold_pattern, html_text, normalise, post_text, visible_text


@pytest.mark.parametrize(
    "markdown",
    [
        "kill my&#115;elf tonight",  # an HTML entity
        "kill my&#x73;elf tonight",
        "kill myself&nbsp;tonight",
        "ki**ll** myself tonight",  # inline Markdown inside a word
        "ki*ll* my_self_ tonight".replace("_self_", "self"),
        "k\u200bill my\u200dself to\u2060night",  # zero-width characters
        "kill my\u00adself tonight",  # a soft hyphen
        "ＫＩＬＬ ｍｙｓｅｌｆ ｔｏｎｉｇｈｔ",  # fullwidth letters
        "kill mys\u0435lf tonight",  # a Cyrillic е inside a Latin word
        "KILL MYSELF TONIGHT",
        "kill\u00a0myself\ttonight",
    ],
)
def test_every_way_of_writing_the_same_words_reads_the_same(markdown):
    assert normalise(visible_text(markdown)) == "kill myself tonight"


def test_the_visible_text_drops_markup_and_keeps_link_and_image_text():
    text = visible_text("I read [the *Ashton* manual](https://example.org/a) and ![a chart](https://example.org/c.png)")
    assert text.strip() == "I read the Ashton manual and a chart"


def test_link_targets_can_be_kept_beside_their_text_for_watched_words():
    text = visible_text("[my channel](https://t.me/somebody) or t.me/other", links=True)
    assert "my channel (https://t.me/somebody)" in text
    assert text.count("t.me/other") == 1  # a bare link shows its target already


def test_a_quoted_block_reads_as_a_quotation():
    text = visible_text("> I want to die\n\nThat lyric has been in my head all day")
    assert "“I want to die”" in text


def test_raw_html_typed_by_a_member_is_text_as_readers_see_it():
    assert visible_text("<b>bold</b> &amp; more").strip() == "<b>bold</b> & more"
    assert html_text("<p>a<br>b</p><p>c &lt;3</p>").split() == ["a", "b", "c", "<3"]


def test_a_post_is_its_title_then_its_body():
    assert post_text(title="Night one", body="**going** ok").split("\n") == ["Night one", "", "going ok", ""]
    assert post_text(title="Night one", body_html="<p>going ok</p>").startswith("Night one\n")


def test_folding_removes_accents_ligatures_and_curly_quotes():
    assert fold("J’ai décidé, c’est «fini» — cœur") == "j'ai decide, c'est \"fini\" - coeur"


def test_folding_leaves_russian_and_greek_words_alone():
    assert fold("Спасибо") == "спасибо"


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("Im gonna kms", "i am going to kill myself"),
        ("ill be gone by then", "i will be gone by then"),
        ("I've been ill for days", "i have been ill for days"),
        ("tonights the night", "tonight is the night"),
        ("ctb soon", "catch the bus soon"),
        ("going to unalive myself", "going to kill myself"),
        ("i dont want to wake up tmrw", "i do not want to wake up tomorrow"),
        ("id rather not", "i would rather not"),
        ("I'd written the letters", "i had written the letters"),
        ("J'vais en finir à soir", "je vais en finir ce soir"),
        ("chu sur le pont", "je suis sur le pont"),
    ],
)
def test_common_spellings_are_joined(written, read):
    assert normalise(written) == read


def test_a_regular_expression_keeps_its_meaning_when_folded():
    assert fold_pattern(r"\S+ kétamine \D") == r"\S+ ketamine \D"
