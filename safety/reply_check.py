"""What a reply to someone at risk must not say, checked before it is published.

A reply to a crisis-flagged post (Post.crisis_level "concern" or "urgent") is held for a
moderator when it:

- gives or asks for method details of suicide or self-harm (safety.crisis.method_details,
  the same rule every post meets);
- encourages the person to act ("just do it", "no one would miss you", "the world would
  be better off without you");
- advises stopping a medication abruptly ("go cold turkey", "just stop taking it",
  "don't bother tapering"). docs/safety-reference.md: never stop a psychiatric
  medication abruptly; the FDA's 2020 boxed warning on benzodiazepines.

Held, never refused: the writer keeps their words, is told why kindly, and a moderator
decides. Experiences and pleas stay untouched: "please don't do it", "I went cold
turkey and it was hell", "I know it feels like no one would miss you, but I would".

The labelled examples are in safety/corpus/reply_check_*.jsonl (see its README);
tests/safety/test_reply_check.py measures the rules on them. Matching is sentence by
sentence on text normalised as crisis detection normalises it (safety.crisis.normalise).
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_noop

from . import crisis

METHOD, ENCOURAGEMENT, ABRUPT_STOP = "method", "encouragement", "abrupt_stop"

# What the moderators' queue shows, and (in kinder words) what the writer is told. Kept
# as plain English strings (stored with the item); marked so pages can show them translated.
REASONS = {
    METHOD: gettext_noop("Reply to someone at risk gives or asks for method details"),
    ENCOURAGEMENT: gettext_noop("Reply to someone at risk may encourage them to act"),
    ABRUPT_STOP: gettext_noop("Reply to someone at risk advises stopping a medication abruptly"),
}


@dataclass(frozen=True)
class ReplyCheck:
    kinds: tuple[str, ...] = ()

    @property
    def is_held(self) -> bool:
        return bool(self.kinds)

    @property
    def reasons(self) -> list[str]:
        return [REASONS[kind] for kind in self.kinds]


def check(text: str) -> ReplyCheck:
    """Which of the three things a reply to someone at risk says, if any."""
    kinds = []
    if crisis.method_details(text or ""):
        kinds.append(METHOD)
    # Words in double quotes are reported ("that voice saying \"no one would miss you\""), not said.
    sentences = list(_sentences(_QUOTED.sub(" . ", text or "")))
    if any(_encourages(sentence, question, _around(sentences, index)) for index, (sentence, question) in
           enumerate(sentences)):
        kinds.append(ENCOURAGEMENT)
    if any(_advises_abrupt_stop(sentence, question) for sentence, question in _sentences(text or "")):
        kinds.append(ABRUPT_STOP)
    return ReplyCheck(kinds=tuple(kinds))


def kinds_of(text: str) -> tuple[str, ...]:
    return check(text).kinds


# --- Sentences ---------------------------------------------------------------------------

_SPLIT = re.compile(r"([.!?;:\n]+)")
_QUOTED = re.compile(r'"[^"\n]{1,300}"|“[^”\n]{1,300}”')


def _sentences(text: str):
    """(normalised sentence, whether it was asked as a question)."""
    parts = _SPLIT.split(text)
    for index in range(0, len(parts), 2):
        sentence = crisis.normalise(parts[index])
        ending = parts[index + 1] if index + 1 < len(parts) else ""
        if sentence:
            yield sentence, "?" in ending


_NEGATIONS = {"not", "never", "no", "dont", "nobody", "noone", "stop"}
_HELP_WORDS = re.compile(
    r"\b(call|calling|text|texting|ring|phone|talk|tell|told|line|lines|crisis|samaritans|shout|lifeline|988|911|"
    r"999|112|000|116|741741|85258|50808|gp|doctor|prescriber|psychiatrist|therapist|nurse|hospital|er|a e|help|"
    r"reach|someone|anyone|breathe|rest|yourself|own way)\b"
)


def _negated(sentence: str, start: int, window: int = 3) -> bool:
    """A negation among the few words before the match: "please don't do it"."""
    words = sentence[:start].split()
    if "why do not you" in " ".join(words[-5:]):
        return False  # "why don't you just do it" asks for it
    return any(word in _NEGATIONS for word in words[-window:])


# --- Encouragement to act ------------------------------------------------------------------

_NOBODY = r"(?:no one|noone|nobody|no body|not one person|the world|no one here|nobody here)"
_MISS = (
    rf"\b{_NOBODY} (?:would|will|is going to|going to|is|would even|will even|even|really)? ?"
    r"(?:even |really )?(?:miss|notice|care if|care about) (?:you|u)\b"
    rf"|\b{_NOBODY} (?:would|will|is going to|going to) (?:even )?notice (?:if )?(?:you|u) (?:were|are|was) gone\b"
    r"|\byou (?:will not|would not|are not going to|won t) be missed\b"
    r"|\bthe world (?:will not|would not|is not going to) (?:even )?(?:miss|notice) (?:you|u)\b"
)
_BETTER_OFF = (
    r"\b(?:better off|a better place|better place|happier|better)\b(?: \w+){0,3} without you\b"
    r"|\b(?:better off|happier|better) if (?:you|u) (?:were|are|was) (?:gone|dead|not here|not around)\b"
    r"|\b(?:you would be|you will be|you are|you would all be|you be) better off dead\b|^better off dead\b"
)
_END_IT = (
    r"(?:^|\b(?:just|then|so|go|and|should|ought to|why not|why do not you|favour and|favor and|please)\b )"
    r"(?:(?:go|just|and) )?(?:end it|end it all|end your life|end yourself|kill yourself|go through with it)\b"
    r"(?! for)"
)
_KILL_YOURSELF = r"\b(?:kill yourself|kys|go kill yourself|kill urself|kill ur self)\b"
_DO_IT = (
    r"\bjust do it\b|\b(?:go ahead|go on|ok|okay|then|so|might as well|may as well|hope you|hope u)(?: and| then)? "
    r"(?:just )?(?:do it|go through with it|get it over with)\b"
    r"|^do it\b|\bdo it (?:already|then|you coward|tonight|now)\b|\bget it over with\b"
    r"|\bdo it and (?:stop|quit|shut|spare)\b"
)
_WHOLE_SENTENCE = {"go ahead", "go on then", "go for it", "do it", "ok do it", "just go"}
_REPORTED = re.compile(
    r"\b(feel|feels|felt|feeling|think|thinks|thought|believe|believes|believed|say|says|said|saying|tell|tells|"
    r"telling|told|like|as if|true|lie|lies|lying|seem|seems|convinced|voice|depression|brain)\b"
)

_ENCOURAGEMENT_RULES = [
    (re.compile(_MISS), "reported"),
    (re.compile(_BETTER_OFF), "reported"),
    (re.compile(_KILL_YOURSELF), "plain"),
    (re.compile(_END_IT), "plain"),
    (re.compile(_DO_IT), "help"),
]
_PRONOUNS = {"i", "me", "my", "you", "u", "we", "he", "she", "they", "it"}


def _about_the_writer(sentence: str, start: int, matched: str) -> bool:
    """The writer speaks of themselves ("I want to do it tonight", "ok to do it now"):
    a reply in crisis is crisis detection's to notice, not encouragement."""
    words = sentence[:start].split()
    if words and words[-1] == "to":
        return True
    if "you" in matched.split() or "u" in matched.split():
        return False
    pronoun = next((word for word in reversed(words[-4:]) if word in _PRONOUNS), None)
    return pronoun in ("i", "me", "my")


def _around(sentences: list[tuple[str, bool]], index: int) -> str:
    """The sentence with the one before and after: "Please call the line. Do it now." """
    return " . ".join(sentence for sentence, _ in sentences[max(0, index - 1):index + 2])


def _encourages(sentence: str, question: bool, around: str) -> bool:
    if sentence in _WHOLE_SENTENCE and not question:
        return True
    for pattern, kind in _ENCOURAGEMENT_RULES:
        for found in pattern.finditer(sentence):
            start = found.start()
            if _negated(sentence, start, window=4 if kind == "reported" else 3):
                continue
            if kind != "reported" and _about_the_writer(sentence, start, found.group()):
                continue
            if _REPORTED.search(sentence[:start]):
                continue  # "you said no one would miss you", "my brain keeps saying just end it"
            if kind == "help" and (_HELP_WORDS.search(around) or question and "why" not in sentence[:start]):
                continue  # "do it now: call the line", "can you do it?"
            if kind == "plain" and question and not sentence.startswith("why"):
                continue
            return True
    return False


# --- Advice to stop a medication abruptly ------------------------------------------------

_MEDS = (
    r"(?:meds|medication|medications|medicine|medicines|pills|tablets|antidepressants|antidepressant|benzos|benzo|"
    r"ssri|ssris|snri|antipsychotics|venlafaxine|effexor|sertraline|zoloft|paroxetine|paxil|seroxat|lithium|"
    r"quetiapine|seroquel|lorazepam|ativan|clonazepam|klonopin|rivotril|diazepam|valium|alprazolam|xanax|"
    r"escitalopram|lexapro|cipralex|citalopram|celexa|fluoxetine|prozac|duloxetine|cymbalta|mirtazapine|remeron|"
    r"bupropion|wellbutrin|lamotrigine|lamictal|zopiclone|pregabalin|lyrica|gabapentin|desvenlafaxine|pristiq|"
    r"vortioxetine|trintellix|aripiprazole|abilify|olanzapine|zyprexa|esketamine|spravato)"
)
_DETERMINER = r"(?:the |your |all your |all the |all of your |all of the |all |those |these |my )?"
_OBJECT = (
    rf"(?:(?:taking |using )?{_DETERMINER}(?:\w+ )?{_MEDS}"
    r"|(?:taking |using )?(?:it|them|everything|it all|them all))"
)
_ABRUPT = (
    r"(?:now|right now|today|tonight|tomorrow|immediately|at once|all at once|in one go|overnight|straight away|"
    r"straightaway|right away|cold turkey|this week|suddenly|abruptly|no taper|without a taper|without tapering)"
)
_STOP_VERB = r"(?:stop|quit|drop|come off|get off|ditch|dump)"
_IMPERATIVE = (
    r"(?:^|\b(?:just|honestly|so|then|and|you should|you can|you could|you need to|you have to|you must|"
    r"you ought to|i would|i would just|my advice is to|my advice|why not|why do not you|better to|easier to) )"
)
_ABRUPT_RULES = [
    # "go cold turkey", "quit the benzos cold turkey"
    re.compile(rf"{_IMPERATIVE}(?:just )?(?:go|{_STOP_VERB})\b(?: \w+){{0,5}} cold turkey\b"),
    # "stop your lithium now", "you should stop the sertraline right now", "come off it all in one go"
    re.compile(rf"{_IMPERATIVE}(?:just )?{_STOP_VERB} {_OBJECT}\b(?: \w+){{0,3}} {_ABRUPT}\b"),
    # "just stop taking the venlafaxine", "just quit your meds"
    re.compile(rf"\bjust {_STOP_VERB} {_OBJECT}\b"),
    # "throw your pills in the bin", "flush the pills", "bin the meds"
    re.compile(rf"{_IMPERATIVE}(?:just )?(?:throw|throw away|throw out|flush|bin|chuck|chuck out|toss|ditch|dump) "
               rf"(?:away |out )?(?:the |your |all your |all the |all of your |all |those |these )?(?:\w+ )?{_MEDS}\b"),
]
# The taper waved away: these carry their own negation, so none is checked.
_NO_TAPER = re.compile(
    r"\b(?:do not bother tapering|do not bother with (?:a |the )?taper|no need to taper|no need for a taper|"
    r"do not need to taper|you do not need a taper|no taper needed|skip the taper|forget the taper|forget tapering|"
    r"tapering is a scam|tapering is pointless|tapers are a scam|^do not taper\b)"
)


def _advises_abrupt_stop(sentence: str, question: bool) -> bool:
    if question:
        return False  # "did you just stop taking it?" asks; it does not advise
    if _NO_TAPER.search(sentence):
        return True
    for pattern in _ABRUPT_RULES:
        for found in pattern.finditer(sentence):
            if not _negated(sentence, found.start(), window=3):
                return True
    return False
