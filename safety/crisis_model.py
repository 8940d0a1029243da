"""The trained half of crisis detection: a linear model over character n-grams and words.

`manage.py crisis_train` fits it on safety/corpus/crisis_train.jsonl with scikit-learn
(safety/crisis_training.py) and writes crisis_model.json beside this module: for each
feature its inverse document frequency and one weight per question the model answers
(is this post flagged at all, is it urgent, does it ask for or give method details),
plus the intercepts and the thresholds chosen by cross-validation on the training data.
This module reads that JSON once per process and scores posts in plain Python: no
scikit-learn, no pickle, nothing executed from the file.

The features are computed here and used by training too, so the two cannot drift:
character n-grams of 2 to 5 inside word boundaries (" kms ", "tonig"), single words
and word pairs ("w:the rope"), all from safety.text.normalise's text.
"""

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MODEL_FILE = Path(__file__).with_name("crisis_model.json")
FORMAT = 1
QUESTIONS = ("flag", "urgent", "method")
THRESHOLDS = ("flag", "urgent", "urgent_flag", "method")

_WORD_CHARS = re.compile(r"[^a-z0-9']+")
# Words too common to explain a score to a moderator (moderation.sourcing_model uses them too).
STOPWORDS = frozenset(
    "i a an the my me to is am are was were be been of and or in on at it its this that for with so not do does"
    " did just have has had will would can could all if from by as but what there here you your we they he she"
    " him her them his their our up out about like get got one now then than too very really also how when where"
    " je j le la les de du des un une et en est ai pas me ma mon mes il elle y ce ca que qui a au aux pour sur"
    " dans se sa son ses on nous vous ils elles tout toute plus pis".split()
)
CHAR_NGRAMS = (2, 5)
# Fewer words than this is too little for the model to judge alone: the rules decide.
MIN_WORDS = 10
WORD_CACHE = 20_000


def words_of(normalised: str) -> list[str]:
    words = (word.strip("'") for word in _WORD_CHARS.sub(" ", normalised).split())
    return [word for word in words if word]


def feature_counts(words: list[str], grams_of, index) -> dict[str, int]:
    """How often each feature the model knows occurs among `words`: `grams_of(word)`
    gives a word's known character n-grams, then single words and word pairs. The same
    features as features(), counted as they come (used by both trained models)."""
    counts: dict[str, int] = {}
    for word in words:
        for gram in grams_of(word):
            counts[gram] = counts.get(gram, 0) + 1
    for gram in ["w:" + word for word in words] + [f"w:{a} {b}" for a, b in zip(words, words[1:], strict=False)]:
        if gram in index:
            counts[gram] = counts.get(gram, 0) + 1
    return counts


def features(normalised: str) -> list[str]:
    """The features of a normalised post, repeated as often as they occur."""
    words = words_of(normalised)
    out: list[str] = []
    low, high = CHAR_NGRAMS
    for word in words:
        padded = f" {word} "
        length = len(padded)
        for n in range(low, min(high, length) + 1):
            out.extend(padded[start : start + n] for start in range(length - n + 1))
    out.extend("w:" + word for word in words)
    out.extend(f"w:{first} {second}" for first, second in zip(words, words[1:], strict=False))
    return out


@dataclass(frozen=True)
class Score:
    flag: float  # probability-like scores from the logistic model
    urgent: float
    method_score: float
    level: str  # what the thresholds make of them: "none", "concern" or "urgent"
    method: bool
    top_words: tuple[str, ...]  # the words that pushed the score up most

    def reason(self) -> str:
        score = self.urgent if self.level == "urgent" else self.flag
        words = ", ".join(f"“{word}”" for word in self.top_words)
        weighed = f"; words that weighed most: {words}" if words else ""
        return f"model: reads like the {self.level} posts it learned from (score {score:.2f}{weighed})"

    def method_reason(self) -> str:
        return f"method: the model reads method details (score {self.method_score:.2f})"


class Model:
    def __init__(self, data: dict):
        if data.get("format") != FORMAT:
            raise ValueError(f"crisis model format {data.get('format')!r}, expected {FORMAT}")
        self.thresholds = {name: float(data["thresholds"][name]) for name in THRESHOLDS}
        self.intercepts = tuple(float(data["intercepts"][question]) for question in QUESTIONS)
        self.trained_on = data["trained_on"]
        names, idf = data["features"], data["idf"]
        columns = [data["weights"][question] for question in QUESTIONS]
        if not all(len(column) == len(names) for column in [idf, *columns]):
            raise ValueError("crisis model columns differ in length")
        # One lookup per feature: its idf and its weight for each question.
        self._known_grams: dict[str, tuple[str, ...]] = {}
        self.index = {
            name: (name, idf[position], *(column[position] for column in columns))
            for position, name in enumerate(names)
        }

    def _grams(self, word: str) -> tuple[str, ...]:
        """A word's character n-grams that the model knows, remembered for the first
        WORD_CACHE words seen (words repeat; about 0.3 kB each, the n-grams shared with
        the model's own feature names)."""
        grams = self._known_grams.get(word)
        if grams is None:
            padded = f" {word} "
            length = len(padded)
            low, high = CHAR_NGRAMS
            index = self.index
            grams = tuple(
                index[gram][0]
                for n in range(low, min(high, length) + 1)
                for start in range(length - n + 1)
                if (gram := padded[start : start + n]) in index
            )
            if len(self._known_grams) < WORD_CACHE:
                self._known_grams[word] = grams
        return grams

    def score(self, normalised: str) -> Score:
        words = words_of(normalised)
        index = self.index
        counts = feature_counts(words, self._grams, index)
        squares = flag = urgent = method = 0.0
        values = {}
        for feature, count in counts.items():
            _, idf, weight_flag, weight_urgent, weight_method = index[feature]
            value = (1.0 + math.log(count)) * idf if count > 1 else idf
            values[feature] = value
            squares += value * value
            flag += value * weight_flag
            urgent += value * weight_urgent
            method += value * weight_method
        norm = math.sqrt(squares) or 1.0
        sums = (flag / norm, urgent / norm, method / norm)
        probability = {
            question: sigmoid(total + intercept)
            for question, total, intercept in zip(QUESTIONS, sums, self.intercepts, strict=True)
        }
        # A short post is too little for the model to judge ("pills", "my dog is sick
        # tonight"): most of the corpus it learned from is longer, and on a few words it
        # leans on one ("tonight", "pills"). The rules alone decide on so short a text.
        if len(words) < MIN_WORDS:
            probability = dict.fromkeys(QUESTIONS, 0.0)
        level = model_level(probability, self.thresholds)
        top_words: tuple[str, ...] = ()
        if level != "none":
            column = 3 if level == "urgent" else 2
            pushes = sorted(
                ((value * index[feature][column], feature) for feature, value in values.items()
                 if feature.startswith("w:")),
                reverse=True,
            )
            top_words = tuple(
                feature[2:] for push, feature in pushes if push > 0 and not STOPWORDS.issuperset(feature[2:].split())
            )[:3]
        return Score(
            flag=probability["flag"],
            urgent=probability["urgent"],
            method_score=probability["method"],
            level=level,
            method=probability["method"] >= self.thresholds["method"],
            top_words=top_words,
        )


def model_level(probability: dict, thresholds: dict) -> str:
    """What the thresholds make of the model's scores. Urgent needs the urgent score and
    a flag score of at least thresholds["urgent_flag"]."""
    if probability["urgent"] >= thresholds["urgent"] and probability["flag"] >= thresholds["urgent_flag"]:
        return "urgent"
    if probability["flag"] >= thresholds["flag"]:
        return "concern"
    return "none"


def sigmoid(value: float) -> float:
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exp = math.exp(value)
    return exp / (1.0 + exp)


@lru_cache(maxsize=1)
def model() -> Model | None:
    """The committed model, read once per process (None only before the first training)."""
    if not MODEL_FILE.exists():
        return None
    return Model(json.loads(MODEL_FILE.read_text(encoding="utf-8")))


def score(normalised: str) -> Score | None:
    current = model()
    return current.score(normalised) if current is not None else None
