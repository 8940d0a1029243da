"""The trained half of crisis detection: a model file in the repository that matches the
repository's data, read as plain JSON, scored in plain Python exactly as scikit-learn
would score it."""

import json

import pytest

from safety import crisis, crisis_model, crisis_training


@pytest.fixture(scope="module")
def committed():
    return json.loads(crisis_model.MODEL_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def training_inputs():
    items = crisis_training.load(crisis_training.TRAIN_FILE)
    return items, crisis_training.model_inputs(crisis_training.normalised(items))


def test_the_committed_model_was_trained_on_the_committed_data_rules_and_settings(committed):
    trained_on = committed["trained_on"]
    assert trained_on["sha256"] == crisis_training.sha256(crisis_training.TRAIN_FILE), (
        "crisis_train.jsonl changed since the model was trained: run `python manage.py crisis_train`"
    )
    assert trained_on["rules_sha256"] == crisis_training.sha256(crisis.PATTERNS_FILE), (
        "crisis_patterns.txt changed since the model was trained: run `python manage.py crisis_train`"
    )
    assert trained_on["settings"] == crisis_training.SETTINGS
    assert trained_on["items"] == len(crisis_training.load(crisis_training.TRAIN_FILE))
    assert trained_on["file"] == "safety/corpus/crisis_train.jsonl"


def test_retraining_on_the_committed_data_reproduces_the_committed_weights(committed, training_inputs):
    items, inputs = training_inputs
    refitted = crisis_training.fit(inputs, items)
    assert refitted["features"] == committed["features"]
    assert refitted["idf"] == pytest.approx(committed["idf"], abs=1e-5)
    for question in crisis_model.QUESTIONS:
        assert refitted["intercepts"][question] == pytest.approx(committed["intercepts"][question], abs=1e-4)
        assert refitted["weights"][question] == pytest.approx(committed["weights"][question], abs=1e-4)


def test_the_plain_python_scores_are_scikit_learns(committed, training_inputs):
    _, inputs = training_inputs
    sample = [text for text in inputs if len(text.split()) >= crisis_model.MIN_WORDS][::97]
    expected = crisis_training.sklearn_probabilities(committed, sample)
    model = crisis_model.model()
    for position, text in enumerate(sample):
        score = model.score(text)
        assert score.flag == pytest.approx(expected["flag"][position], abs=1e-6)
        assert score.urgent == pytest.approx(expected["urgent"][position], abs=1e-6)
        assert score.method_score == pytest.approx(expected["method"][position], abs=1e-6)


def test_the_model_is_read_once_per_process():
    assert crisis_model.model() is crisis_model.model()


def test_the_thresholds_were_chosen_and_recorded_with_their_cross_validated_figures(committed):
    assert set(committed["thresholds"]) == set(crisis_model.THRESHOLDS)
    assert all(0 <= value < 1 for value in committed["thresholds"].values())
    assert any("urgent recall" in line for line in committed["trained_on"]["cross_validated"])


def test_a_post_too_short_for_the_model_is_left_to_the_rules():
    score = crisis_model.model().score("my dog is sick tonight")
    assert (score.level, score.method) == ("none", False)


def test_the_model_explains_itself_with_the_words_that_weighed_most():
    text = crisis.model_input(crisis.texts.normalise(
        "i have had enough of all of it. the tablets are on the side and nobody is home until monday"
    ))
    score = crisis_model.model().score(text)
    assert score.level != "none"
    assert score.top_words and all(word in text for word in score.top_words)
    assert score.reason().startswith(f"model: reads like the {score.level} posts it learned from")
