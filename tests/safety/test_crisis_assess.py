"""safety.crisis.assess: whole posts, read as readers read them, by the rules and the
model together. The examples are written here for the behaviour they pin down; the
figures on the labelled corpus are in test_crisis_corpus.py."""

import dataclasses
import re

import pytest

from moderation import crisis as moderation_crisis
from safety.crisis import (
    PATTERNS_FILE,
    Assessment,
    PatternError,
    assess,
    assess_visible,
    find_cues,
    method_details,
    parse_rules,
)
from safety.text import normalise


def test_an_assessment_is_a_frozen_level_with_reasons():
    result = assess("I'm going to kill myself tonight.")
    assert isinstance(result, Assessment)
    assert result.level == "urgent"
    assert any("kill myself" in reason for reason in result.reasons)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.level = "none"


def test_moderation_keeps_its_public_name_for_the_same_function():
    assert moderation_crisis.assess is assess
    assert moderation_crisis.assess("I'm going to kill myself tonight.").level == "urgent"


def test_plain_text_assesses_as_none_with_no_reasons():
    result = assess("Second infusion today, feeling a bit floaty but fine.")
    assert (result.level, result.reasons, result.asks_for_method) == ("none", (), False)


@pytest.mark.parametrize("text", ["", "   ", "\n\n"])
def test_empty_text_is_none(text):
    assert assess(text).level == "none"


@pytest.mark.parametrize(
    "text",
    [
        "I'M GOING TO KILL MYSELF TONIGHT",
        "im gonna kill myself tonight",
        "I’m going to… kill myself!!! tonight",
        "i am going to kill-myself tonight",
        "kill my&#115;elf tonight",
        "ki**ll** myself tonight",
        "kill\u200b myself to\u200cnight",
        "ｋｉｌｌ ｍｙｓｅｌｆ tonight",
    ],
)
def test_case_punctuation_markup_and_unicode_tricks_do_not_matter(text):
    assert assess(text).level == "urgent"


# --- Whole posts: cues combined ------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # An attempt just made, without a subject.
        "took every tablet in the box twenty minutes ago, feel ok so far",
        "Swallowed the lot an hour ago. Lying down now.",
        # Means at hand and a time, no suicide verb.
        "The cord is already in the shed. Once the kids are asleep.",
        "saved up two months of my meds, tonight's the night",
        # A place, now.
        "on the overpass right now",
        "Standing on the ledge of my balcony. Cold.",
        # Goodbye acts.
        "last post here, everything's arranged",
        "this is my letter, sorry to everyone",
        # Slang and French.
        "je vais en finir cette nuit",
        "J'ai pris toutes mes pilules il y a une heure.",
        "chu sur le pont",
        # Someone else, with emergency services called.
        "My brother just texted goodbye and now his phone is off. I've called 999.",
    ],
)
def test_urgent_posts_are_found_without_the_word_suicide(text):
    assert assess(text).level == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "kms later fr",
        "ctb soon",
        "i go to sleep wishing i wouldn't wake",
        "my dog is the only thing keeping me here",
        "what's even the point now",
        "Je pense à mourir tous les jours",
        "I've been cutting myself again since the taper started.",
    ],
)
def test_passive_ideation_slang_and_self_harm_are_at_least_concern(text):
    assert assess(text).level in ("concern", "urgent")


def test_an_urgent_line_inside_a_long_dosing_story_is_found():
    post = (
        "Update on the taper: I went from 10mg to 9mg of paroxetine three weeks ago and the zaps are not as bad "
        "as last year. Five years ago I did a fast taper and it was hell. I'm not going to lie, it has been rough. "
        "I've saved up my diazepam and tonight I'm taking all of it. Anyway the liquid tastes awful."
    )
    assert assess(post).level == "urgent"


def test_negation_and_past_tense_reach_only_their_own_clause_and_sentence():
    assert assess("I'm not okay. I'm going to end my life tonight.").level == "urgent"
    assert assess("Two years ago I tried to end my life. Now the rope is in the car and I'm done.").level == "urgent"
    assert assess("If the spray doesn't work I don't know if I want to keep living.").level == "concern"


def test_nothing_else_in_a_post_cancels_an_explicit_present_intent():
    assert assess("Not a cry for help. I used to self harm years ago, but tonight I'm ending it.").level == "urgent"
    assert assess("I'm not asking for advice and I'm not sad. I'm going to kill myself tonight.").level == "urgent"


def test_the_reasons_say_which_cues_were_found_and_quote_them():
    result = assess("The rope is in the car. Tonight once everyone is asleep.")
    assert result.level == "urgent"
    assert any(
        reason.startswith("urgent: means at hand “the rope is in") and "a time “" in reason for reason in result.reasons
    ), result.reasons


# --- Not a crisis ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "my last post on this forum, I'm moving to another one",
        "pills lined up in my weekly box",
        "Anyone want my leftover pills",
        "ketamine killed my depression",
        "I'm not suicidal, just exhausted",
    ],
)
def test_bare_phrases_in_everyday_posts_are_not_alarms(text):
    assert assess(text).level == "none"


@pytest.mark.parametrize(
    "text",
    [
        "I'm not suicidal.",
        "I would never kill myself.",
        "I'm not going to hurt myself, I promise.",
        "No thoughts of suicide this week, the infusions are helping.",
    ],
)
def test_simple_negation_is_none(text):
    assert assess(text).level == "none"


@pytest.mark.parametrize(
    "text",
    [
        "I'm not suicidal.",
        "I would never kill myself.",
        "I don't want to die, I want the brain zaps to stop.",
        "I'm not going to hurt myself, I promise.",
        "No thoughts of suicide this week, the infusions are helping.",
        "I won't hurt myself, I have my safety plan.",
    ],
)
def test_a_negated_cue_is_no_cue_for_the_rules(text):
    # The model may still read a denial that talks of dying as concern (docs/safety.md,
    # blind spots); the rules never count a negated phrase.
    found = find_cues(normalise(text))
    assert not {"intent", "ideation", "selfharm"} & set(found), found
    assert assess(text).level != "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "This taper is killing me.",
        "I'd kill for a night's sleep.",
        "The akathisia is killing me.",
        "I'm dying to know if the trial will take me.",
        "Insurance forms will be the death of me.",
        "My boss is going to kill me if I'm late again.",
        "I'd rather die than sit through that waiting room again.",
    ],
)
def test_idioms_are_none(text):
    assert assess(text).level == "none"


@pytest.mark.parametrize(
    "text",
    [
        "I'm down to 2.5 mg after a slow taper.",
        "Please don't quit cold turkey, taper with your prescriber.",
        "Our group runs overdose prevention training with naloxone.",
        "I cut my dose by ten percent this month.",
        "What dose of esketamine did you start on?",
        "Hanging in there, week six of the taper.",
    ],
)
def test_the_forums_everyday_dose_vocabulary_is_none(text):
    assert assess(text).level == "none"


@pytest.mark.parametrize(
    "text",
    [
        "Suicide rates are higher in treatment-resistant depression.",
        "The study found esketamine reduced suicidal ideation within a day.",
        "The trial excluded anyone with a recent suicide attempt.",
    ],
)
def test_statistics_and_studies_are_none(text):
    assert assess(text).level == "none"


@pytest.mark.parametrize(
    "text",
    [
        "Two years ago I tried to end my life; today I'm a year stable.",
        "I used to self harm as a teenager.",
        "Back in 2019 I wanted to die every day. Esketamine changed that.",
    ],
)
def test_past_crises_told_as_past_are_none(text):
    assert assess(text).level == "none"


def test_a_quoted_lyric_is_none_but_the_same_words_unquoted_are_not():
    assert assess('The chorus goes "I want to die" and it is stuck in my head.').level == "none"
    assert assess("> I want to die\n\nThat line from the song is stuck in my head.").level == "none"
    assert assess("I want to die.").level == "concern"


@pytest.mark.parametrize(
    "word",
    ["suicide", "suicidal", "die", "dead", "hang", "cut", "cutting", "overdose", "kill", "pills", "jump", "rope"],
)
def test_a_single_word_alone_never_fires(word):
    assert assess(word).level == "none"
    assert assess(word.upper() + "!").level == "none"


def test_no_rule_in_the_data_file_can_be_met_by_any_one_of_its_words():
    source = PATTERNS_FILE.read_text(encoding="utf-8")
    for word in set(re.findall(r"[a-z]+", source)):
        assert assess(word).level == "none", word


def test_the_parser_refuses_a_rule_that_one_word_could_satisfy():
    with pytest.raises(PatternError, match="single word"):
        parse_rules("ideation [very] suicidal\n")


def test_the_parser_refuses_an_unknown_kind_and_an_unknown_combination():
    with pytest.raises(PatternError, match="kind"):
        parse_rules("urgentish going to do it\n")
    with pytest.raises(PatternError, match="when"):
        parse_rules("when urgent means + moonlight\n")


# --- Method details --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "What's the lethal dose of my lorazepam?",
        "How many of these pills would it take to die?",
        "What is the most painless way to kill yourself?",
        "How deep do you have to cut?",
        "how many of my mirtazapine would be fatal",
        "what mg of quetiapine counts as an overdose",
        "take 40 of the 2 mg with alcohol",
        "Combien de mg de Rivotril pour ne pas se réveiller?",
    ],
)
def test_asking_for_or_giving_method_details_is_flagged_for_a_hold(text):
    result = assess(text)
    assert result.asks_for_method is True
    assert method_details(text) is True
    assert result.level in ("concern", "urgent")
    assert any(reason.startswith("method:") for reason in result.reasons)


@pytest.mark.parametrize(
    "text",
    [
        "How many mg did your prescriber drop you by each month?",
        "What's the usual dose of esketamine at the clinic?",
        "How long does the dissociation last after the spray?",
        "My psychiatrist wants me at 300 mg, is that high?",
        "What happens if I miss a dose of venlafaxine?",
        "I want to die.",
    ],
)
def test_dose_questions_and_plain_ideation_are_not_method_details(text):
    assert method_details(text) is False


def test_assess_visible_reads_text_that_is_already_rendered():
    assert assess_visible("kill myself tonight").level == "urgent"
    # Markdown is not rendered again: the asterisks are what readers would see.
    assert assess_visible("ki**ll** myself tonight").level != "urgent"
