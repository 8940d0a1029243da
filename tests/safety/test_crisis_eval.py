"""The crisis matcher against a labelled set of sentences in the forum's voice.

crisis_eval.tsv holds sentences written before the patterns (and a second batch written
after them, never used to tune them), rich in hard negatives: dose talk, idioms, studies,
denials, past crises, quotes. Run with -s to see the numbers.
"""

from collections import Counter
from pathlib import Path

from safety.crisis import LEVELS, assess

EVAL_FILE = Path(__file__).with_name("crisis_eval.tsv")


def load_eval_set() -> list[tuple[str, str]]:
    rows = []
    for line in EVAL_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        level, sentence = line.split("\t", 1)
        assert level in LEVELS, f"unknown label {level!r} in {line!r}"
        rows.append((level, sentence.strip()))
    return rows


def scores(rows):
    confusion = Counter()
    misses = []
    for expected, sentence in rows:
        got = assess(sentence).level
        confusion[expected, got] += 1
        if got != expected:
            misses.append((expected, got, sentence))
    result = {}
    for level in LEVELS:
        true_positive = confusion[level, level]
        predicted = sum(confusion[other, level] for other in LEVELS)
        actual = sum(confusion[level, other] for other in LEVELS)
        result[level] = (true_positive / predicted if predicted else 1.0, true_positive / actual if actual else 1.0)
    return result, misses


def test_the_evaluation_set_is_large_balanced_and_mostly_hard_negatives():
    counts = Counter(level for level, _ in load_eval_set())
    assert sum(counts.values()) >= 200
    assert min(counts.values()) >= 60, counts


def test_the_matcher_meets_its_thresholds_on_the_evaluation_set():
    result, misses = scores(load_eval_set())
    print("\nlevel     precision  recall")
    for level, (precision, recall) in result.items():
        print(f"{level:9} {precision:9.3f} {recall:7.3f}")
    overall_precision = sum(precision for precision, _ in result.values()) / len(result)
    print(f"overall precision (mean over levels): {overall_precision:.3f}")
    for expected, got, sentence in misses:
        print(f"  expected {expected}, got {got}: {sentence}")
    assert result["urgent"][1] >= 0.95, "urgent recall below 0.95"
    assert overall_precision >= 0.85, "overall precision below 0.85"
