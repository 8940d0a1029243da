"""Crisis detection measured on labelled posts it was never tuned on.

safety/corpus/crisis_heldout.jsonl (783 posts by six writers who never saw the rules) was
set aside before any rule or model was written; nothing is fitted or tuned on it. These
tests hold assess() to the targets there. The training figures are printed by
`manage.py crisis_eval` for comparison, and are not targets: the rules and model were
fitted to those posts.
"""

import pytest
from django.core.management import call_command

from safety import crisis_training

# The targets of issue 11, on held-out posts.
TARGETS = {
    "urgent_recall": 0.95,
    "flagged_recall": 0.90,
    "flag_precision": 0.85,
    "french_urgent_recall": 0.90,
}
# What the tests enforce: the targets. The held-out split has been measured twice, each
# time after the rules and model were final and never to tune them (docs/safety.md,
# "Figures"): first urgent recall 151 of 159 (0.9497, one post short of the target);
# then, after the model learned 100 supportive replies (a kind reply read as urgent had
# broken the composer's reply check), 152 of 159 (0.956). Should a
# change bring a figure under its target, lower the floor here to the honest figure,
# marked as below target, rather than tune on the held-out posts.
ENFORCED = dict(TARGETS)


@pytest.fixture(scope="module")
def heldout():
    return crisis_training.evaluate(crisis_training.load(crisis_training.HELDOUT_FILE), "held-out")


def test_the_heldout_split_is_the_frozen_one():
    assert crisis_training.sha256(crisis_training.HELDOUT_FILE) == crisis_training.HELDOUT_SHA256


def test_the_heldout_hash_is_the_one_the_docs_and_the_corpus_readme_record():
    digest = crisis_training.HELDOUT_SHA256
    for document in ("docs/safety.md", "safety/corpus/README.md"):
        path = crisis_training.CORPUS_DIR.parent.parent / document
        assert digest in path.read_text(encoding="utf-8"), document


def test_no_heldout_post_is_in_the_training_file():
    training = {item.text for item in crisis_training.load(crisis_training.TRAIN_FILE)}
    heldout = crisis_training.load(crisis_training.HELDOUT_FILE)
    assert not [item.id for item in heldout if item.text in training]


def test_the_corpus_is_large_mixed_and_in_the_forums_two_languages():
    items = crisis_training.load(crisis_training.TRAIN_FILE) + crisis_training.load(crisis_training.HELDOUT_FILE)
    assert len(items) >= 3000
    share = {label: sum(item.label == label for item in items) / len(items) for label in crisis_training.LABELS}
    assert 0.15 <= share["urgent"] <= 0.25 and 0.2 <= share["concern"] <= 0.3
    negatives = [item for item in items if item.label == "none"]
    assert sum(item.hard for item in negatives) / len(negatives) >= 0.4
    assert sum(item.lang == "fr" for item in items) / len(items) >= 0.1
    assert sum(item.method for item in items) >= 150


@pytest.mark.parametrize("figure", sorted(ENFORCED))
def test_heldout_posts_meet_the_target(heldout, figure):
    assert getattr(heldout, figure) >= ENFORCED[figure], "\n".join(heldout.lines())


def test_method_details_are_held_on_heldout_posts_with_few_false_holds(heldout):
    assert heldout.method_recall >= 0.85, "\n".join(heldout.lines())
    assert heldout.method_precision >= 0.80, "\n".join(heldout.lines())


def test_crisis_eval_prints_both_splits_with_their_figures(capsys):
    call_command("crisis_eval")
    output = capsys.readouterr().out
    assert "Held-out (frozen): 783 posts" in output and "Training:" in output
    lines = [line.strip() for line in output.splitlines()]
    for figure in ("urgent recall", "urgent-or-concern recall", "flag precision", "French urgent recall",
                   "method details held"):
        assert sum(line.startswith(figure) for line in lines) == 2, figure
    assert "labelled \\ assessed" in output
