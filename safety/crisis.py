"""Crisis language assessment: does a post suggest its author (or someone they are with)
may be at risk?

`assess(text)` returns an Assessment: a level ("none", "concern", "urgent"), the reasons
a moderator reads, and whether the post asks for or gives method details of suicide or
self-harm. Two readers look at every post and the more worried one wins:

- the rules (crisis_patterns.txt beside this module) find cues anywhere in the post -
  means at hand, a place, an attempt made, goodbye acts, a time, intent, passive
  ideation, self-harm, someone else at risk, method questions - and combine them over
  the whole post ("the rope is in the car" + "tonight" is urgent; either alone is not);
- a linear model trained on the labelled corpus (safety/crisis_model.py, trained by
  `manage.py crisis_train`) scores the post's words and character n-grams.

A match is a reason to show the author their crisis lines and to put the post in front
of a moderator. It never blocks or deletes a post. Method details are held for a
moderator's review (`method_details(text)`, or `assess(text).asks_for_method`).

Text is read as readers will see it: `assess(text)` renders the Markdown first;
`assess_visible(text)` takes text already rendered (moderation screening passes the
post's sanitized HTML through safety.text.post_text).
"""

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import crisis_model
from . import text as texts

PATTERNS_FILE = Path(__file__).with_name("crisis_patterns.txt")

NONE, CONCERN, URGENT = "none", "concern", "urgent"
LEVELS = (NONE, CONCERN, URGENT)
_RANK = {NONE: 0, CONCERN: 1, URGENT: 2}


@dataclass(frozen=True)
class Assessment:
    level: str = NONE
    # Why, for moderators, e.g. ('urgent: means at hand “the rope in the car” + a time
    # “tonight”', "method: ...", "model: ...").
    reasons: tuple[str, ...] = ()
    asks_for_method: bool = False

    @property
    def is_crisis(self) -> bool:
        return self.level != NONE


def assess(text: str) -> Assessment:
    """How worried to be about this text (Markdown, as a member writes it), and why."""
    return assess_visible(texts.visible_text(text or ""))


def assess_visible(text: str) -> Assessment:
    """assess() for text already as readers see it (rendered, tags gone)."""
    return _assess_normalised(texts.normalise(text or ""))


def method_details(text: str) -> bool:
    """True when the text asks for or gives method details of suicide or self-harm.

    Such a post is held for a moderator's review (moderation screening's hold rule);
    its author is told why and shown their crisis lines."""
    return assess(text).asks_for_method


def method_details_visible(text: str) -> bool:
    return assess_visible(text).asks_for_method


def normalise(text: str) -> str:
    """Text as the rules read it, in one line: safety.text.normalise (folded, contractions
    expanded, common spellings joined), possessives dropped, punctuation gone, single
    spaces. For other checks that match phrases the same way (safety.reply_check)."""
    text = _POSSESSIVE.sub(_possessive, texts.normalise(text or ""))
    return _NON_WORD.sub(" ", text).strip()


@lru_cache(maxsize=64)
def _assess_normalised(normalised: str) -> Assessment:
    if not normalised:
        return Assessment()
    segments = _segments(normalised)
    found = find_cues(normalised, segments)
    level, reasons = combine(found)
    method = bool(found.get("method"))
    if method:
        reasons.append(_reason("method", (("method", found["method"][0]),)))

    score = crisis_model.score(segments[1].joined)
    if score is not None:
        if _RANK[score.level] > _RANK[level]:
            level = score.level
        if score.level != NONE:
            reasons.append(score.reason())
        if score.method and not method:
            method = True
            reasons.append(score.method_reason())
    if method and level == NONE:
        level = CONCERN
    return Assessment(level=level, reasons=tuple(reasons), asks_for_method=method)


# --- Cues and how they combine ------------------------------------------------------------

CUE_KINDS = (
    "intent", "attempt", "place", "means", "plan", "goodbye", "farewell", "decision", "doing", "time",
    "ideation", "selfharm", "others", "rescue", "unreachable", "method",
)
# What a moderator reads for each kind of cue.
CUE_LABELS = {
    "intent": "says they will end their life",
    "attempt": "an attempt made or under way",
    "place": "at a place to end their life",
    "means": "means at hand",
    "plan": "a plan",
    "goodbye": "goodbye acts",
    "farewell": "a farewell",
    "decision": "a decision made",
    "doing": "says it is happening",
    "time": "a time",
    "ideation": "thoughts of dying or of giving up",
    "selfharm": "self-harm",
    "others": "someone else at risk",
    "rescue": "emergency services called",
    "unreachable": "cannot be reached",
    "method": "method details",
}
# Cues that count only alongside another kind of cue (the `when` lines): "tonight", "the
# rope in the car" or "last post here" alone is no alarm.
_SUPPORTING = frozenset(
    {"means", "plan", "goodbye", "others", "time", "farewell", "decision", "doing", "rescue", "unreachable"}
)
# Cues about someone else read quoted words too ("he texted 'I'm sorry, it's not your fault'").
_READ_QUOTES = frozenset({"others", "rescue", "unreachable"})
# An explicit present intent is never cancelled by a past-tense sentence around it.
_PRESENT = frozenset({"intent"})
# Cues a negation cannot cancel: a time is a time, a question is a question.
_NOT_NEGATED = frozenset({"time", "method", "rescue", "others", "unreachable", "farewell"})


def model_input(normalised: str) -> str:
    """What the model reads: the normalised text in clauses, idioms blanked out (the
    rules' ignore list: "this taper is killing me", "dying to know"), quotes kept."""
    return _segments(normalised)[1].joined


def _segments(normalised: str) -> tuple["_Segments", "_Segments"]:
    """The text in clauses without quoted words, and with them."""
    rules = _rules()
    plain = _Segments.of(normalised, rules, keep_quotes=False)
    quoted = _Segments.of(normalised, rules, keep_quotes=True) if ('"' in normalised or "'" in normalised) else plain
    return plain, quoted


def find_cues(normalised: str, segments: tuple["_Segments", "_Segments"] | None = None) -> dict[str, list[str]]:
    """Each kind of cue found in the (normalised) text, with the words that matched."""
    rules = _rules()
    plain, quoted = segments or _segments(normalised)
    found: dict[str, list[str]] = {}
    for kind, pattern in rules.candidates(plain.words | quoted.words):
        segments = quoted if kind in _READ_QUOTES else plain
        match = segments.first(pattern, rules.negations, negatable=kind not in _NOT_NEGATED,
                               past_cancels=kind not in _PRESENT)
        if match is not None:
            words = found.setdefault(kind, [])
            if match not in words:
                words.append(match)
    return found


def combine(found: dict[str, list[str]]) -> tuple[str, list[str]]:
    """The level the cues reach together, and a reason for each combination met."""
    rules = _rules()
    for level in (URGENT, CONCERN):
        reasons = []
        for combo_level, kinds in rules.combos:
            if combo_level == level and all(kind in found for kind in kinds):
                chosen = _distinct(kinds, found)
                if chosen is None:
                    continue
                reason = _reason(level, tuple(zip(kinds, chosen, strict=True)))
                if reason not in reasons:
                    reasons.append(reason)
        if reasons:
            return level, reasons[:3]
    return NONE, []


def _distinct(kinds: tuple[str, ...], found: dict[str, list[str]], chosen: tuple[str, ...] = ()):
    """One match for each kind, no two of them the same words ("tonight is the night" is
    a decision, and it holds a time: one cue, not two)."""
    if len(chosen) == len(kinds):
        return chosen
    for words in found[kinds[len(chosen)]]:
        if not any(words in other or other in words for other in chosen):
            result = _distinct(kinds, found, chosen + (words,))
            if result is not None:
                return result
    return None


def _reason(level: str, cues: tuple[tuple[str, str], ...]) -> str:
    return f"{level}: " + " + ".join(f"{CUE_LABELS[kind]} “{words}”" for kind, words in cues)


# --- Reading the text ---------------------------------------------------------------------

# Double quotes, and single quotes around words ('I can't do this' - by now the
# apostrophes inside words are gone or stand in a word: "mum's", "j'ai").
_QUOTED = re.compile(r'"[^"]{1,600}"|(?<![a-z0-9])\'(?=[a-z0-9])[^\'\n]{1,300}(?<=[a-z0-9.!?,])\'(?![a-z0-9])')
_DIGIT_LETTER = re.compile(r"(\d)([a-z])")
_POSSESSIVE = re.compile(r"\b([a-z0-9]+)'s\b")
_IS_WORDS = frozenset(
    {"it", "that", "there", "what", "here", "who", "where", "this", "he", "she", "everything", "nothing",
     "tonight", "today", "life", "everyone", "now", "time", "which", "how", "one"}
)
# Sentences end at . ! ? ; : and new lines, at a dash between spaces, and before "but"
# or "now/today/this time I...": "two years ago I tried; today I am well".
_ELLIPSIS = re.compile(r"\.{2,}")  # "going to... kill myself": a pause, not the end of a sentence
_SENTENCE_END = re.compile(
    r"[.!?;:\n]+|\s-+\s|,?\s(?:but|however|yet|except|whereas)\s"
    r"|,?\s(?:and )?(?:now|today|this time|these days|nowadays|mais|maintenant|cette fois)\s(?=(?:i|je|j)\s)"
)
_NON_WORD = re.compile(r"[^a-z0-9]+")
_NEGATION_WINDOW = 4
# Where a clause restarts: a negation before one of these does not govern what follows.
_CLAUSE_STARTERS = frozenset({"i", "but", "and", "so", "because", "though", "although", "je", "j", "mais"})
_HYPOTHETICAL = frozenset({"if", "whether", "si"})


def _possessive(match: re.Match) -> str:
    word = match.group(1)
    return f"{word} is" if word in _IS_WORDS else word


@dataclass
class _Segments:
    """The text cut into clauses, one per line, with where each starts, whether its
    sentence is told as past, and the set of its words."""

    joined: str
    starts: list[int]
    past: list[bool]
    words: frozenset[str]

    @classmethod
    def of(cls, normalised: str, rules: "_Rules", *, keep_quotes: bool) -> "_Segments":
        text = normalised.replace('"', " ") if keep_quotes else _QUOTED.sub(" . ", normalised)
        text = _DIGIT_LETTER.sub(r"\1 \2", _POSSESSIVE.sub(_possessive, _ELLIPSIS.sub(" ", text)))
        # Sentences one per line, commas kept as " , " so that idioms (ignore) can be
        # blanked across them; then the clauses, one per line.
        sentences = [
            _NON_WORD.sub(" ", sentence.replace(",", " qqcomma ")).strip() for sentence in _SENTENCE_END.split(text)
        ]
        lines = "\n".join(sentence.replace("qqcomma", ",") for sentence in sentences if sentence)
        present = frozenset(lines.split())
        for pattern in rules.ignore:
            if pattern.triggers is None or not present.isdisjoint(pattern.triggers):
                lines = pattern.regex.sub("zz ", lines)
        clauses: list[str] = []
        sentence_of: list[int] = []
        for number, sentence in enumerate(lines.split("\n")):
            for part in sentence.split(","):
                part = " ".join(part.split())
                if part:
                    clauses.append(part)
                    sentence_of.append(number)
        joined = "\n".join(clauses)
        starts, offset = [], 0
        for clause in clauses:
            starts.append(offset)
            offset += len(clause) + 1
        past_sentences = set()
        present = frozenset(joined.split())
        for pattern in rules.past:
            if pattern.triggers is not None and present.isdisjoint(pattern.triggers):
                continue
            for match in pattern.regex.finditer(joined):
                past_sentences.add(sentence_of[bisect.bisect_right(starts, match.start()) - 1])
        past = [sentence in past_sentences for sentence in sentence_of]
        return cls(joined=joined, starts=starts, past=past, words=present)

    def first(self, pattern: "_Pattern", negations: frozenset[str], *, negatable: bool, past_cancels: bool):
        """The words of the first match that no negation or past tense cancels."""
        for match in pattern.regex.finditer(self.joined):
            index = bisect.bisect_right(self.starts, match.start()) - 1
            if past_cancels and self.past[index]:
                continue
            if negatable:
                before = self.joined[self.starts[index] : match.start()].split()[-_NEGATION_WINDOW:]
                for position in range(len(before) - 1, -1, -1):
                    # "if I took all my pills": the "if" still governs.
                    if before[position] in _CLAUSE_STARTERS and (
                        position == 0 or before[position - 1] not in _HYPOTHETICAL
                    ):
                        before = before[position + 1 :]
                        break
                if negations.intersection(before):
                    continue
            words = match.group(0).strip()
            if words:
                return words
        return None


# --- Reading the patterns file ------------------------------------------------------------

_TOKEN = re.compile(r"[ ]*(\.\.\.|\.\.|\{[A-Z_]+\}|<num>|<year>|<end>|<start>|[()\[\]|]|[a-z0-9]+\*?)")
_OTHER_KINDS = ("ignore", "past", "negation")


class PatternError(ValueError):
    pass


@dataclass(frozen=True)
class _Pattern:
    regex: re.Pattern
    # At least one of these words is in any text the pattern matches (None: no such set).
    triggers: frozenset[str] | None


@dataclass(frozen=True)
class _Rules:
    cues: dict[str, tuple[_Pattern, ...]]
    ignore: tuple[_Pattern, ...]
    past: tuple[_Pattern, ...]
    negations: frozenset[str]
    combos: tuple[tuple[str, tuple[str, ...]], ...]
    # Which cues a text's words could set off: each cue by its filter words, and those
    # without filter words, always; numbered in the file's order.
    by_word: dict[str, tuple[int, ...]] = field(default_factory=dict)
    always: tuple[int, ...] = ()
    ordered: tuple[tuple[str, _Pattern], ...] = ()

    def candidates(self, words: frozenset[str]) -> list[tuple[str, _Pattern]]:
        numbers = set(self.always)
        for word in words:
            numbers.update(self.by_word.get(word, ()))
        return [self.ordered[number] for number in sorted(numbers)]


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    return parse_rules(PATTERNS_FILE.read_text(encoding="utf-8"))


def parse_rules(source: str) -> _Rules:
    groups: dict[str, str] = {}
    negations: set[str] = set()
    deferred: list[tuple[int, str, str]] = []
    combos: list[tuple[str, tuple[str, ...]]] = []
    for number, raw in enumerate(source.splitlines(), start=1):
        line = raw.split(" #", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
        if not line:
            continue
        if line.startswith("@"):
            name, _, body = line[1:].partition("=")
            groups[name.strip()] = body.strip()
            continue
        kind, _, body = line.partition(" ")
        body = body.strip()
        if kind == "when":
            level, _, cues = body.partition(" ")
            kinds = tuple(cue.strip() for cue in cues.split("+"))
            if level not in (URGENT, CONCERN) or not all(cue in CUE_KINDS for cue in kinds):
                raise PatternError(f"line {number}: expected 'when <urgent|concern> <kind> [+ <kind> ...]'")
            combos.append((level, kinds))
            continue
        if kind not in CUE_KINDS + _OTHER_KINDS or not body:
            kinds = CUE_KINDS + _OTHER_KINDS
            raise PatternError(f"line {number}: expected '<kind> <pattern>' with kind one of {kinds}")
        if kind == "negation":
            negations.add(body)
        else:
            deferred.append((number, kind, body))
    not_negation = "|".join(sorted(negations)) or "zz"
    gaps = {
        "...": r"(?:\b(?!(?:%s)\b)[a-z0-9]+\b[ ]*){0,6}" % not_negation,
        "..": r"(?:\b(?!(?:%s)\b)[a-z0-9]+\b[ ]*){0,3}" % not_negation,
    }
    cues: dict[str, list[_Pattern]] = {kind: [] for kind in CUE_KINDS}
    other: dict[str, list[_Pattern]] = {kind: [] for kind in _OTHER_KINDS}
    for number, kind, body in deferred:
        regex, triggers = _Parser(body, groups, gaps, number, seen=()).parse()
        if kind == "ignore":
            regex = regex.replace("[ ]*", "[ ,]*")  # an idiom may run across a comma
        compiled = re.compile(regex, re.MULTILINE)
        if kind in CUE_KINDS:
            if kind not in _SUPPORTING:
                # Guard against a cue that one word could satisfy.
                for word in set(re.findall(r"[a-z0-9]+", body)):
                    if compiled.fullmatch(word):
                        raise PatternError(f"line {number}: '{body}' matches the single word '{word}'")
            cues[kind].append(_Pattern(compiled, triggers))
        else:
            other[kind].append(_Pattern(compiled, triggers))
    ordered = tuple((kind, pattern) for kind in CUE_KINDS for pattern in cues[kind])
    by_word: dict[str, list[int]] = {}
    for number, (_, pattern) in enumerate(ordered):
        for word in pattern.triggers or ():
            by_word.setdefault(word, []).append(number)
    return _Rules(
        cues={kind: tuple(cues[kind]) for kind in CUE_KINDS},
        ignore=tuple(other["ignore"]),
        past=tuple(other["past"]),
        negations=frozenset(negations),
        combos=tuple(combos),
        by_word={word: tuple(numbers) for word, numbers in by_word.items()},
        always=tuple(number for number, (_, pattern) in enumerate(ordered) if pattern.triggers is None),
        ordered=ordered,
    )


_STOPWORDS = frozenset(
    "i a the my to is am are of and in on it me you be have has was this that for at with so not do just"
    " je j le la les de du un une et a au en est ai pas me ma mon mes il elle y ce".split()
)


class _Parser:
    """Reads one pattern into a regular expression, and the words of which at least one
    must be in a text for the pattern to match there (a quick filter: most patterns are
    not tried at all on most posts)."""

    def __init__(self, body: str, groups: dict[str, str], gaps: dict[str, str], number: int, seen: tuple[str, ...]):
        self.tokens = self._tokens(body.strip(), number)
        self.position = 0
        self.groups, self.gaps, self.number, self.seen = groups, gaps, number, seen

    @staticmethod
    def _tokens(body: str, number: int) -> list[str]:
        tokens, position = [], 0
        while position < len(body):
            match = _TOKEN.match(body, position)
            if match is None or not match.group(1):
                raise PatternError(f"line {number}: cannot read {body[position:]!r}")
            tokens.append(match.group(1))
            position = match.end()
            while position < len(body) and body[position] == " ":
                position += 1
        return tokens

    def parse(self) -> tuple[str, frozenset[str] | None]:
        regex, triggers = self._choice()
        if self.position != len(self.tokens):
            raise PatternError(f"line {self.number}: unbalanced brackets")
        return regex, triggers

    def _choice(self) -> tuple[str, frozenset[str] | None]:
        options = [self._sequence()]
        while self.position < len(self.tokens) and self.tokens[self.position] == "|":
            self.position += 1
            options.append(self._sequence())
        regex = "|".join(option for option, _ in options)
        if any(triggers is None for _, triggers in options):
            return regex, None
        return regex, frozenset().union(*(triggers for _, triggers in options))

    def _sequence(self) -> tuple[str, frozenset[str] | None]:
        parts: list[str] = []
        candidates: list[frozenset[str]] = []
        while self.position < len(self.tokens) and self.tokens[self.position] not in ("|", ")", "]"):
            piece = self.tokens[self.position]
            self.position += 1
            if piece in "([":
                inner, triggers = self._choice()
                closing = ")" if piece == "(" else "]"
                if self.position >= len(self.tokens) or self.tokens[self.position] != closing:
                    raise PatternError(f"line {self.number}: expected {closing!r}")
                self.position += 1
                parts.append(f"(?:{inner})" + ("?" if piece == "[" else ""))
                if piece == "(" and triggers:
                    candidates.append(triggers)
            elif piece in self.gaps:
                parts.append(self.gaps[piece])
            elif piece.startswith("{"):
                name = piece[1:-1]
                if name not in self.groups or name in self.seen:
                    raise PatternError(f"line {self.number}: unknown or recursive group {piece}")
                inner, triggers = _Parser(
                    self.groups[name], self.groups, self.gaps, self.number, self.seen + (name,)
                ).parse()
                parts.append(f"(?:{inner})")
                if triggers:
                    candidates.append(triggers)
            elif piece == "<num>":
                parts.append(r"\b\d+\b[ ]*")
            elif piece == "<year>":
                parts.append(r"\b(?:19|20)\d\d\b[ ]*")
            elif piece == "<end>":
                parts.append("$")
            elif piece == "<start>":
                parts.append("^")
            elif piece.endswith("*"):
                parts.append(r"\b" + re.escape(piece[:-1]) + r"[a-z0-9]*\b[ ]*")
            else:
                parts.append(r"\b" + re.escape(piece) + r"\b[ ]*")
                candidates.append(frozenset({piece}))
        if not candidates:
            return "".join(parts), None
        return "".join(parts), min(candidates, key=_trigger_cost)


def _trigger_cost(words: frozenset[str]) -> tuple[int, int, int]:
    """Prefer filter words that are rare: no stop words, few of them, long ones."""
    return (sum(word in _STOPWORDS for word in words), len(words), -min(len(word) for word in words))
