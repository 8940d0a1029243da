"""Sourcing detection measured on labelled posts it was never tuned on.

Two frozen held-out splits (moderation/corpus/README.md): sourcing_heldout.jsonl (234
posts by the first two writers) and sourcing_heldout_2.jsonl (312 posts by three new
writers, set aside before anything was fitted on their posts). Nothing is fitted or
tuned on either, and their misses are never printed. These tests hold
moderation.sourcing.check to issue 14's targets there. The training figures are printed
by `manage.py sourcing_eval` for comparison, and are not targets: the rules were written
by reading those posts.
"""

import pytest
from django.core.management import call_command

from moderation import sourcing, sourcing_training

# Issue 14's targets, on held-out posts.
TARGETS = {"recall": 0.90, "precision": 0.90}
# What the tests enforce, measured once on 2026-11-30 after the model was retrained on both
# rounds of training posts (docs/safety.md, "Sourcing"), never to tune anything:
#   both splits together  recall 0.903 (224 of 248), precision 0.922  -> the targets
#   the new writers' split recall 0.921 (129 of 140), precision 0.921 -> the targets
#   the first split       recall 0.880 (95 of 108),  precision 0.922
# THE FIRST SPLIT ALONE IS BELOW THE RECALL TARGET (two posts short), so its floor is its
# honest figure. Raise it only when a change made without reading held-out posts measures
# at or over the target.
ENFORCED = {
    "all": {"recall": TARGETS["recall"], "precision": TARGETS["precision"]},
    "sourcing_heldout_2.jsonl": {"recall": TARGETS["recall"], "precision": TARGETS["precision"]},
    "sourcing_heldout.jsonl": {"recall": 0.879, "precision": TARGETS["precision"]},
}


@pytest.fixture(scope="module")
def heldout():
    splits = sourcing_training.heldout_splits()
    reports = {path.name: sourcing_training.evaluate(items, path.name) for path, items in splits.items()}
    reports["all"] = sourcing_training.evaluate([item for items in splits.values() for item in items], "all")
    return reports


def test_the_heldout_splits_are_the_frozen_ones():
    for path, digest in sourcing_training.HELDOUT.items():
        assert sourcing_training.sha256(path) == digest, path.name


def test_the_heldout_hashes_are_the_ones_the_docs_and_the_corpus_readme_record():
    root = sourcing_training.CORPUS_DIR.parent.parent
    for document in ("docs/safety.md", "moderation/corpus/README.md"):
        text = (root / document).read_text(encoding="utf-8")
        for path, digest in sourcing_training.HELDOUT.items():
            assert digest in text, (document, path.name)


def test_no_heldout_post_is_in_the_training_files():
    training = {item.text.lower() for item in sourcing_training.load_training()}
    overlap = [item.id for item in sourcing_training.load_heldout() if item.text.lower() in training]
    assert len(overlap) == 0


def test_the_corpus_covers_every_kind_hard_negatives_french_and_five_writers():
    items = sourcing_training.load_training() + sourcing_training.load_heldout()
    assert len(items) == 1860
    for kind in sourcing.KINDS:
        assert sum(item.kind == kind for item in items) >= 100, kind
    negatives = [item for item in items if item.label == "ok"]
    assert sum(item.hard for item in negatives) / len(negatives) >= 0.6
    assert sum(item.lang == "fr" for item in items) >= 200
    assert len({item.writer for item in items}) == 5


@pytest.mark.parametrize("split, figure", [(split, figure) for split in ENFORCED for figure in ENFORCED[split]])
def test_heldout_posts_meet_the_target(heldout, split, figure):
    # Only the figures are shown on failure, never the posts.
    assert getattr(heldout[split], figure) >= ENFORCED[split][figure], heldout[split].summary()


def test_sourcing_eval_prints_training_figures_per_kind_and_heldout_only_when_asked(capsys):
    call_command("sourcing_eval")
    output = capsys.readouterr().out
    assert "Training" in output and "Held-out" not in output
    for kind in sourcing.KINDS:
        assert sum(line.strip().startswith(kind + " ") for line in output.splitlines()) == 1, kind
    call_command("sourcing_eval", "--heldout")
    output = capsys.readouterr().out
    assert "Held-out (frozen, sourcing_heldout.jsonl): 234 posts" in output
    assert "Held-out (frozen, sourcing_heldout_2.jsonl): 312 posts" in output
    assert "Held-out (frozen, all splits): 546 posts" in output
    assert sum(line.strip().startswith("recall ") for line in output.splitlines()) == 4
    assert sum(line.strip().startswith("precision ") for line in output.splitlines()) == 4
