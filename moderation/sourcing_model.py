"""The trained half of sourcing detection: a linear model over character n-grams and words.

`manage.py sourcing_train` fits it on moderation/corpus/sourcing_train.jsonl with
scikit-learn (moderation/sourcing_training.py) and writes sourcing_model.json beside this
module: each feature's inverse document frequency, its weight for "is this sourcing" and
one weight per kind (which kind of sourcing a post most reads like), the intercepts, and
the threshold chosen by cross-validation on the training posts. This module reads the
JSON once per process and scores posts in plain Python: no scikit-learn, no pickle,
nothing executed from the file.

The features are safety.crisis_model's (character n-grams of 2 to 5 inside word
boundaries, single words and word pairs), computed on moderation.sourcing.read's text,
so training and serving cannot drift apart.
"""

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from safety.crisis_model import CHAR_NGRAMS, STOPWORDS, feature_counts, sigmoid, words_of

__all__ = ["MIN_WORDS", "Model", "Score", "model", "score", "words_of"]

MODEL_FILE = Path(__file__).with_name("sourcing_model.json")
FORMAT = 1
# Fewer words than this and the model is not asked (moderation.sourcing.model_may_judge):
# no labelled post is shorter, and on a few words it guesses.
MIN_WORDS = 6
WORD_CACHE = 20_000


@dataclass(frozen=True)
class Score:
    probability: float  # how much the post reads like sourcing, 0 to 1
    kind: str  # the kind of sourcing it reads most like
    top_words: tuple[str, ...]  # the words that pushed the score up most


class Model:
    def __init__(self, data: dict):
        if data.get("format") != FORMAT:
            raise ValueError(f"sourcing model format {data.get('format')!r}, expected {FORMAT}")
        # "plain" for most posts, "care" for posts about care, harm reduction, a warning or
        # the past (moderation.sourcing.threshold_for).
        self.thresholds = {name: float(value) for name, value in data["thresholds"].items()}
        self.kinds = tuple(data["kinds"])
        self.intercept = float(data["intercept"])
        self.kind_intercepts = tuple(float(value) for value in data["kind_intercepts"])
        self.trained_on = data["trained_on"]
        names, idf, weights = data["features"], data["idf"], data["weights"]
        kind_weights = data["kind_weights"]
        if not len(names) == len(idf) == len(weights) == len(kind_weights):
            raise ValueError("sourcing model columns differ in length")
        self.index = {
            name: (idf[position], weights[position], kind_weights[position])
            for position, name in enumerate(names)
        }
        self._known_grams: dict[str, tuple[str, ...]] = {}

    def _grams(self, word: str) -> tuple[str, ...]:
        grams = self._known_grams.get(word)
        if grams is None:
            padded = f" {word} "
            length = len(padded)
            low, high = CHAR_NGRAMS
            index = self.index
            grams = tuple(
                gram
                for n in range(low, min(high, length) + 1)
                for start in range(length - n + 1)
                if (gram := padded[start : start + n]) in index
            )
            if len(self._known_grams) < WORD_CACHE:
                self._known_grams[word] = grams
        return grams

    def score(self, reading: str) -> Score:
        """Score a post as moderation.sourcing.read returns it."""
        words = words_of(reading)
        index = self.index
        counts = feature_counts(words, self._grams, index)
        squares = total = 0.0
        values = {}
        for feature, count in counts.items():
            idf, weight, _ = index[feature]
            value = (1.0 + math.log(count)) * idf if count > 1 else idf
            values[feature] = value
            squares += value * value
            total += value * weight
        norm = math.sqrt(squares) or 1.0
        probability = sigmoid(total / norm + self.intercept)
        sums = [0.0] * len(self.kinds)
        for feature, value in values.items():
            for position, weight in enumerate(index[feature][2]):
                sums[position] += value * weight
        kind_scores = [total / norm + intercept for total, intercept in zip(sums, self.kind_intercepts, strict=True)]
        kind = self.kinds[max(range(len(self.kinds)), key=kind_scores.__getitem__)]
        pushes = sorted(
            ((value * index[feature][1], feature) for feature, value in values.items() if feature.startswith("w:")),
            reverse=True,
        )
        top_words = tuple(
            feature[2:] for push, feature in pushes if push > 0 and not STOPWORDS.issuperset(feature[2:].split())
        )[:3]
        return Score(probability=probability, kind=kind, top_words=top_words)



@lru_cache(maxsize=1)
def model() -> Model | None:
    """The committed model, read once per process (None before the first training)."""
    if not MODEL_FILE.exists():
        return None
    return Model(json.loads(MODEL_FILE.read_text(encoding="utf-8")))


def score(reading: str) -> Score | None:
    """The committed model's score for a post as moderation.sourcing.read returns it."""
    current = model()
    return current.score(reading) if current is not None else None
