"""The check on replies to someone at risk, against its labelled examples and a few
sentences that say what it is for. Run with -s to see the numbers."""

import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest

from safety import reply_check

CORPUS = Path(reply_check.__file__).with_name("corpus")
HELDOUT_SHA256 = "3b812e2e9ec55dad691cafe9a423d1d33d43cbd607a1424e1219685b87d17834"
HARMFUL = (reply_check.ENCOURAGEMENT, reply_check.ABRUPT_STOP)


def load(name: str) -> list[dict]:
    return [json.loads(line) for line in (CORPUS / f"reply_check_{name}.jsonl").read_text().splitlines() if line]


def predicted(text: str) -> str:
    kinds = [kind for kind in reply_check.kinds_of(text) if kind in HARMFUL]
    return kinds[0] if len(kinds) == 1 else ("+".join(kinds) if kinds else "none")


def figures(rows):
    confusion = Counter((row["label"], predicted(row["text"])) for row in rows)
    result = {}
    for kind in HARMFUL:
        true_positive = confusion[kind, kind]
        predicted_total = sum(n for (_, got), n in confusion.items() if got == kind)
        actual_total = sum(n for (label, _), n in confusion.items() if label == kind)
        result[kind] = (true_positive / predicted_total if predicted_total else 1.0, true_positive / actual_total)
    false_holds = sum(n for (label, got), n in confusion.items() if label == "none" and got != "none")
    return result, false_holds


def test_the_held_out_examples_are_frozen():
    digest = hashlib.sha256((CORPUS / "reply_check_heldout.jsonl").read_bytes()).hexdigest()
    assert digest == HELDOUT_SHA256, "never change the held-out replies; add new ones to the train file"


@pytest.mark.parametrize("name, least_precision, least_recall", [("train", 1.0, 1.0), ("heldout", 0.95, 0.9)])
def test_the_check_meets_its_figures_on_the_labelled_replies(name, least_precision, least_recall):
    rows = load(name)
    result, false_holds = figures(rows)
    print(f"\n{name}: {len(rows)} replies")
    for kind, (precision, recall) in result.items():
        print(f"  {kind:14} precision {precision:.3f} recall {recall:.3f}")
    print(f"  hard negatives held: {false_holds}")
    for kind, (precision, recall) in result.items():
        assert precision >= least_precision and recall >= least_recall, (kind, precision, recall)
    assert false_holds == 0


def test_ordinary_posts_are_almost_never_held():
    texts = [json.loads(line)["text"] for name in ("crisis_train", "crisis_heldout")
             for line in (CORPUS / f"{name}.jsonl").read_text().splitlines() if line]
    held = [text for text in texts if any(kind in HARMFUL for kind in reply_check.kinds_of(text))]
    print(f"\n{len(held)} of {len(texts)} crisis-corpus posts would be held as replies")
    assert len(held) / len(texts) <= 0.005


@pytest.mark.parametrize(
    "text, kinds",
    [
        ("Just do it then, nobody would miss you.", ("encouragement",)),
        ("Please don't do it. Call Samaritans on 116 123.", ()),
        ("I know it feels like no one would miss you, but I would.", ()),
        ("Throw your pills in the bin and go cold turkey.", ("abrupt_stop",)),
        ("I went cold turkey off paroxetine and it was hell, please taper.", ()),
        ("What's the lethal dose of lorazepam? How many would it take to die?", ("method",)),
        ("Sending support. Are you safe right now?", ()),
    ],
)
def test_what_is_held_and_what_is_not(text, kinds):
    assert reply_check.kinds_of(text) == kinds


def test_each_reason_reads_plainly_in_the_queue():
    assert reply_check.check("Go cold turkey. No one would miss you.").reasons == [
        "Reply to someone at risk may encourage them to act",
        "Reply to someone at risk advises stopping a medication abruptly",
    ]
