"""Crisis language assessment: does a post suggest its author may be at risk?

`assess(text)` returns an Assessment with a level ("none", "concern", "urgent") and the
reasons that matched. The phrases live in crisis_patterns.txt beside this module, in a
small commented format described at its top; this module only reads and applies them.

A match is a reason to show the author their crisis lines and to put the post in front
of a moderator. It never blocks or deletes a post. The one exception is method details
of suicide or self-harm, which the moderation queue holds for review: ask
`method_details(text)` (or `assess(text).asks_for_method`).

Matching works sentence by sentence on normalised text: lower case, contractions
expanded, double-quoted passages set aside, punctuation removed. A match is dropped
when a negation word ("not", "never", "no", ...) stands just before it in its clause,
or when its sentence is told as past ("two years ago", "used to", "in 2019").
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PATTERNS_FILE = Path(__file__).with_name("crisis_patterns.txt")

NONE, CONCERN, URGENT = "none", "concern", "urgent"
LEVELS = (NONE, CONCERN, URGENT)
_RANK = {NONE: 0, CONCERN: 1, URGENT: 2}

_GAP_WORDS = 6
_NEGATION_WINDOW = 4
# Where a clause restarts: a negation before one of these does not govern what follows.
_CLAUSE_STARTERS = frozenset({"i", "but", "and", "so", "because", "though", "although"})


@dataclass(frozen=True)
class Assessment:
    level: str = NONE
    # What matched, e.g. ("urgent: going to kill myself tonight", "method: lethal dose").
    reasons: tuple[str, ...] = ()
    asks_for_method: bool = False

    @property
    def is_crisis(self) -> bool:
        return self.level != NONE


@dataclass(frozen=True)
class _Rules:
    urgent: tuple[re.Pattern, ...]
    concern: tuple[re.Pattern, ...]
    method: tuple[re.Pattern, ...]
    ignore: tuple[re.Pattern, ...]
    past: tuple[re.Pattern, ...]
    negations: frozenset[str]


def assess(text: str) -> Assessment:
    """How worried to be about this text, and why."""
    rules = _rules()
    level = NONE
    reasons: list[str] = []
    method = False
    for sentence in _sentences(text or ""):
        for pattern in rules.ignore:
            sentence = pattern.sub(" zz ", sentence)
        if any(pattern.search(sentence) for pattern in rules.past):
            continue
        for kind, patterns in ((URGENT, rules.urgent), (CONCERN, rules.concern), ("method", rules.method)):
            for pattern in patterns:
                found = _first_unnegated(pattern, sentence, rules.negations)
                if found is None:
                    continue
                reason = f"{kind}: {found}"
                if reason not in reasons:
                    reasons.append(reason)
                if kind == "method":
                    method = True
                    kind = CONCERN
                if _RANK[kind] > _RANK[level]:
                    level = kind
    return Assessment(level=level, reasons=tuple(reasons), asks_for_method=method)


def method_details(text: str) -> bool:
    """True when the text asks for or gives method details of suicide or self-harm.

    Such a post is held for a moderator's review (the moderation queue's hold rule calls
    this); its author is told why and shown their crisis lines."""
    return assess(text).asks_for_method


# --- Reading the text --------------------------------------------------------------------

_QUOTED = re.compile(r'"[^"\n]{1,300}"|“[^”\n]{1,300}”|„[^“”\n]{1,300}[“”]')
_SENTENCE_END = re.compile(r"[.!?;:\n]+|\s[-–—]\s|,\s*(?:but|and now|and today|yet)\s|\sbut\s")
_CONTRACTIONS = [
    (r"\bi'm\b", "i am"), (r"\bi've\b", "i have"), (r"\bi'll\b", "i will"), (r"\bi'd\b", "i would"),
    (r"\bcan't\b", "cannot"), (r"\bwon't\b", "will not"), (r"\bshan't\b", "shall not"), (r"n't\b", " not"),
    (r"'re\b", " are"), (r"'ll\b", " will"), (r"'ve\b", " have"), (r"'d\b", " would"),
    (r"\b(it|that|there|what|here|life)'s\b", r"\1 is"), (r"'s\b", ""),
    # The same words typed without an apostrophe.
    (r"\bim\b", "i am"), (r"\bive\b", "i have"), (r"\bcant\b", "cannot"), (r"\bwont\b", "will not"),
    (r"\b(do|does|did|is|was|were|would|could|should|have|has|had|are)nt\b", r"\1 not"),
    (r"\bgonna\b", "going to"), (r"\bwanna\b", "want to"), (r"\bgotta\b", "got to"),
    (r"\bselfharm", "self harm"), (r"\bkms\b", "kill myself"),
]
_CONTRACTION_RES = [(re.compile(pattern), replacement) for pattern, replacement in _CONTRACTIONS]
_NON_WORD = re.compile(r"[^a-z0-9]+")


def normalise(text: str) -> str:
    """Lower case, contractions expanded, punctuation gone, single spaces."""
    text = text.lower().replace("’", "'").replace("‘", "'").replace("`", "'")
    for pattern, replacement in _CONTRACTION_RES:
        text = pattern.sub(replacement, text)
    return _NON_WORD.sub(" ", text).strip()


def _sentences(text: str) -> list[str]:
    text = _QUOTED.sub(" . ", text)
    parts = (normalise(part) for part in _SENTENCE_END.split(text))
    return [part for part in parts if part]


def _first_unnegated(pattern: re.Pattern, sentence: str, negations: frozenset[str]) -> str | None:
    for match in pattern.finditer(sentence):
        before = sentence[: match.start()].split()[-_NEGATION_WINDOW:]
        for index in range(len(before) - 1, -1, -1):
            if before[index] in _CLAUSE_STARTERS:
                before = before[index + 1 :]
                break
        if not negations.intersection(before):
            return match.group(0).strip()
    return None


# --- Reading the patterns file -----------------------------------------------------------

_TOKEN = re.compile(r"\s*(\.\.\.|\{[A-Z_]+\}|<num>|<year>|[()\[\]|]|[a-z0-9]+)")
_KINDS = ("urgent", "concern", "method", "ignore", "past", "negation")


class PatternError(ValueError):
    pass


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    return parse_rules(PATTERNS_FILE.read_text(encoding="utf-8"))


def parse_rules(source: str) -> _Rules:
    groups: dict[str, str] = {}
    compiled: dict[str, list[re.Pattern]] = {kind: [] for kind in _KINDS if kind != "negation"}
    negations: set[str] = set()
    deferred: list[tuple[int, str, str]] = []
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
        if kind not in _KINDS or not body:
            raise PatternError(f"line {number}: expected '<kind> <pattern>' with kind one of {_KINDS}")
        if kind == "negation":
            negations.add(body)
        else:
            deferred.append((number, kind, body))
    gap = r"(?:\b(?!(?:%s)\b)[a-z0-9]+\b\s*){0,%d}" % ("|".join(sorted(negations)) or "zz", _GAP_WORDS)
    for number, kind, body in deferred:
        regex = _compile(body, groups, gap, number, seen=())
        if kind in ("urgent", "concern", "method"):
            # Guard against a rule that one word could satisfy.
            for word in set(re.findall(r"[a-z]+", body)):
                if re.fullmatch(regex, word):
                    raise PatternError(f"line {number}: '{body}' matches the single word '{word}'")
        compiled[kind].append(re.compile(regex))
    return _Rules(
        urgent=tuple(compiled["urgent"]),
        concern=tuple(compiled["concern"]),
        method=tuple(compiled["method"]),
        ignore=tuple(compiled["ignore"]),
        past=tuple(compiled["past"]),
        negations=frozenset(negations),
    )


def _compile(body: str, groups: dict[str, str], gap: str, number: int, *, seen: tuple[str, ...]) -> str:
    out: list[str] = []
    position = 0
    body = body.strip()
    while position < len(body):
        match = _TOKEN.match(body, position)
        if match is None:
            raise PatternError(f"line {number}: cannot read {body[position:]!r}")
        piece = match.group(1)
        position = match.end()
        if piece == "...":
            out.append(gap)
        elif piece.startswith("{"):
            name = piece[1:-1]
            if name not in groups or name in seen:
                raise PatternError(f"line {number}: unknown or recursive group {piece}")
            out.append("(?:" + _compile(groups[name], groups, gap, number, seen=seen + (name,)) + ")")
        elif piece == "<num>":
            out.append(r"\b\d+\b\s*")
        elif piece == "<year>":
            out.append(r"\b(?:19|20)\d\d\b\s*")
        elif piece in "([":
            out.append("(?:")
        elif piece == ")":
            out.append(")")
        elif piece == "]":
            out.append(")?")
        elif piece == "|":
            out.append("|")
        else:
            out.append(r"\b" + re.escape(piece) + r"\b\s*")
        while position < len(body) and body[position] == " ":
            position += 1
    return "".join(out)
