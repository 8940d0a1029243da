import dataclasses
import re

import pytest

from safety.crisis import PATTERNS_FILE, Assessment, PatternError, assess, method_details, parse_rules


def test_an_assessment_is_a_frozen_level_with_reasons():
    result = assess("I'm going to kill myself tonight.")
    assert isinstance(result, Assessment)
    assert result.level == "urgent"
    assert any("kill myself" in reason for reason in result.reasons)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.level = "none"


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
    ],
)
def test_case_punctuation_and_contractions_do_not_matter(text):
    assert assess(text).level == "urgent"


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
def test_simple_negation_is_none(text):
    assert assess(text).level == "none"


def test_negation_in_an_earlier_clause_does_not_cancel_a_later_one():
    assert assess("If the spray doesn't work I don't know if I want to keep living.").level == "concern"
    assert assess("I'm not okay. I'm going to end my life tonight.").level == "urgent"


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
        parse_rules("concern [very] suicidal\n")


@pytest.mark.parametrize(
    "text",
    [
        "I wish I could go to sleep and not wake up.",
        "Everyone would be better off without me.",
        "I've been cutting myself again since the taper started.",
        "I feel completely hopeless.",
    ],
)
def test_passive_ideation_hopelessness_and_self_harm_are_concern(text):
    assert assess(text).level == "concern"


@pytest.mark.parametrize(
    "text",
    [
        "I've saved my pills and I'm going to take them all tonight.",
        "I have a plan to kill myself this weekend.",
        "This is goodbye, I'm ending my life tonight.",
    ],
)
def test_present_intent_or_a_plan_is_urgent(text):
    assert assess(text).level == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "What's the lethal dose of my lorazepam?",
        "How many of these pills would it take to die?",
        "What is the most painless way to kill yourself?",
        "How deep do you have to cut?",
    ],
)
def test_asking_for_method_details_is_flagged_for_a_hold(text):
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
        "I want to die.",
    ],
)
def test_dose_questions_and_plain_ideation_are_not_method_details(text):
    assert method_details(text) is False
